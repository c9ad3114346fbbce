import { expect } from 'chai';
import { existsSync, mkdirSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { initTf } from '../../src/agent/tf-backend.js';
import { parseDefenses } from '../../src/defense/index.js';
import { cleanScore, DEFAULT_RUN, runPlayToPrecision, tooWide } from '../../src/experiment/default-run.js';
import { readResults } from '../../src/report/results-file.js';
import { summarise, type SettingSummary } from '../../src/report/summary.js';
import { runCli } from '../helpers/cli.js';
import { makeTempDir, removeTempDir } from '../helpers/python.js';

const setting = (defense: string, lambda: number, n: number, mean: number, ci95: number): SettingSummary => ({
  game: 'catch', agent: 'catch-dqn', defense, attack: 'fgsm', lambda, eot: 10, perturb: 'stack', n, mean, std: NaN, ci95,
});

describe('the default run (sap-rl play without --agent and --game)', function () {
  this.timeout(0);
  let dir: string;
  before(() => (dir = makeTempDir()));
  after(() => dir && removeTempDir(dir));

  it('picks the settings whose full 95% CI is at least a quarter of the clean score, below the episode cap', () => {
    const o = { step: 4, maxEpisodes: 40, ciWidthFraction: 0.25 };
    const s = [
      setting('dense', 0, 8, 20, 0),
      setting('dense', 4, 8, -10, 2.6), // 5.2 >= 5: too wide
      setting('sap:1', 4, 8, 2, 2.4), // 4.8 < 5: narrow enough
      setting('sap:1', 8, 40, -17, 9), // too wide, but at the cap
      setting('sap:1', 2, 1, 18, NaN), // one episode: no interval yet
    ];
    expect(cleanScore(s)).to.equal(20);
    expect(tooWide(s, 20, o).map((x) => `${x.defense}/${x.lambda}`)).to.deep.equal(['dense/4', 'sap:1/2']);
    expect(cleanScore([setting('sap:1', 0, 8, 20, 0)])).to.be.NaN;
  });

  it('adds episodes to the wide settings until each is narrow enough or capped; a rerun plays nothing', async () => {
    await initTf('wasm');
    const out = join(dir, 'precision.csv');
    const cfg = {
      game: DEFAULT_RUN.game, agentDir: DEFAULT_RUN.agentDir, defenses: parseDefenses('dense'), attack: { name: 'fgsm' as const, eot: 1, pgdSteps: 10 },
      lambdas: [0, 4], episodes: 2, seed: 0, perturb: 'stack' as const, backend: 'js' as const, out, maxFrames: 800,
    };
    const o = { step: 2, maxEpisodes: 6, ciWidthFraction: 0.25 };
    let played = 0;
    const rows = await runPlayToPrecision(cfg, o, { onEpisodeEnd: () => played++ });
    const byLambda = new Map(summarise(rows).map((s) => [s.lambda, s]));
    const clean = byLambda.get(0)!.mean;
    for (const s of byLambda.values()) {
      expect(s.n % 2, `lambda ${s.lambda}`).to.equal(0); // 2, then steps of 2
      expect(s.n === o.maxEpisodes || 2 * s.ci95 < o.ciWidthFraction * Math.abs(clean), `lambda ${s.lambda}: n ${s.n}, ci ${s.ci95}`).to.equal(true);
      if (s.n > cfg.episodes) {
        // it was too wide with two episodes fewer
        const fewer = summarise(rows.filter((r) => r.lambda === s.lambda && r.episode < s.n - o.step))[0]!;
        expect(2 * fewer.ci95 >= o.ciWidthFraction * Math.abs(clean), `lambda ${s.lambda} at ${fewer.n}`).to.equal(true);
      }
    }
    // (lambda 4 spreads enough that it needs the top-up rounds: the loop is exercised)
    expect(byLambda.get(4)!.n).to.be.greaterThan(cfg.episodes);
    expect(readResults(out)).to.have.length(rows.length);
    expect(played).to.equal(rows.length);
    let again = 0;
    const rerun = await runPlayToPrecision(cfg, o, { onEpisodeEnd: () => again++ });
    expect(again).to.equal(0);
    expect(rerun.map((r) => r.reward)).to.deep.equal(rows.map((r) => r.reward));
  });

  it('runs from the CLI with no --agent and --game: our game, our agent, the CSV and the plot under results/default', () => {
    const cwd = join(dir, 'fresh');
    mkdirSync(cwd);
    const res = runCli(['play', '--episodes', '1', '--lambda', '0,4', '--eot', '2', '--max-frames', '300', '--workers', '1'], { cwd });
    expect(res.code, res.stderr).to.equal(0);
    const csv = join(cwd, DEFAULT_RUN.out);
    const rows = readResults(csv);
    expect(rows.map((r) => `${r.game} ${r.agent} ${r.defense}${r.defense_param} ${r.lambda} ${r.eot}`)).to.deep.equal([
      'catch catch-dqn dense 0 1', 'catch catch-dqn dense 4 1', 'catch catch-dqn sap1 0 2', 'catch catch-dqn sap1 4 2',
    ]);
    const plots = readdirSync(join(cwd, DEFAULT_RUN.plotDir));
    expect(plots).to.include('catch-catch-dqn-fgsm-stack-reward-vs-lambda.png');
    expect(existsSync(join(cwd, DEFAULT_RUN.plotDir, 'index.html'))).to.equal(true);
    expect(res.stdout).to.match(/^plot: .*reward-vs-lambda\.png/m);
  });
});
