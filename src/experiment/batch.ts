// `sap-rl batch`: runs a plan's jobs in the worker-thread pool. The main thread alone
// appends each finished episode to the results CSV (fsynced), so a killed run loses only
// the episodes in flight; jobs already in the file are left out before any worker starts.
import type { TfBackendName } from '../agent/tf-backend.js';
import { ResultsFile } from '../report/results-file.js';
import { episodeKey, type ResultRow } from '../report/results-schema.js';
import type { BatchPlan } from './batch-plan.js';
import { FailuresFile, type JobFailure } from './failures-file.js';
import { jobKey, type EpisodeJob, type JobError } from './job.js';
import { runPool } from './pool.js';

export interface BatchOptions {
  workers: number;
  tfBackend?: TfBackendName | undefined;
  /** The flag that named the output file, for errors. */
  outFlag?: string;
}

export interface BatchHooks {
  /** Before the pool starts: how many jobs the grid has and how many are already in the file. */
  onBegin?(info: { total: number; done: number; pending: number }): void;
  onJobDone?(row: ResultRow, job: EpisodeJob): void;
  onJobFailed?(job: EpisodeJob, error: JobError): void;
}

export interface BatchOutcome {
  /** Every row of the plan's jobs in the file (old and new), in plan order. */
  rows: ResultRow[];
  /** Jobs played by this run. */
  ran: number;
  /** Jobs that were already in the file. */
  skipped: number;
  failures: JobFailure[];
  /** The failures sidecar; it exists only when some job failed. */
  failuresFile: string;
}

export function failuresPath(out: string): string {
  return `${out}.failures.jsonl`;
}

export async function runBatch(plan: BatchPlan, opts: BatchOptions, hooks: BatchHooks = {}): Promise<BatchOutcome> {
  const results = ResultsFile.open(plan.out, opts.outFlag ?? 'out'); // another schema or an unwritable folder: refused before any work
  const failures = new FailuresFile(failuresPath(plan.out));
  try {
    const pending = plan.jobs.filter((j) => !results.done.has(jobKey(j)));
    hooks.onBegin?.({ total: plan.jobs.length, done: plan.jobs.length - pending.length, pending: pending.length });
    const fresh = new Map<string, ResultRow>();
    await runPool(pending, {
      workers: opts.workers,
      tfBackend: opts.tfBackend,
      onDone: (job, row) => {
        results.append(row);
        fresh.set(jobKey(job), row);
        hooks.onJobDone?.(row, job);
      },
      onFailed: (job, error) => {
        failures.append({ key: jobKey(job), job, error, time: new Date().toISOString() });
        hooks.onJobFailed?.(job, error);
      },
    });
    const old = new Map(results.existing.map((r) => [episodeKey(r), r]));
    const rows: ResultRow[] = [];
    for (const job of plan.jobs) {
      const key = jobKey(job);
      const row = fresh.get(key) ?? old.get(key);
      if (row) rows.push(row);
    }
    return { rows, ran: fresh.size, skipped: plan.jobs.length - pending.length, failures: failures.failures, failuresFile: failures.path };
  } finally {
    failures.close();
    results.close();
  }
}
