import { expect } from 'chai';
import { join } from 'node:path';
import { jobCost, jobKey, type EpisodeJob } from '../../src/experiment/job.js';
import { runPool, WorkerPool } from '../../src/experiment/pool.js';
import type { ResultRow } from '../../src/report/results-schema.js';
import { PACKAGE_ROOT } from '../../src/version.js';

// The worker-thread pool: its order of work and its threads kept between runs.
describe('the worker pool', () => {
  const base: EpisodeJob = {
    game: 'catch', agentDir: join(PACKAGE_ROOT, 'agents', 'catch-dqn'), defense: 'sap:1', attack: 'fgsm', lambda: 4, eot: 2, pgdSteps: 10,
    perturb: 'stack', seed: 3, episode: 0, backend: 'js', maxFrames: 40,
  };
  const clean = { ...base, defense: 'dense', lambda: 0 };
  const strip = ({ time, seconds, ...rest }: ResultRow) => rest;

  it('costs a job by its samples and gradient steps', () => {
    expect(jobCost(clean)).to.equal(1);
    expect(jobCost({ ...base, lambda: 0 }), 'lambda 0: no attack, one sample per step').to.equal(1);
    expect(jobCost({ ...base, defense: 'dense' })).to.equal(3);
    expect(jobCost(base), 'sap, eot 2').to.equal(5);
    expect(jobCost({ ...base, attack: 'pgd', pgdSteps: 10 })).to.equal(41);
    expect(jobCost({ ...base, attack: 'noise' })).to.equal(1);
  });

  it('hands out the most expensive jobs first, ties in their order', async () => {
    const jobs = [clean, { ...base, defense: 'dense' }, { ...clean, episode: 2 }, base];
    const started: EpisodeJob[] = [];
    const done: string[] = [];
    await runPool(jobs, { workers: 1, onStart: (j) => started.push(j), onDone: (j) => done.push(jobKey(j)), onFailed: (_j, e) => expect.fail(e.message) });
    expect(started).to.deep.equal([jobs[3], jobs[1], jobs[0], jobs[2]]);
    expect(done.sort()).to.deep.equal(jobs.map(jobKey).sort());
  });

  it('keeps its threads between runs, gives the rows a pool of its own gives, and runs nothing once closed', async () => {
    const first = [base, clean];
    const second = [{ ...base, episode: 1 }, { ...clean, episode: 1 }, { ...base, defense: 'dense', episode: 1 }];
    const collect = (into: Map<string, unknown>) => ({ onDone: (j: EpisodeJob, r: ResultRow) => into.set(jobKey(j), strip(r)), onFailed: (_j: EpisodeJob, e: { message: string }) => expect.fail(e.message) });
    const own = new Map<string, unknown>();
    await runPool([...first, ...second], { workers: 2, ...collect(own) });
    const kept = new Map<string, unknown>();
    const pool = new WorkerPool({ workers: 2 });
    try {
      await pool.run(first, collect(kept));
      expect(pool.threads).to.equal(2);
      await pool.run(second, collect(kept));
      expect(pool.threads, 'the same two threads').to.equal(2);
    } finally {
      await pool.close();
    }
    expect(pool.threads).to.equal(0);
    expect(kept).to.deep.equal(own);
    const err = await pool.run(first, collect(kept)).then(() => undefined, (e: unknown) => e);
    expect((err as Error).message).to.equal('the worker pool is closed');
  });
});
