// `sap-rl batch CONFIG --queue URL`: puts every episode job of the plan in the queue under
// its key, leaving out those whose rows are already in the results CSV. A job already in
// the queue (waiting, running, done) is left as it is, so enqueuing twice adds nothing; a
// job that failed for good is queued again (with the md5s of now), as a local rerun of
// `sap-rl batch` plays the failed jobs again.
import type { Queue } from 'bullmq';
import type { BatchPlan } from '../batch-plan.js';
import { jobKey } from '../job.js';
import { JOB_NAME } from './connection.js';
import { QueuedJobMaker, queueJobId, type QueuedJob } from './queued-job.js';
import { jobsIn, keyOf, totalJobs } from './queue-jobs.js';

export interface EnqueueOptions {
  /** Agent folders are recorded relative to this folder (absolute). */
  readonly agentsRoot: string;
  /** Keys of the rows already in the results CSV: not queued. */
  readonly done: ReadonlySet<string>;
  /** Tries per job (1 = no retry). */
  readonly attempts: number;
  /** The first retry waits this long, each further one twice as long. */
  readonly retryDelayMs: number;
}

export interface EnqueueOutcome {
  readonly total: number;
  /** Left out: their rows are in the results CSV. */
  readonly inResults: number;
  /** New in the queue (including `requeued`). */
  readonly added: number;
  /** Already in the queue (waiting, running or done): left as they were. */
  readonly alreadyQueued: number;
  /** Had failed for good and are queued again. */
  readonly requeued: number;
}

const CHUNK = 500; // jobs per addBulk

/** Every md5 is computed (and every agent and ROM found) before anything is queued. */
export async function enqueuePlan(queue: Queue, plan: BatchPlan, opts: EnqueueOptions): Promise<EnqueueOutcome> {
  const maker = new QueuedJobMaker(opts.agentsRoot);
  const jobs: QueuedJob[] = plan.jobs.filter((j) => !opts.done.has(jobKey(j))).map((j) => maker.make(j));
  const wanted = new Set(jobs.map((j) => j.key));

  let requeued = 0;
  for (const job of await jobsIn(queue, ['failed'])) {
    if (wanted.has(keyOf(job))) {
      await job.remove();
      requeued++;
    }
  }

  const before = await totalJobs(queue);
  for (let i = 0; i < jobs.length; i += CHUNK) {
    await queue.addBulk(
      jobs.slice(i, i + CHUNK).map((data) => ({
        name: JOB_NAME,
        data,
        opts: {
          jobId: queueJobId(data.key),
          attempts: opts.attempts,
          backoff: { type: 'exponential', delay: opts.retryDelayMs },
          removeOnComplete: false,
          removeOnFail: false,
        },
      })),
    );
  }
  const added = (await totalJobs(queue)) - before;
  return { total: plan.jobs.length, inResults: plan.jobs.length - jobs.length, added, alreadyQueued: jobs.length - added, requeued };
}
