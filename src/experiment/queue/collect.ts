// `sap-rl collect`: the finished jobs' results rows (each completed job's return value) are
// appended to a results CSV of the local runs' schema, through ResultsFile, which skips the
// rows already there: collecting again adds only what finished since. The jobs that failed
// for good are written to the failures sidecar, as `sap-rl batch` does.
import type { Queue } from 'bullmq';
import { ResultsFile } from '../../report/results-file.js';
import { episodeKey, type ResultRow } from '../../report/results-schema.js';
import { failuresPath } from '../batch.js';
import { FailuresFile, type JobFailure } from '../failures-file.js';
import { failureOf, jobsIn, keyOf } from './queue-jobs.js';

export interface CollectOutcome {
  /** Rows appended now. */
  readonly added: number;
  /** Finished jobs whose rows the file already had. */
  readonly already: number;
  /** Jobs still waiting, retrying or running. */
  readonly pending: number;
  readonly failures: JobFailure[];
  /** The failures sidecar; it exists only when some job failed. */
  readonly failuresFile: string;
}

export async function collectResults(queue: Queue, out: string, outFlag = '--out'): Promise<CollectOutcome> {
  const results = ResultsFile.open(out, outFlag); // another schema or an unwritable folder: refused before anything is written
  const failures = new FailuresFile(failuresPath(results.path));
  try {
    let added = 0;
    let already = 0;
    for (const job of await jobsIn(queue, ['completed'])) {
      const row = job.returnvalue as ResultRow | null;
      if (!row || episodeKey(row) !== keyOf(job)) throw new Error(`queue job ${job.id} holds no results row of its own key`);
      if (results.done.has(keyOf(job))) already++;
      else {
        results.append(row);
        added++;
      }
    }
    for (const job of await jobsIn(queue, ['failed'])) failures.append(failureOf(job));
    const counts = await queue.getJobCounts('waiting', 'active', 'delayed', 'prioritized', 'waiting-children');
    const pending = Object.values(counts).reduce((a, b) => a + b, 0);
    return { added, already, pending, failures: failures.failures, failuresFile: failures.path };
  } finally {
    failures.close();
    results.close();
  }
}
