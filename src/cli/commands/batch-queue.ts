// `sap-rl batch CONFIG --queue URL`: the sweep's jobs go into the Redis queue for
// `sap-rl worker`s instead of the local pool.
import { existsSync } from 'node:fs';
import { relative, resolve } from 'node:path';
import { planBatch } from '../../experiment/batch-plan.js';
import { openQueue } from '../../experiment/queue/connection.js';
import { QUEUE_DEFAULTS, parseQueueUrl, shownUrl } from '../../experiment/queue/queue-url.js';
import { enqueuePlan } from '../../experiment/queue/enqueue.js';
import { readResults } from '../../report/results-file.js';
import { episodeKey } from '../../report/results-schema.js';
import { UserError } from '../errors.js';
import { parseIntFlag, parseSecondsFlag } from '../parse.js';

export interface QueueBatchFlags {
  queue?: string;
  out?: string;
  romDir?: string;
  skipMissing?: boolean;
  dryRun?: boolean;
  workers?: string;
  tfBackend?: string;
  agentsRoot?: string;
  attempts?: string;
  retryDelay?: string;
}

export async function enqueueBatch(config: string, flags: QueueBatchFlags): Promise<void> {
  const url = parseQueueUrl(flags.queue!);
  if (flags.workers !== undefined) throw new UserError('--workers does not apply with --queue; give each `sap-rl worker` its --concurrency');
  if (flags.tfBackend !== undefined) throw new UserError('--tf-backend does not apply with --queue; give it to each `sap-rl worker`');
  const attempts = flags.attempts === undefined ? QUEUE_DEFAULTS.attempts : parseIntFlag(flags.attempts, '--attempts', 1, 100);
  const retryDelayMs = parseSecondsFlag(flags.retryDelay ?? String(QUEUE_DEFAULTS.retryDelayS), '--retry-delay');
  const agentsRoot = resolve(flags.agentsRoot ?? '.');
  if (!existsSync(agentsRoot)) throw new UserError(`--agents-root ${flags.agentsRoot}: no such folder; give the folder the agent paths are relative to`);
  const plan = planBatch(config, { out: flags.out, romDir: flags.romDir, skipMissing: flags.skipMissing });
  const shown = (p: string) => relative(process.cwd(), p) || p;
  for (const run of plan.skipped) console.log(`skipped ${run.where} (${run.game}): no agent at ${shown(run.agentDir)}`);
  if (flags.dryRun) {
    console.log(`${plan.jobs.length} episode jobs; they would go to ${shownUrl(url)}; collect them into ${shown(plan.out)}`);
    return;
  }
  const done = new Set(existsSync(plan.out) ? readResults(plan.out).map(episodeKey) : []);
  const { queue } = await openQueue(url);
  try {
    const o = await enqueuePlan(queue, plan, { agentsRoot, done, attempts, retryDelayMs });
    const parts = [
      `${o.added} episode jobs queued`,
      ...(o.requeued > 0 ? [`${o.requeued} of them failed before and are queued again`] : []),
      `${o.alreadyQueued} already in the queue`,
      ...(o.inResults > 0 ? [`${o.inResults} already in ${shown(plan.out)}`] : []),
    ];
    console.log(`${parts.join('; ')} (${o.total} in the sweep) at ${shownUrl(url)}`);
    console.log(`agent folders are recorded relative to ${agentsRoot}; start workers with \`sap-rl worker --queue ${shownUrl(url)} --agents-root DIR\``);
  } finally {
    await queue.close();
  }
}
