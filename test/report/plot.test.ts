import { expect } from 'chai';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { writePlots } from '../../src/report/plot.js';
import type { ResultRow } from '../../src/report/results-schema.js';
import { runCli } from '../helpers/cli.js';
import { makeTempDir, removeTempDir } from '../helpers/python.js';

function rows(): ResultRow[] {
  const out: ResultRow[] = [];
  for (const [defense, param] of [['dense', ''], ['sap', '1']] as const)
    for (const lambda of [0, 2, 8])
      for (let episode = 0; episode < 4; episode++)
        out.push({
          time: '2026-01-01T00:00:00.000Z', game: 'pong', agent: 'pong-dqn', defense, defense_param: param, attack: 'fgsm', lambda,
          eot: defense === 'sap' ? 10 : 1, pgd_steps: 0, pgd_alpha: 0, perturb: 'stack', seed: 0, episode, max_frames: 108000, reward: 20 - lambda * (defense === 'sap' ? 1 : 3) + (episode % 2),
          agent_steps: 800, frames: 3200, truncated: false, seconds: 5, env_backend: 'ale-py', tf_backend: 'wasm', sap_rl_version: '0.1.0',
        });
  return out;
}

describe('plots', () => {
  let dir: string;
  beforeEach(() => (dir = makeTempDir()));
  afterEach(() => removeTempDir(dir));

  it('writes SVG and PNG figures and an index.html with the summary table', async () => {
    const { files, index } = await writePlots(rows(), join(dir, 'plots'), ['r.csv']);
    expect(files.map((f) => f.split('/').pop())).to.deep.equal([
      'pong-pong-dqn-fgsm-stack-reward-vs-lambda.svg',
      'pong-pong-dqn-fgsm-stack-reward-vs-lambda.png',
      'pong-pong-dqn-fgsm-stack-episodes.svg',
      'pong-pong-dqn-fgsm-stack-episodes.png',
    ]);
    const svg = readFileSync(files[0]!, 'utf8');
    expect(svg).to.match(/^<svg/);
    for (const text of ['lambda (perturbation size', 'episode reward', 'dense', 'sap:1']) expect(svg).to.include(text);
    const png = readFileSync(files[1]!);
    expect(png.subarray(0, 8).toString('hex')).to.equal('89504e470d0a1a0a');
    expect(png.readUInt32BE(16)).to.be.greaterThan(600); // width at 2x
    const html = readFileSync(index, 'utf8');
    expect(html).to.include('pong-pong-dqn-fgsm-stack-reward-vs-lambda.svg');
    // dense at lambda 8: rewards -4, -3, -4, -3 -> mean -3.5
    expect(html).to.match(/<td>dense<\/td><td>8<\/td><td>1<\/td><td>4<\/td><td>-3.5<\/td>/);
  });

  it('the CLI refuses a CSV that is not a results file', () => {
    const f = join(dir, 'x.csv');
    writeFileSync(f, 'a,b\n1,2\n');
    const res = runCli(['plot', f, '--out', join(dir, 'p')]);
    expect(res.code).to.equal(2);
    expect(res.stderr.trim()).to.match(/is not a sap-rl results file/);
  });
});
