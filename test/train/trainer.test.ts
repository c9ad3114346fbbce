import { expect } from 'chai';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type * as tf from '@tensorflow/tfjs';
import { loadAgent } from '../../src/agent/agent-store.js';
import { buildConvQNet } from '../../src/agent/nature-cnn.js';
import { initTf } from '../../src/agent/tf-backend.js';
import { parseHyperparams } from '../../src/train/hyperparams.js';
import { train, type TrainOptions } from '../../src/train/trainer.js';
import { runCli } from '../helpers/cli.js';
import { makeTempDir, removeTempDir } from '../helpers/python.js';

const SMALL = { convs: [{ filters: 4, kernel: 8, stride: 4 }], hidden: [16] };
const HPARAMS = { architecture: SMALL, learningStarts: 100, evalInterval: 200, evalEpisodes: 1, checkpointInterval: 100, targetUpdateInterval: 50, learningRate: 1e-3 };

class Crash extends Error {}

function weights(model: tf.LayersModel): number[][] {
  return model.getWeights().map((w) => [...(w.dataSync() as Float32Array)]);
}

describe('DQN trainer', function () {
  let dir: string;
  const base = (): TrainOptions => ({
    game: 'breakout',
    backend: 'js',
    totalSteps: 500,
    seed: 7,
    hyperparams: parseHyperparams(HPARAMS, 'test'),
    checkpointDir: join(dir, 'ckpt'),
    resume: false,
    maxFrames: 800,
    buildModel: (nActions, seed) => buildConvQNet({ nActions, scaleInside: true, seed, ...SMALL }),
  });

  before(async () => {
    await initTf('wasm');
    dir = makeTempDir();
  });
  after(() => removeTempDir(dir));

  it('is deterministic, and a run resumed from a checkpoint ends exactly where an uninterrupted one does', async () => {
    const episodes: number[][] = [[], [], []];
    const a = await train({ ...base(), checkpointDir: join(dir, 'a') }, { onEpisode: (e) => episodes[0]!.push(e.return, e.loss) });
    const b = await train({ ...base(), checkpointDir: join(dir, 'b') }, { onEpisode: (e) => episodes[1]!.push(e.return, e.loss) });
    expect(a.counters.updates).to.equal((500 - 100) / 4);
    expect(weights(b.model)).to.deep.equal(weights(a.model));
    expect(episodes[1]).to.deep.equal(episodes[0]);

    // Crash right after the first checkpoint, then resume.
    let crashedAt = -1;
    const crashing = train(
      { ...base(), checkpointDir: join(dir, 'c') },
      {
        onCheckpoint: (step) => {
          crashedAt = step;
          throw new Crash();
        },
      },
    );
    await crashing.then(
      () => expect.fail('the run should have crashed'),
      (e) => expect(e).to.be.instanceOf(Crash),
    );
    expect(crashedAt).to.be.within(100, 499);
    const c = await train({ ...base(), checkpointDir: join(dir, 'c'), resume: true }, { onEpisode: (e) => episodes[2]!.push(e.step) });
    expect(c.resumedFrom).to.equal(crashedAt);
    expect(c.counters).to.deep.equal(a.counters);
    expect(weights(c.model)).to.deep.equal(weights(a.model));
    // A different seed learns something else.
    const d = await train({ ...base(), seed: 8, checkpointDir: join(dir, 'd') });
    expect(weights(d.model)).to.not.deep.equal(weights(a.model));
    for (const r of [a, b, c, d]) r.model.dispose();
  });

  it('refuses to resume a checkpoint of another run, naming what differs', async () => {
    await train({ ...base(), totalSteps: 300, checkpointDir: join(dir, 'e') }).then((r) => r.model.dispose());
    await train({ ...base(), seed: 9, totalSteps: 300, checkpointDir: join(dir, 'e'), resume: true }).then(
      () => expect.fail('should refuse'),
      (e: Error) => expect(e.message).to.match(/another seed.*same flags/),
    );
  });

  it('sap-rl train writes an agent with its command, clean score and training curve; bad flags are one sentence', async () => {
    const out = join(dir, 'agents', 'bk');
    const args = ['train', '--game', 'breakout', '--steps', '300', '--out', out, '--seed', '3', '--max-frames', '800', '--eval-episodes', '2', '--hparams', JSON.stringify(HPARAMS)];
    const r = runCli(args);
    expect(r.code, r.stderr).to.equal(0);
    const agent = await loadAgent(out);
    expect(agent.spec.game).to.equal('breakout');
    expect(agent.spec.provenance.kind).to.equal('trained');
    expect(agent.spec.provenance.source).to.equal(`sap-rl ${args.map((a) => (a.startsWith('{') ? `'${a}'` : a)).join(' ')}`);
    expect(agent.spec.cleanScore?.episodes).to.equal(2);
    agent.model.dispose();
    const curve = readFileSync(join(out, 'training.csv'), 'utf8').trim().split('\n');
    expect(curve[0]).to.equal('time,kind,step,episode,return,length,epsilon,loss,mean_q');
    expect(curve.some((l) => l.includes(',eval,200,'))).to.equal(true);
    expect(readFileSync(join(out, 'training.png')).subarray(1, 4).toString()).to.equal('PNG');
    expect(existsSync(`${out}.train`), 'the work folder is removed at the end').to.equal(false);

    const again = runCli(args);
    expect(again.code).to.equal(2);
    expect(again.stderr).to.match(/--out .* already exists/);
    const bad = runCli(['train', '--game', 'breakout', '--steps', '10', '--out', join(dir, 'x'), '--hparams', '{"gama":0.9}']);
    expect(bad.code).to.equal(2);
    expect(bad.stderr).to.match(/--hparams: invalid hyperparameters.*gama/);
    expect(bad.stderr.trim().split('\n')).to.have.length(1);
  });

  it('trains the same agent, bit for bit, with 1 and 2 wasm threads', () => {
    // Convs big enough that XNNPACK splits them between the threads.
    const arch = { convs: [{ filters: 16, kernel: 8, stride: 4 }, { filters: 32, kernel: 4, stride: 2 }], hidden: [64] };
    const hp = JSON.stringify({ ...HPARAMS, architecture: arch, evalInterval: 0 });
    const agentFiles = (threads: number) => {
      const out = join(dir, 'agents', `threads${threads}`);
      const r = runCli(['train', '--game', 'breakout', '--steps', '300', '--out', out, '--seed', '5', '--max-frames', '800', '--eval-episodes', '1', '--hparams', hp, '--tf-threads', String(threads)]);
      expect(r.code, r.stderr).to.equal(0);
      const info = JSON.parse(readFileSync(join(out, 'training.json'), 'utf8')) as { tfThreads: number; updates: number };
      expect(info.tfThreads, 'threads the run actually used').to.equal(threads);
      expect(info.updates).to.equal(50);
      return readFileSync(join(out, 'group1-shard1of1.bin'));
    };
    const one = agentFiles(1);
    const two = agentFiles(2);
    expect(one.length).to.be.greaterThan(100_000);
    expect(Buffer.compare(one, two), 'weights differ between 1 and 2 threads').to.equal(0);
    const bad = runCli(['train', '--game', 'breakout', '--steps', '10', '--out', join(dir, 'y'), '--tf-threads', '9']);
    expect(bad.code).to.equal(2);
    expect(bad.stderr.trim()).to.match(/--tf-threads must be an integer in 1\.\.8, not '9'$/);
    expect(bad.stderr.trim().split('\n')).to.have.length(1);
  });
});
