// Reading the queue's jobs by state, a page at a time, and what a failed one says.
import type { JobType, Queue } from 'bullmq';
import type { ResultRow } from '../../report/results-schema.js';
import type { JobFailure } from '../failures-file.js';
import { keyOfJobId, type QueuedJob } from './queued-job.js';

const PAGE = 1000;

/** A job as BullMQ gives it back (Queue#getJobs). */
export type StoredJob = Awaited<ReturnType<Queue<QueuedJob, ResultRow>['getJobs']>>[number];

/** Every job in these states, oldest first. */
export async function jobsIn(queue: Queue, states: JobType[]): Promise<StoredJob[]> {
  const all: StoredJob[] = [];
  for (let start = 0; ; start += PAGE) {
    const page = (await queue.getJobs(states, start, start + PAGE - 1, true)) as StoredJob[];
    all.push(...page);
    if (page.length < PAGE) return all;
  }
}

/** Jobs in every state. */
export async function totalJobs(queue: Queue): Promise<number> {
  const counts = await queue.getJobCounts();
  return Object.values(counts).reduce((a, b) => a + b, 0);
}

/** The key of a stored job (from its data, else its id). */
export function keyOf(job: StoredJob): string {
  return typeof job.data?.key === 'string' ? job.data.key : keyOfJobId(job.id ?? '?');
}

/** A failed job as the failures sidecar and the reports show it. */
export function failureOf(job: StoredJob): JobFailure {
  const last = job.stacktrace?.at(-1) ?? '';
  const user = last.startsWith('UnrecoverableError');
  return {
    key: keyOf(job),
    job: job.data?.job,
    error: { message: job.failedReason || 'failed without a message', user, ...(user || !last ? {} : { stack: last }) },
    time: new Date(job.finishedOn ?? job.timestamp).toISOString(),
  };
}
