// A pool of worker threads (worker.ts) that runs episode jobs. Jobs are handed out one at
// a time to whichever worker is free, the most expensive first (jobCost; ties keep their
// order), so that the run does not end waiting on one long job; the results come back to the main
// thread, which alone writes them (onDone). A job that throws is reported (onFailed) and
// the pool carries on; a worker that dies mid-job fails that job and is replaced.
import { Worker } from 'node:worker_threads';
import type { TfBackendName } from '../agent/tf-backend.js';
import { probeAlePy } from '../env/python.js';
import { UserError } from '../cli/errors.js';
import type { ResultRow } from '../report/results-schema.js';
import { describeJobError, jobCost, type EpisodeJob, type JobError } from './job.js';
import type { FromWorker, ToWorker, WorkerInit } from './worker-protocol.js';

const WORKER_SCRIPT = new URL('./worker.js', import.meta.url);

export interface PoolOptions {
  /** Worker threads (at most one per job). */
  workers: number;
  tfBackend?: TfBackendName | undefined;
  onStart?(job: EpisodeJob): void;
  /** Called in the main thread as each job finishes; if it throws, the pool stops and rejects with that error. */
  onDone(job: EpisodeJob, row: ResultRow): void;
  /** Called for each job that threw (or whose worker died); the other jobs carry on. */
  onFailed(job: EpisodeJob, error: JobError): void;
}

interface Slot {
  worker: Worker;
  ready: boolean;
  busy?: EpisodeJob | undefined;
  crash?: Error | undefined;
}

/** Runs every job; resolves when all have finished or failed. */
export function runPool(planned: readonly EpisodeJob[], opts: PoolOptions): Promise<void> {
  const jobs = planned.map((job, i) => ({ job, i, cost: jobCost(job) }))
    .sort((a, b) => b.cost - a.cost || a.i - b.i)
    .map((j) => j.job);
  const size = Math.min(Math.max(1, Math.floor(opts.workers)), jobs.length);
  if (size === 0) return Promise.resolve();
  return new Promise<void>((resolve, reject) => {
    const slots = new Set<Slot>();
    let next = 0;
    let stopped = false;

    const stop = (err?: unknown): void => {
      if (stopped) return;
      stopped = true;
      const all = [...slots].map((s) => s.worker.terminate());
      void Promise.allSettled(all).then(() => (err === undefined ? resolve() : reject(err)));
    };

    const send = (slot: Slot, msg: ToWorker): void => slot.worker.postMessage(msg);

    const dispatch = (slot: Slot): void => {
      if (stopped) return;
      if (next < jobs.length) {
        const job = jobs[next++]!;
        slot.busy = job;
        opts.onStart?.(job);
        send(slot, { type: 'run', id: next, job });
      } else {
        slot.busy = undefined;
        send(slot, { type: 'stop' });
      }
    };

    const onMessage = (slot: Slot, msg: FromWorker): void => {
      switch (msg.type) {
        case 'ready':
          slot.ready = true;
          dispatch(slot);
          return;
        case 'fatal':
          stop(msg.error.user ? new UserError(msg.error.message) : new Error(`a worker thread could not start: ${msg.error.message}`));
          return;
        case 'done':
        case 'failed': {
          const job = slot.busy!;
          slot.busy = undefined;
          if (msg.type === 'done') opts.onDone(job, msg.row);
          else opts.onFailed(job, msg.error);
          dispatch(slot);
        }
      }
    };

    // Asked once here rather than once per worker thread (each would spend ~0.5 s on it).
    const alePy = probeAlePy();
    const start = (): void => {
      const worker = new Worker(WORKER_SCRIPT, { workerData: { tfBackend: opts.tfBackend, alePy } satisfies WorkerInit });
      const slot: Slot = { worker, ready: false };
      slots.add(slot);
      worker.on('message', (msg: FromWorker) => {
        try {
          onMessage(slot, msg);
        } catch (err) {
          stop(err); // e.g. the results file cannot be written: nothing more can be saved
        }
      });
      worker.on('error', (err) => (slot.crash = err)); // an uncaught error; 'exit' follows
      worker.on('exit', (code) => {
        slots.delete(slot);
        if (stopped) return;
        try {
          if (!slot.ready) {
            stop(slot.crash ?? new Error(`a worker thread exited with code ${code} before it started`));
            return;
          }
          if (slot.busy) {
            opts.onFailed(slot.busy, describeJobError(slot.crash ?? new Error(`its worker thread exited with code ${code}`)));
            slot.busy = undefined;
          }
          if (next < jobs.length) start();
          else if (slots.size === 0) stop();
        } catch (err) {
          stop(err);
        }
      });
    };

    for (let i = 0; i < size; i++) start();
  });
}
