// The sidecar `<results>.failures.jsonl`: one JSON line per job that failed in the latest
// run (its key, the job and the error), appended and fsynced as the failure happens. A
// new run starts it afresh, so it lists exactly what that run could not do; it is
// removed when a run has no failures.
import { closeSync, existsSync, fsyncSync, openSync, rmSync, writeSync } from 'node:fs';
import { UserError } from '../cli/errors.js';
import type { EpisodeJob, JobError } from './job.js';

export interface JobFailure {
  readonly key: string;
  readonly job: EpisodeJob;
  readonly error: JobError;
  readonly time: string;
}

export class FailuresFile {
  private fd = -1;
  readonly failures: JobFailure[] = [];

  /** Forgets the previous run's failures (they are retried by this run). */
  constructor(readonly path: string) {
    try {
      if (existsSync(path)) rmSync(path);
    } catch (err) {
      throw new UserError(`${path} (the failures of the previous run) cannot be removed (${(err as NodeJS.ErrnoException).code ?? err})`);
    }
  }

  append(failure: JobFailure): void {
    this.failures.push(failure);
    try {
      if (this.fd < 0) this.fd = openSync(this.path, 'a');
      const bytes = Buffer.from(`${JSON.stringify(failure)}\n`, 'utf8');
      let off = 0;
      while (off < bytes.length) off += writeSync(this.fd, bytes, off, bytes.length - off);
      fsyncSync(this.fd);
    } catch (err) {
      throw new UserError(`${this.path}: writing a job failure failed (${(err as NodeJS.ErrnoException).code ?? err}); free space and run again to resume`);
    }
  }

  close(): void {
    if (this.fd >= 0) closeSync(this.fd);
    this.fd = -1;
  }
}
