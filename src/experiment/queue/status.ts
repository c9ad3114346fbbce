// `sap-rl status`: how far the queued sweep is (done, running, waiting, failed) and why
// the failed jobs failed.
import type { Queue } from 'bullmq';
import type { JobFailure } from '../failures-file.js';
import { failureOf, jobsIn } from './queue-jobs.js';

export interface QueueStatus {
  /** Finished, with a results row waiting to be collected (or already collected). */
  readonly done: number;
  readonly running: number;
  /** Not started yet. */
  readonly waiting: number;
  /** Failed, waiting for their next attempt (exponential backoff). */
  readonly retrying: number;
  /** Failed for good. */
  readonly failed: number;
  readonly total: number;
  /** Workers connected now (on every machine). */
  readonly workers: number;
  readonly failures: JobFailure[];
}

/** @param db the Redis database of the queue (CLIENT LIST shows every database's clients) */
export async function queueStatus(queue: Queue, db = 0): Promise<QueueStatus> {
  const c = await queue.getJobCounts('completed', 'active', 'waiting', 'prioritized', 'waiting-children', 'delayed', 'failed');
  const n = (k: string): number => c[k] ?? 0;
  const failures = (await jobsIn(queue, ['failed'])).map(failureOf);
  const waiting = n('waiting') + n('prioritized') + n('waiting-children');
  const workers = (await queue.getWorkers()).filter((w) => (w['db'] ?? '0') === String(db)).length;
  const total = n('completed') + n('active') + waiting + n('delayed') + n('failed');
  return { done: n('completed'), running: n('active'), waiting, retrying: n('delayed'), failed: n('failed'), total, workers, failures };
}
