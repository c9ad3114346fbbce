// `sap-rl worker`: a BullMQ Worker that takes episode jobs from the queue, --concurrency at
// a time, each in its own worker thread (the sandboxed processor.ts), so the main thread
// stays free to renew the jobs' locks. A worker that dies (kill -9, a lost machine) stops
// renewing them: after the stall timeout another worker finds the jobs stalled and they
// are played again from the start.
import { Worker, type Job } from 'bullmq';
import type { ResultRow } from '../../report/results-schema.js';
import { JOB_NAME, QUEUE_NAME, connectionOf } from './connection.js';
import { shownUrl } from './queue-url.js';
import { SETTINGS_ENV, type ProcessorSettings } from './processor-settings.js';
import { keyOfJobId, type QueuedJob } from './queued-job.js';

const PROCESSOR = new URL('./processor.js', import.meta.url);

export interface ConsumerOptions {
  readonly url: string;
  /** Jobs played at once (one worker thread each). */
  readonly concurrency: number;
  readonly settings: ProcessorSettings;
  /**
   * A job's lock lasts this long and is renewed at half of it; workers look for stalled jobs
   * this often. A killed worker's jobs are taken up again within about twice this.
   */
  readonly stallTimeoutMs: number;
  /** Times a job may stall (its worker died) before it fails instead of running again. */
  readonly maxStalls?: number;
}

export interface ConsumerEvents {
  onStart?(key: string, attempt: number): void;
  onDone?(key: string, row: ResultRow): void;
  /** `retryInMs` is undefined when the job has failed for good. */
  onFailed?(key: string, message: string, attempt: number, retryInMs: number | undefined): void;
  onStalled?(key: string): void;
  onError?(message: string): void;
}

/** Starts taking jobs; resolves once connected. */
export async function startConsumer(opts: ConsumerOptions, events: ConsumerEvents = {}): Promise<Worker<QueuedJob, ResultRow>> {
  const worker = new Worker<QueuedJob, ResultRow>(QUEUE_NAME, PROCESSOR, {
    connection: connectionOf(opts.url),
    concurrency: opts.concurrency,
    useWorkerThreads: true,
    workerThreadsOptions: { env: { ...process.env, [SETTINGS_ENV]: JSON.stringify(opts.settings) } },
    lockDuration: opts.stallTimeoutMs,
    stalledInterval: opts.stallTimeoutMs,
    maxStalledCount: opts.maxStalls ?? 2,
    autorun: false,
  });
  const key = (job: Job<QueuedJob>): string => (typeof job.data?.key === 'string' ? job.data.key : `job ${job.id}`);
  worker.on('active', (job) => {
    if (job.name === JOB_NAME) events.onStart?.(key(job), job.attemptsStarted);
  });
  worker.on('completed', (job, row) => events.onDone?.(key(job), row));
  worker.on('failed', (job, err) => {
    if (!job) return;
    const attempts = job.opts.attempts ?? 1;
    const final = job.finishedOn !== undefined || err.name === 'UnrecoverableError' || job.attemptsMade >= attempts;
    const delay = job.opts.backoff && typeof job.opts.backoff === 'object' ? (job.opts.backoff.delay ?? 0) * 2 ** (job.attemptsMade - 1) : 0;
    events.onFailed?.(key(job), err.message, job.attemptsMade, final ? undefined : delay);
  });
  worker.on('stalled', (id) => events.onStalled?.(keyOfJobId(id)));
  worker.on('error', (err) => events.onError?.(`Redis at ${shownUrl(opts.url)}: ${err.message}`));
  void worker.run().catch((err: Error) => events.onError?.(err.message));
  await worker.waitUntilReady();
  return worker;
}
