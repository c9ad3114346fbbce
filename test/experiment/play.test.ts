import { expect } from 'chai';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { readResults } from '../../src/report/results-file.js';
import type { ResultRow } from '../../src/report/results-schema.js';
import { makeFixtures } from '../helpers/torch-fixtures.js';
import { runCli } from '../helpers/cli.js';
import { makeTempDir, removeTempDir, requirePython } from '../helpers/python.js';

// `sap-rl play` end to end on real Pong (ale-py) with an imported (random-weight) CleanRL agent.
describe('sap-rl play', function () {
  let dir: string;
  let agent: string;
  const base = (out: string, extra: string[] = []): string[] => [
    'play', '--agent', agent, '--defense', 'dense,sap:1.0', '--lambda', '0,4', '--episodes', '2', '--eot', '2',
    '--max-frames', '300', '--backend', 'ale-py', '--seed', '3', '--out', out, ...extra,
  ];

  before(function () {
    requirePython(this, 'torch', 'ale_py');
    dir = makeTempDir();
    const [fx] = makeFixtures(dir, [{ kind: 'cleanrl', n: 6, seed: 5 }]);
    agent = join(dir, 'agents', 'rand-pong');
    const imp = runCli(['import', 'cleanrl', fx!.checkpoint, '--game', 'pong', '--out', agent]);
    expect(imp.code, imp.stderr).to.equal(0);
  });
  after(() => dir && removeTempDir(dir));

  it('plays every (defense, lambda) x episode, writes one row each and a summary', () => {
    const out = join(dir, 'r.csv');
    const res = runCli(base(out));
    expect(res.code, res.stderr).to.equal(0);
    const rows = readResults(out);
    expect(rows).to.have.length(8);
    expect(rows.map((r) => `${r.defense}:${r.lambda}:${r.episode}`)).to.deep.equal([
      'dense:0:0', 'dense:0:1', 'dense:4:0', 'dense:4:1', 'sap:0:0', 'sap:0:1', 'sap:4:0', 'sap:4:1',
    ]);
    for (const r of rows) {
      expect(r).to.include({ game: 'pong', agent: 'rand-pong', attack: 'fgsm', perturb: 'stack', seed: 3, env_backend: 'ale-py', truncated: true, frames: 300 });
      expect(r.eot).to.equal(r.defense === 'sap' ? 2 : 1);
      expect(r.agent_steps).to.be.within(60, 75); // 300 frames / 4, less the no-op start
    }
    // the same episode index meets the same game randomness (no-op start) under every setting
    const dense0 = rows.filter((r) => r.episode === 0 && r.lambda === 0)[0]!;
    for (const r of rows.filter((x) => x.episode === 0)) expect(r.agent_steps).to.equal(dense0.agent_steps);
    expect(res.stdout).to.match(/^defense\s+attack\s+lambda\s+episodes\s+mean reward\s+std\s+95% CI$/m);
    expect(res.stdout).to.match(/^sap:1\s+fgsm\s+4\s+2\s/m);
  });

  it('resumes: a rerun adds nothing, and the same seed gives the same rewards in a new file', () => {
    const out = join(dir, 'r.csv');
    const before = readFileSync(out, 'utf8');
    const again = runCli(base(out));
    expect(again.code, again.stderr).to.equal(0);
    expect(readFileSync(out, 'utf8')).to.equal(before);
    const out2 = join(dir, 'r2.csv');
    expect(runCli(base(out2)).code).to.equal(0);
    const strip = (f: string) => readResults(f).map(({ time, seconds, ...rest }) => rest);
    expect(strip(out2)).to.deep.equal(strip(out));
  });

  it('plays the same episodes in worker threads (--workers 2), rows in any order', () => {
    const out = join(dir, 'r-workers.csv');
    const res = runCli(base(out, ['--workers', '2']));
    expect(res.code, res.stderr).to.equal(0);
    const byKey = (f: string) => new Map(readResults(f).map(({ time, seconds, ...rest }) => [`${rest.defense}:${rest.lambda}:${rest.episode}`, rest]));
    expect(byKey(out)).to.deep.equal(byKey(join(dir, 'r.csv')));
    expect(res.stdout).to.match(/^sap:1\s+fgsm\s+4\s+2\s/m);
  });

  it('plays with --perturb frame and the noise attack, on our own emulator, with the same games as ale-py', () => {
    const rows = (backend: string) => {
      const out = join(dir, `frame-${backend}.csv`);
      const res = runCli(base(out, ['--perturb', 'frame', '--attack', 'noise', '--defense', 'dense', '--episodes', '1', '--backend', backend]));
      expect(res.code, res.stderr).to.equal(0);
      return readResults(out);
    };
    const js = rows('js');
    expect(js.map((r) => `${r.attack}:${r.perturb}:${r.lambda}:${r.env_backend}`)).to.deep.equal(['noise:frame:0:js', 'noise:frame:4:js']);
    const strip = (r: ResultRow) => [r.reward, r.agent_steps, r.frames, r.truncated];
    expect(js.map(strip)).to.deep.equal(rows('ale-py').map(strip));
  });

  it('gives one clear sentence for bad flags and a mismatched agent', () => {
    for (const [args, msg] of [
      [['--perturb', 'pixel'], /--perturb must be frame or stack/],
      [['--game', 'breakout'], /plays pong, not breakout/],
      [['--lambda', '2,x'], /--lambda must be/],
      [['--defense', 'sap:abc'], /--defense/],
    ] as const) {
      const res = runCli(base(join(dir, 'bad.csv'), [...args]));
      expect(res.code, res.stderr).to.equal(2);
      expect(res.stderr.trim()).to.match(msg);
      expect(res.stderr.trim().split('\n')).to.have.length(1);
    }
    expect(existsSync(join(dir, 'bad.csv')), 'no results file is left behind').to.equal(false);
  });
});
