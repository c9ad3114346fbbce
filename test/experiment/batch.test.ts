import { expect } from 'chai';
import { spawn } from 'node:child_process';
import { appendFileSync, cpSync, existsSync, readFileSync, readdirSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { readResults } from '../../src/report/results-file.js';
import { episodeKey, type ResultRow } from '../../src/report/results-schema.js';
import { PACKAGE_ROOT } from '../../src/version.js';
import { makeFixtures } from '../helpers/torch-fixtures.js';
import { runCli } from '../helpers/cli.js';
import { makeTempDir, removeTempDir, requirePython } from '../helpers/python.js';

// `sap-rl batch` end to end on Boxing (our js emulator), whose rewards already differ
// between settings after a few hundred frames, with an imported random-weight CleanRL agent.
describe('sap-rl batch', function () {
  let dir: string;
  const GRID = ['defenses: [dense, sap:1.0]', 'attacks: [{ name: fgsm, eot: 2 }]', 'lambdas: [0, 4]', 'seeds: [3]', 'episodes: 2', 'max-frames: 600'];
  const PLAY = ['--defense', 'dense,sap:1.0', '--attack', 'fgsm', '--eot', '2', '--lambda', '0,4', '--seed', '3', '--episodes', '2', '--max-frames', '600'];

  const config = (name: string, runs: string[], defaults = GRID): string => {
    const file = join(dir, `${name}.yaml`);
    writeFileSync(file, [`out: ${name}.csv`, 'defaults:', ...defaults.map((l) => `  ${l}`), 'runs:', ...runs.map((r) => `  - ${r}`), ''].join('\n'));
    return file;
  };
  /** Rows by key, without what varies between runs (time, seconds). */
  const byKey = (rows: ResultRow[]): Map<string, Omit<ResultRow, 'time' | 'seconds'>> =>
    new Map(rows.map(({ time, seconds, ...rest }) => [episodeKey(rest), rest]));
  const csv = (name: string): string => join(dir, `${name}.csv`);

  before(function () {
    requirePython(this, 'torch');
    dir = makeTempDir();
    const [fx] = makeFixtures(dir, [{ kind: 'cleanrl', n: 18, seed: 7 }]);
    const imp = runCli(['import', 'cleanrl', fx!.checkpoint, '--game', 'boxing', '--out', join(dir, 'agents', 'rand-boxing')]);
    expect(imp.code, imp.stderr).to.equal(0);
  });
  after(() => dir && removeTempDir(dir));

  it('gives the same rows with 1 and 2 workers, the same as `sap-rl play`, and a rerun adds nothing', () => {
    const file = config('grid', ['{ game: boxing, agent: agents/rand-boxing }']);
    const one = runCli(['batch', file, '--workers', '1', '--out', csv('one')]);
    expect(one.code, one.stderr).to.equal(0);
    const two = runCli(['batch', file, '--workers', '2']);
    expect(two.code, two.stderr).to.equal(0);
    const play = runCli(['play', '--agent', join(dir, 'agents', 'rand-boxing'), ...PLAY, '--out', csv('play')]);
    expect(play.code, play.stderr).to.equal(0);

    const rows = readResults(csv('grid'));
    expect(rows).to.have.length(8);
    expect(byKey(readResults(csv('one')))).to.deep.equal(byKey(rows));
    expect(byKey(readResults(csv('play')))).to.deep.equal(byKey(rows));
    expect(new Set(rows.map((r) => r.reward)).size, 'rewards differ between episodes and settings').to.be.greaterThan(2);
    for (const r of rows) expect(r).to.include({ game: 'boxing', agent: 'rand-boxing', env_backend: 'js', tf_backend: 'wasm', frames: 600, truncated: true });
    expect(two.stdout).to.match(/^game\s+agent\s+defense\s+attack\s+lambda\s+episodes\s+mean reward\s+std\s+95% CI$/m);
    expect(two.stdout).to.match(/^boxing\s+rand-boxing\s+sap:1\s+fgsm\s+4\s+2\s/m);

    const before = readFileSync(csv('grid'), 'utf8');
    const again = runCli(['batch', file, '--workers', '2']);
    expect(again.code, again.stderr).to.equal(0);
    expect(again.stdout).to.contain('8 of 8 episodes are already in');
    expect(readFileSync(csv('grid'), 'utf8')).to.equal(before);
  });

  it('survives kill -9 in the middle: the rerun completes with exactly one row per job and the same rewards', async () => {
    const defaults = [...GRID.filter((l) => !l.startsWith('lambdas') && !l.startsWith('episodes')), 'lambdas: [0, 2, 4]', 'episodes: 3'];
    const file = config('killed', ['{ game: boxing, agent: agents/rand-boxing }'], defaults);
    const reference = runCli(['batch', file, '--workers', '1', '--out', csv('uninterrupted')]);
    expect(reference.code, reference.stderr).to.equal(0);
    const want = byKey(readResults(csv('uninterrupted')));
    expect(want.size).to.equal(18);

    const child = spawn(process.execPath, [join(PACKAGE_ROOT, 'bin', 'sap-rl.js'), 'batch', file, '--workers', '2'], { stdio: 'ignore' });
    let exited = false;
    child.on('exit', () => (exited = true));
    const dataLines = (): number => (existsSync(csv('killed')) ? (readFileSync(csv('killed'), 'utf8').match(/\n/g)?.length ?? 1) - 1 : 0); // whole rows
    while (!exited && dataLines() < 3) await new Promise((r) => setTimeout(r, 20));
    expect(exited, 'the run was still going when killed').to.equal(false);
    child.kill('SIGKILL');
    await new Promise((r) => child.once('exit', r));
    const partial = readResults(csv('killed')).length;
    expect(partial).to.be.within(3, 17);
    appendFileSync(csv('killed'), '2026-01-01T00:00:00.000Z,boxing,rand-boxing,sap,1,fg'); // as if killed in the middle of a write

    const rerun = runCli(['batch', file, '--workers', '2']);
    expect(rerun.code, rerun.stderr).to.equal(0);
    expect(rerun.stdout).to.contain(`${partial} of 18 episodes are already in`);
    const rows = readResults(csv('killed'));
    expect(rows).to.have.length(18);
    expect(byKey(rows)).to.deep.equal(want);
  });

  it('reports a failing job with its key and error, finishes the others, exits non-zero, and a rerun plays just those', () => {
    const bad = join(dir, 'agents', 'broken-boxing');
    cpSync(join(dir, 'agents', 'rand-boxing'), bad, { recursive: true });
    const weights = join(bad, readdirSync(bad).find((f) => f.endsWith('.bin'))!);
    const good = readFileSync(weights);
    truncateSync(weights, 1000);
    const file = config('failing', ['{ game: boxing, agent: agents/broken-boxing }', '{ game: boxing, agent: agents/rand-boxing }'], [
      ...GRID.filter((l) => !l.startsWith('lambdas') && !l.startsWith('defenses')),
      'defenses: [dense]',
      'lambdas: [4]',
    ]);
    const res = runCli(['batch', file, '--workers', '2']);
    expect(res.code).to.equal(1);
    expect(res.stderr).to.contain('2 episode jobs failed:');
    expect(res.stderr).to.contain('weight data is truncated (1000 bytes');
    expect(res.stderr).to.contain('boxing|broken-boxing|dense||fgsm|4|1|0|0|stack|3|0|600');
    expect(res.stderr.trim().split('\n').pop()).to.match(/^sap-rl: 2 of 4 episode jobs failed \(listed in .*failing\.csv\.failures\.jsonl\); fix their cause and run the same command again/);
    expect(readResults(csv('failing')).map((r) => `${r.agent}:${r.episode}`).sort()).to.deep.equal(['rand-boxing:0', 'rand-boxing:1']);
    const failures = readFileSync(`${csv('failing')}.failures.jsonl`, 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    expect(failures.map((f) => f.key).sort()).to.deep.equal(['boxing|broken-boxing|dense||fgsm|4|1|0|0|stack|3|0|600', 'boxing|broken-boxing|dense||fgsm|4|1|0|0|stack|3|1|600']);
    expect(failures[0].job).to.include({ game: 'boxing', agentDir: bad, defense: 'dense', lambda: 4 });
    expect(failures[0].error).to.include({ user: true });

    writeFileSync(weights, good);
    const rerun = runCli(['batch', file, '--workers', '2']);
    expect(rerun.code, rerun.stderr).to.equal(0);
    expect(rerun.stdout).to.contain('2 of 4 episodes are already in');
    expect(readResults(csv('failing'))).to.have.length(4);
    expect(existsSync(`${csv('failing')}.failures.jsonl`), 'no failures this time').to.equal(false);
  });
});
