// What `sap-rl worker` hands its processor threads: how this machine finds agents and ROMs,
// and the tfjs backend. It travels as JSON in an environment variable of each thread.
import type { TfBackendName } from '../../agent/tf-backend.js';
import type { WorkerPaths } from './local-job.js';

export const SETTINGS_ENV = 'SAP_RL_QUEUE_WORKER';

export interface ProcessorSettings extends WorkerPaths {
  readonly tfBackend?: TfBackendName | undefined;
}
