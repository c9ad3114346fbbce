// A pool of worker threads (worker.ts) that runs episode jobs. Jobs are handed out one at
// a time to whichever worker is free, the most expensive first (jobCost; ties keep their
// order), so that the run does not end waiting on one long job; the results come back to
// the main thread, which alone writes them (onDone). A job that throws is reported
// (onFailed) and the pool carries on; a worker that dies mid-job fails that job and is
// replaced. A WorkerPool keeps its threads between runs (each costs ~1 s to start: tfjs,
// the agent, the emulator, the JIT), so a caller with several rounds of jobs pays it once.
import { Worker } from 'node:worker_threads';
import type { TfBackendName } from '../agent/tf-backend.js';
import { probeAlePy, type AlePyProbe } from '../env/python.js';
import { UserError } from '../cli/errors.js';
import type { ResultRow } from '../report/results-schema.js';
import { describeJobError, jobCost, type EpisodeJob, type JobError } from './job.js';
import type { FromWorker, ToWorker, WorkerInit } from './worker-protocol.js';

const WORKER_SCRIPT = new URL('./worker.js', import.meta.url);

export interface PoolSettings {
  /** Worker threads (at most one per job of a run). */
  workers: number;
  tfBackend?: TfBackendName | undefined;
}

export interface PoolHandlers {
  onStart?(job: EpisodeJob): void;
  /** Called in the main thread as each job finishes; if it throws, the pool stops and the run rejects with that error. */
  onDone(job: EpisodeJob, row: ResultRow): void;
  /** Called for each job that threw (or whose worker died); the other jobs carry on. */
  onFailed(job: EpisodeJob, error: JobError): void;
}

export type PoolOptions = PoolSettings & PoolHandlers;

interface Slot {
  worker: Worker;
  ready: boolean;
  busy?: EpisodeJob | undefined;
  crash?: Error | undefined;
}

interface Run {
  jobs: EpisodeJob[];
  next: number;
  handlers: PoolHandlers;
  resolve(): void;
  reject(err: unknown): void;
}

export class WorkerPool {
  private readonly size: number;
  private readonly slots = new Set<Slot>();
  private active: Run | undefined;
  /** Set once the pool failed or was closed: it runs nothing more. */
  private dead: unknown;
  private alePy: AlePyProbe | undefined;
  /** The threads being terminated after a failure. */
  private terminating: Promise<unknown> | undefined;

  constructor(private readonly settings: PoolSettings) {
    this.size = Math.max(1, Math.floor(settings.workers));
  }

  /** Worker threads alive now. */
  get threads(): number {
    return this.slots.size;
  }

  /** Runs every job; resolves when all have finished or failed. One run at a time. */
  run(planned: readonly EpisodeJob[], handlers: PoolHandlers): Promise<void> {
    if (this.dead !== undefined) return Promise.reject(this.dead instanceof Error ? this.dead : new Error('the worker pool is closed'));
    if (this.active) return Promise.reject(new Error('the worker pool is already running jobs'));
    if (planned.length === 0) return Promise.resolve();
    const jobs = planned.map((job, i) => ({ job, i, cost: jobCost(job) }))
      .sort((a, b) => b.cost - a.cost || a.i - b.i)
      .map((j) => j.job);
    return new Promise<void>((resolve, reject) => {
      this.active = { jobs, next: 0, handlers, resolve, reject };
      for (const slot of this.slots) if (slot.ready && !slot.busy) this.dispatch(slot);
      const wanted = Math.min(this.size, jobs.length);
      while (this.active && this.slots.size < wanted) this.start();
    });
  }

  /** Stops the threads (after their current job, if any is running: there is none between runs). */
  async close(): Promise<void> {
    if (this.terminating) {
      await this.terminating;
      return;
    }
    if (this.dead === undefined) this.dead = new Error('the worker pool is closed');
    const exits = [...this.slots].map((s) => new Promise<void>((done) => {
      s.worker.once('exit', () => done());
      s.worker.postMessage({ type: 'stop' } satisfies ToWorker);
    }));
    await Promise.all(exits);
  }

  /** The pool cannot go on: the run rejects with `err` and every thread is stopped. */
  private fail(err: unknown): void {
    if (this.dead === undefined) this.dead = err;
    const run = this.active;
    this.active = undefined;
    if (this.terminating) return;
    this.terminating = Promise.allSettled([...this.slots].map((s) => s.worker.terminate()));
    void this.terminating.then(() => run?.reject(err));
  }

  private dispatch(slot: Slot): void {
    const run = this.active;
    slot.busy = undefined;
    if (!run) return;
    if (run.next < run.jobs.length) {
      const job = run.jobs[run.next++]!;
      slot.busy = job;
      run.handlers.onStart?.(job);
      slot.worker.postMessage({ type: 'run', id: run.next, job } satisfies ToWorker);
    } else {
      this.resolveIfIdle(run);
    }
  }

  /** Once every job of `run` is handed out and no thread is busy, the run is over. */
  private resolveIfIdle(run: Run): void {
    if ([...this.slots].some((s) => s.busy)) return;
    this.active = undefined;
    run.resolve();
  }

  private onMessage(slot: Slot, msg: FromWorker): void {
    switch (msg.type) {
      case 'ready':
        slot.ready = true;
        this.dispatch(slot);
        return;
      case 'fatal':
        this.fail(msg.error.user ? new UserError(msg.error.message) : new Error(`a worker thread could not start: ${msg.error.message}`));
        return;
      case 'done':
      case 'failed': {
        const job = slot.busy!;
        slot.busy = undefined;
        const handlers = this.active!.handlers;
        if (msg.type === 'done') handlers.onDone(job, msg.row);
        else handlers.onFailed(job, msg.error);
        this.dispatch(slot);
      }
    }
  }

  private start(): void {
    // Asked once here rather than once per worker thread (each would spend ~0.5 s on it).
    this.alePy ??= probeAlePy();
    const worker = new Worker(WORKER_SCRIPT, { workerData: { tfBackend: this.settings.tfBackend, alePy: this.alePy } satisfies WorkerInit });
    const slot: Slot = { worker, ready: false };
    this.slots.add(slot);
    worker.on('message', (msg: FromWorker) => {
      try {
        this.onMessage(slot, msg);
      } catch (err) {
        this.fail(err); // e.g. the results file cannot be written: nothing more can be saved
      }
    });
    worker.on('error', (err) => (slot.crash = err)); // an uncaught error; 'exit' follows
    worker.on('exit', (code) => {
      this.slots.delete(slot);
      const run = this.active;
      if (this.dead !== undefined || !run) return;
      try {
        if (!slot.ready) {
          this.fail(slot.crash ?? new Error(`a worker thread exited with code ${code} before it started`));
          return;
        }
        if (slot.busy) {
          run.handlers.onFailed(slot.busy, describeJobError(slot.crash ?? new Error(`its worker thread exited with code ${code}`)));
          slot.busy = undefined;
        }
        if (run.next < run.jobs.length) this.start();
        else this.resolveIfIdle(run);
      } catch (err) {
        this.fail(err);
      }
    });
  }
}

/** Runs every job in a pool of its own; resolves when all have finished or failed. */
export async function runPool(jobs: readonly EpisodeJob[], opts: PoolOptions): Promise<void> {
  const pool = new WorkerPool(opts);
  try {
    await pool.run(jobs, opts);
  } finally {
    await pool.close();
  }
}
