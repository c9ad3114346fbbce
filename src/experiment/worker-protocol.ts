// The messages between the pool (main thread) and its worker threads. Everything is a
// plain object, so the same job and result shapes can travel over a queue later.
import type { TfBackendName } from '../agent/tf-backend.js';
import type { AlePyProbe } from '../env/python.js';
import type { ResultRow } from '../report/results-schema.js';
import type { EpisodeJob, JobError } from './job.js';

/** workerData of each worker thread. */
export interface WorkerInit {
  /** The tfjs backend to start (undefined: wasm, falling back to cpu). */
  tfBackend?: TfBackendName | undefined;
  /** The main thread's ale-py probe, when it made one (saves each worker asking Python again). */
  alePy?: AlePyProbe | undefined;
}

export type ToWorker = { type: 'run'; id: number; job: EpisodeJob } | { type: 'stop' };

export type FromWorker =
  | { type: 'ready'; tfBackend: string }
  /** tfjs could not start: nothing can run in this worker. */
  | { type: 'fatal'; error: JobError }
  | { type: 'done'; id: number; row: ResultRow }
  | { type: 'failed'; id: number; error: JobError };
