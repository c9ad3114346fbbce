// The BullMQ sandboxed processor of `sap-rl worker`: each of the worker's --concurrency
// worker threads loads this file, with its own tfjs instance and JobCache, and plays the
// jobs it is handed with runJob. A UserError (the agent or ROM is missing or differs from
// the one enqueued, a corrupt agent...) becomes BullMQ's UnrecoverableError: the job fails
// at once instead of being retried; any other error is retried with backoff.
import { UnrecoverableError, type SandboxedJob } from 'bullmq';
import { initTf } from '../../agent/tf-backend.js';
import { UserError } from '../../cli/errors.js';
import type { ResultRow } from '../../report/results-schema.js';
import { JobCache } from '../job-cache.js';
import { runJob } from '../job.js';
import { LocalJobs } from './local-job.js';
import { SETTINGS_ENV, type ProcessorSettings } from './processor-settings.js';
import type { QueuedJob } from './queued-job.js';

const settings = JSON.parse(process.env[SETTINGS_ENV] ?? 'null') as ProcessorSettings | null;
if (!settings) throw new Error(`${SETTINGS_ENV} is not set: processor.ts runs inside \`sap-rl worker\``);
const local = new LocalJobs(settings);
let tf: Promise<unknown> | undefined;
let cache = new JobCache();
/** The agent md5 each folder had when the cache loaded it: a changed agent is loaded afresh. */
const loadedMd5 = new Map<string, string>();

export default async function processEpisode(job: SandboxedJob<QueuedJob, ResultRow>): Promise<ResultRow> {
  try {
    tf ??= initTf(settings!.tfBackend);
    await tf;
    const episode = local.localise(job.data);
    const seen = loadedMd5.get(episode.agentDir);
    if (seen !== undefined && seen !== job.data.agent.md5) {
      await cache.close();
      cache = new JobCache();
      loadedMd5.clear();
    }
    loadedMd5.set(episode.agentDir, job.data.agent.md5);
    return await runJob(episode, cache);
  } catch (err) {
    if (err instanceof UserError) throw new UnrecoverableError(err.message);
    throw err;
  }
}
