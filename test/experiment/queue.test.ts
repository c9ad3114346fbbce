import { expect } from 'chai';
import { spawn, type ChildProcess } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Queue } from 'bullmq';
import { AGENT_FORMAT_VERSION } from '../../src/agent/agent-spec.js';
import { saveAgent } from '../../src/agent/agent-store.js';
import { buildNatureCnn } from '../../src/agent/nature-cnn.js';
import { ensureTf } from '../../src/agent/tf-backend.js';
import { QUEUE_NAME, JOB_NAME } from '../../src/experiment/queue/connection.js';
import { QueuedJobMaker, queueJobId } from '../../src/experiment/queue/queued-job.js';
import { readResults } from '../../src/report/results-file.js';
import { episodeKey, type ResultRow } from '../../src/report/results-schema.js';
import { PACKAGE_ROOT } from '../../src/version.js';
import { runCli } from '../helpers/cli.js';
import { makeTempDir, removeTempDir } from '../helpers/python.js';
import { TestRedis, requireRedis } from '../helpers/redis.js';

const BIN = join(PACKAGE_ROOT, 'bin', 'sap-rl.js');
const STALL = ['--stall-timeout', '3'];

/** A `sap-rl worker` child process and what it printed, line by line. */
class WorkerProcess {
  readonly child: ChildProcess;
  readonly lines: string[] = [];
  private text = '';

  constructor(args: string[]) {
    this.child = spawn(process.execPath, [BIN, 'worker', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    const onData = (d: Buffer): void => {
      this.text += d.toString();
      const parts = this.text.split('\n');
      this.text = parts.pop()!;
      this.lines.push(...parts);
    };
    this.child.stdout!.on('data', onData);
    this.child.stderr!.on('data', onData);
  }

  /** Keys of the jobs it logged as `verb` (start, done, failed). */
  keys(verb: string): string[] {
    return this.lines.flatMap((l) => {
      const m = new RegExp(`^\\S+ ${verb} (\\S+)`).exec(l);
      return m ? [m[1]!.replace(/:$/, '')] : [];
    });
  }

  async waitFor(test: () => boolean, what: string, timeoutMs = 120_000): Promise<void> {
    const end = Date.now() + timeoutMs;
    while (!test()) {
      if (this.child.exitCode !== null) throw new Error(`the worker exited (${this.child.exitCode}) before ${what}:\n${this.lines.join('\n')}`);
      if (Date.now() > end) throw new Error(`timed out waiting for ${what}:\n${this.lines.join('\n')}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  async stop(signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    await new Promise((r) => {
      this.child.once('exit', r);
      this.child.kill(signal);
    });
  }
}

// Sweeps through the Redis queue, end to end with the CLI: `batch --queue`, two `worker`
// processes (one killed with SIGKILL mid-job), `status` and `collect`, against a private
// redis-server; on Catch (our own ROM) with a random-weight agent built here.
describe('sap-rl batch --queue, worker, status, collect', function () {
  let dir: string;
  let redis: TestRedis;
  const workers: WorkerProcess[] = [];
  const queues: Queue[] = [];
  const GRID = ['defenses: [dense, sap:1.0]', 'attacks: [{ name: fgsm, eot: 2 }]', 'lambdas: [0, 4]', 'seeds: [0]', 'episodes: 2', 'max-frames: 600'];

  const config = (name: string, defaults = GRID): string => {
    const file = join(dir, `${name}.yaml`);
    writeFileSync(file, [`out: ${name}.csv`, 'defaults:', ...defaults.map((l) => `  ${l}`), 'runs:', '  - { game: catch, agent: agents/catch-rand }', ''].join('\n'));
    return file;
  };
  const csv = (name: string): string => join(dir, `${name}.csv`);
  /** `sap-rl batch --queue` run in `dir`: agent paths are recorded relative to it (the default --agents-root). */
  const enqueue = (file: string, url: string, ...args: string[]) => runCli(['batch', file, '--queue', url, ...args], { cwd: dir });
  const worker = (url: string, ...args: string[]): WorkerProcess => {
    const w = new WorkerProcess(['--queue', url, '--agents-root', dir, ...STALL, ...args]);
    workers.push(w);
    return w;
  };
  const queueAt = (url: string): Queue => {
    const q = new Queue(QUEUE_NAME, { connection: { url } });
    queues.push(q);
    return q;
  };
  const settled = async (q: Queue, total: number, timeoutMs = 180_000): Promise<void> => {
    const end = Date.now() + timeoutMs;
    for (;;) {
      const c = await q.getJobCounts('completed', 'failed');
      if ((c['completed'] ?? 0) + (c['failed'] ?? 0) >= total) return;
      if (Date.now() > end) throw new Error(`the queue did not finish in ${timeoutMs} ms: ${JSON.stringify(await q.getJobCounts())}`);
      await new Promise((r) => setTimeout(r, 200));
    }
  };
  /** Rows by key, without what varies between runs (time, seconds). */
  const byKey = (rows: ResultRow[]): Map<string, Omit<ResultRow, 'time' | 'seconds'>> =>
    new Map(rows.map(({ time, seconds, ...rest }) => [episodeKey(rest), rest]));

  before(async function () {
    requireRedis(this);
    await ensureTf();
    dir = makeTempDir('sap-rl-queue-');
    await saveAgent(join(dir, 'agents', 'catch-rand'), buildNatureCnn({ nActions: 3, scaleInside: true, seed: 8 }), {
      formatVersion: AGENT_FORMAT_VERSION,
      game: 'catch',
      actions: [0, 3, 4],
      observation: { frameStack: 4, height: 84, width: 84, layout: 'NHWC', scaleInside: true },
      provenance: { kind: 'trained', source: 'test', format: 'sap-rl', date: new Date(0).toISOString() },
    });
    mkdirSync(join(dir, 'redis'));
    redis = await TestRedis.start({ dir: join(dir, 'redis') });
  });
  afterEach(async () => {
    for (const w of workers.splice(0)) await w.stop('SIGKILL');
    for (const q of queues.splice(0)) await q.close();
  });
  after(async () => {
    await redis?.stop('SIGKILL');
    if (dir) removeTempDir(dir);
  });

  it('refuses a bad --queue URL, an unreachable Redis and local-only flags in one sentence (exit 2)', () => {
    const file = config('flags');
    const bad = runCli(['status', '--queue', 'localhost:6379']);
    expect(bad.code).to.equal(2);
    expect(bad.stderr.trim()).to.equal("sap-rl: --queue must be a Redis URL such as redis://HOST:6379 (or redis://HOST:6379/DB for database DB), not 'localhost:6379'");
    const down = enqueue(file, 'redis://127.0.0.1:1');
    expect(down.code).to.equal(2);
    expect(down.stderr.trim()).to.equal(
      'sap-rl: --queue redis://127.0.0.1:1: cannot reach Redis (ECONNREFUSED); start redis-server there (README: Sweeps on several machines) or fix the URL',
    );
    const w = runCli(['worker', '--queue', 'redis://127.0.0.1:1']);
    expect(w.code).to.equal(2);
    expect(w.stderr).to.contain('cannot reach Redis (ECONNREFUSED)');
    const workersFlag = enqueue(file, redis.url(), '--workers', '2');
    expect(workersFlag.code).to.equal(2);
    expect(workersFlag.stderr.trim()).to.equal('sap-rl: --workers does not apply with --queue; give each `sap-rl worker` its --concurrency');
    const attempts = runCli(['batch', file, '--attempts', '2']);
    expect(attempts.code).to.equal(2);
    expect(attempts.stderr.trim()).to.equal('sap-rl: --attempts applies only with --queue');
  });

  it('two workers, one killed with SIGKILL mid-job: its job runs again after the stall timeout, and the collected CSV equals a local batch', async () => {
    const url = redis.url(1);
    const file = config('grid');
    const first = enqueue(file, url);
    expect(first.code, first.stderr).to.equal(0);
    expect(first.stdout).to.contain(`8 episode jobs queued; 0 already in the queue (8 in the sweep) at ${url}`);
    expect(first.stdout).to.contain(`agent folders are recorded relative to ${dir};`);
    const again = enqueue(file, url);
    expect(again.code, again.stderr).to.equal(0);
    expect(again.stdout, 'enqueuing twice adds nothing').to.contain('0 episode jobs queued; 8 already in the queue (8 in the sweep)');

    const a = worker(url);
    await a.waitFor(() => a.keys('start').length > 0, 'worker A starting a job');
    const b = worker(url);
    await new Promise((r) => setTimeout(r, 500));
    const killed = a.keys('start').find((k) => !a.keys('done').includes(k));
    expect(killed, 'worker A is in the middle of a job').to.be.a('string');
    await a.stop('SIGKILL');

    const q = queueAt(url);
    await settled(q, 8);
    await b.waitFor(() => b.keys('done').includes(killed!), 'worker B playing the killed job');
    expect(b.lines.some((l) => l.includes(`stalled ${killed}`)), 'worker B found the killed job stalled').to.equal(true);
    const job = await q.getJob(queueJobId(killed!));
    expect(job?.stalledCounter, 'the killed job stalled once').to.equal(1);
    expect(await q.getJobCounts('completed', 'failed', 'active', 'waiting', 'delayed')).to.deep.equal({ completed: 8, failed: 0, active: 0, waiting: 0, delayed: 0 });

    const status = runCli(['status', '--queue', url]);
    expect(status.code, status.stderr).to.equal(0);
    expect(status.stdout).to.contain(`${url} (Redis 7`);
    expect(status.stdout).to.match(/8 episode jobs, 1 worker \(sap-rl worker processes\) connected/);
    expect(status.stdout).to.match(/^done\s+running\s+waiting\s+retrying\s+failed\n[- ]+\n\s+8\s+0\s+0\s+0\s+0$/m);
    await b.stop();

    const collected = runCli(['collect', '--queue', url, '--out', csv('collected')]);
    expect(collected.code, collected.stderr).to.equal(0);
    expect(collected.stdout).to.contain(`8 new results appended to`);
    const text = readFileSync(csv('collected'), 'utf8');
    const twice = runCli(['collect', '--queue', url, '--out', csv('collected')]);
    expect(twice.code, twice.stderr).to.equal(0);
    expect(twice.stdout).to.contain('0 new results appended to');
    expect(readFileSync(csv('collected'), 'utf8'), 'collecting again adds nothing').to.equal(text);

    const local = runCli(['batch', file, '--workers', '1', '--out', csv('local')]);
    expect(local.code, local.stderr).to.equal(0);
    const rows = readResults(csv('collected'));
    expect(rows).to.have.length(8);
    expect(byKey(rows)).to.deep.equal(byKey(readResults(csv('local'))));
    expect(new Set(rows.map((r) => r.reward)).size, 'rewards differ between episodes and settings').to.be.greaterThan(2);

    // Rows already collected are not queued again (here into an empty database).
    const fresh = enqueue(file, redis.url(2), '--out', csv('collected'));
    expect(fresh.code, fresh.stderr).to.equal(0);
    expect(fresh.stdout).to.match(/^0 episode jobs queued; 0 already in the queue; 8 already in \S*collected\.csv \(8 in the sweep\)/m);
  });

  it('fails a job at once, without retries, when the worker machine has another agent or none, and queues it again once fixed', async () => {
    const url = redis.url(3);
    const file = config('mismatch', [...GRID.filter((l) => !/^(defenses|lambdas|episodes)/.test(l)), 'defenses: [dense]', 'lambdas: [4]', 'episodes: 1']);
    const key = 'catch|catch-rand|dense||fgsm|4|1|0|0|stack|0|0|600';
    const queued = enqueue(file, url, '--attempts', '3');
    expect(queued.code, queued.stderr).to.equal(0);

    // Another machine: the same layout under another root, but one weight differs.
    const other = join(dir, 'other-machine');
    cpSync(join(dir, 'agents'), join(other, 'agents'), { recursive: true });
    const weights = join(other, 'agents', 'catch-rand', 'group1-shard1of1.bin');
    const bytes = readFileSync(weights);
    bytes[100] = bytes[100]! ^ 1;
    writeFileSync(weights, bytes);
    const w = new WorkerProcess(['--queue', url, '--agents-root', other, ...STALL]);
    workers.push(w);
    await w.waitFor(() => w.keys('failed').length > 0, 'the job failing');
    const q = queueAt(url);
    const job = await q.getJob(queueJobId(key));
    expect(await job!.getState()).to.equal('failed');
    expect(job!.attemptsMade, 'no pointless retries').to.equal(1);
    const message = `agent agents/catch-rand on this machine differs from the one enqueued (md5 `;
    expect(job!.failedReason).to.match(
      /^agent agents\/catch-rand on this machine differs from the one enqueued \(md5 [0-9a-f]{32} here, [0-9a-f]{32} enqueued; group1-shard1of1\.bin differs\); copy the same agent folder to \S*other-machine\/agents\/catch-rand on every worker machine, or point --agents-root at the folder that holds the right copy$/,
    );
    expect(w.lines.find((l) => l.includes(`failed ${key}`))).to.contain(message).and.to.match(/; failed for good$/);
    await w.stop();

    const status = runCli(['status', '--queue', url]);
    expect(status.code, status.stderr).to.equal(0);
    expect(status.stdout).to.match(/^\s+0\s+0\s+0\s+0\s+1$/m);
    expect(status.stdout).to.contain(`1 episode job failed:\n  1 x ${message}`);
    expect(status.stdout).to.contain(`      ${key}`);
    const collect = runCli(['collect', '--queue', url, '--out', csv('mismatch')]);
    expect(collect.code).to.equal(1);
    expect(collect.stderr).to.contain(`1 x ${message}`);
    expect(collect.stderr.trim().split('\n').pop()).to.match(
      new RegExp(`^sap-rl: 1 episode job failed for good \\(listed in .*mismatch\\.csv\\.failures\\.jsonl\\); fix their cause and run \`sap-rl batch CONFIG --queue ${url}\` again to queue them again$`),
    );
    const failure = JSON.parse(readFileSync(`${csv('mismatch')}.failures.jsonl`, 'utf8'));
    expect(failure).to.deep.include({ key });
    expect(failure.error).to.include({ user: true });
    expect(failure.job).to.include({ game: 'catch', agentDir: 'agents/catch-rand', lambda: 4 });

    // A machine without the agent: also at once, naming the flag that maps the paths.
    const requeued = enqueue(file, url);
    expect(requeued.stdout).to.contain('1 episode jobs queued; 1 of them failed before and are queued again; 0 already in the queue');
    const empty = join(dir, 'empty-machine');
    mkdirSync(empty);
    const none = new WorkerProcess(['--queue', url, '--agents-root', empty, ...STALL]);
    workers.push(none);
    await none.waitFor(() => none.keys('failed').length > 0, 'the job failing');
    expect(none.lines.find((l) => l.includes(`failed ${key}`))).to.contain(
      `agent agents/catch-rand is not on this machine (${join(empty, 'agents', 'catch-rand', 'agent.json')} is missing); copy the agent folder there, or start the worker with --agents-root set to the folder that holds agents/catch-rand`,
    );
    await none.stop();

    // Fixed (the right root): queued again, it plays.
    expect(enqueue(file, url).stdout).to.contain('1 of them failed before and are queued again');
    worker(url);
    await settled(q, 1);
    expect(await (await q.getJob(queueJobId(key)))!.getState()).to.equal('completed');
    const fixed = runCli(['collect', '--queue', url, '--out', csv('mismatch')]);
    expect(fixed.code, fixed.stderr).to.equal(0);
    expect(readResults(csv('mismatch')).map(episodeKey)).to.deep.equal([key]);
    expect(existsSync(`${csv('mismatch')}.failures.jsonl`), 'no failures this time').to.equal(false);
  });

  it('retries a job that throws an unexpected error with exponential backoff, then reports it with its error', async () => {
    const url = redis.url(4);
    // A hand-made job that no config can give (seed -1): the episode's seeding throws a RangeError.
    const data = new QueuedJobMaker(dir).make({
      game: 'catch', agentDir: join(dir, 'agents', 'catch-rand'), defense: 'dense', attack: 'none', lambda: 0, eot: 1, pgdSteps: 10,
      perturb: 'stack', seed: -1, episode: 0, backend: 'js', maxFrames: 100,
    });
    const q = queueAt(url);
    await q.add(JOB_NAME, data, { jobId: queueJobId(data.key), attempts: 3, backoff: { type: 'exponential', delay: 300 } });
    const w = worker(url);
    await settled(q, 1);
    const job = await q.getJob(queueJobId(data.key));
    expect(await job!.getState()).to.equal('failed');
    expect(job!.attemptsMade).to.equal(3);
    expect(job!.failedReason).to.equal('seed must be non-negative');
    await w.waitFor(() => w.keys('failed').length === 3, 'three attempts logged');
    const failed = w.lines.filter((l) => l.includes(' failed '));
    expect(failed[0]).to.match(/\(attempt 1\): seed must be non-negative; retried in 0\.3 s$/);
    expect(failed[1]).to.match(/\(attempt 2\): seed must be non-negative; retried in 0\.6 s$/);
    expect(failed[2]).to.match(/\(attempt 3\): seed must be non-negative; failed for good$/);
    const starts = w.lines.filter((l) => l.includes(' start ')).map((l) => Date.parse(l.split(' ')[0]!));
    expect(starts).to.have.length(3);
    expect(starts[2]! - starts[1]!, 'the second wait is longer').to.be.greaterThan(550);

    const status = runCli(['status', '--queue', url]);
    expect(status.stdout).to.contain(`1 episode job failed:\n  1 x seed must be non-negative\n      ${data.key}`);
    const collect = runCli(['collect', '--queue', url, '--out', csv('retried')]);
    expect(collect.code).to.equal(1);
    const failure = JSON.parse(readFileSync(`${csv('retried')}.failures.jsonl`, 'utf8'));
    expect(failure.error).to.include({ message: 'seed must be non-negative', user: false });
    expect(failure.error.stack).to.match(/^RangeError: seed must be non-negative/);
  });

  it('keeps the results through a Redis crash and restart when Redis has AOF persistence on', async () => {
    mkdirSync(join(dir, 'aof'));
    const durable = await TestRedis.start({ dir: join(dir, 'aof'), aof: true });
    try {
      const url = durable.url();
      const file = config('durable', [...GRID.filter((l) => !/^(lambdas|episodes|max-frames)/.test(l)), 'lambdas: [4]', 'episodes: 1', 'max-frames: 300']);
      expect(enqueue(file, url).code).to.equal(0);
      const w = worker(url);
      const q = queueAt(url);
      await settled(q, 2);
      await w.stop('SIGKILL');
      await q.close();
      await durable.stop('SIGKILL'); // a crash: only what the AOF holds survives
      await durable.start();
      const status = runCli(['status', '--queue', url]);
      expect(status.stdout).to.contain('persistence appendonly yes');
      expect(status.stdout).to.match(/^\s+2\s+0\s+0\s+0\s+0$/m);
      const collect = runCli(['collect', '--queue', url, '--out', csv('durable')]);
      expect(collect.code, collect.stderr).to.equal(0);
      expect(readResults(csv('durable')).map(episodeKey).sort()).to.deep.equal([
        'catch|catch-rand|dense||fgsm|4|1|0|0|stack|0|0|300',
        'catch|catch-rand|sap|1|fgsm|4|2|0|0|stack|0|0|300',
      ]);
    } finally {
      await durable.stop('SIGKILL');
    }
  });
});
