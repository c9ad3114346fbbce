import { expect } from 'chai';
import { buildNatureCnn } from '../../src/agent/nature-cnn.js';
import { QNetwork } from '../../src/agent/q-network.js';
import { ensureTf } from '../../src/agent/tf-backend.js';
import { parseAttackConfig } from '../../src/attack/index.js';
import { dense, Xoshiro128 } from '../../src/defense/index.js';
import { AtariEnv } from '../../src/env/atari-env.js';
import { AtariPreprocessing } from '../../src/env/preprocess/atari-preprocessing.js';
import { runEpisode, type PerturbMode, type StepView } from '../../src/experiment/episode.js';
import { requirePython } from '../helpers/python.js';

const newest = (obs: Uint8Array, depth: number, back = 0): number[] => [...obs].filter((_, i) => i % depth === depth - 1 - back);

// What a recording is made of: the frames runEpisode shows its onStep hook, on real Pong
// (our emulator; the ROM comes from ale-py's folder).
describe('episode step views', function () {
  let net: QNetwork;
  before(async function () {
    requirePython(this, 'ale_py');
    await ensureTf();
    net = QNetwork.fromModel(buildNatureCnn({ nActions: 6, scaleInside: true, seed: 8 }), 'test');
  });

  async function play(perturb: PerturbMode): Promise<{ views: StepView[]; actionSet: readonly number[] }> {
    const env = await AtariEnv.create({ game: 'pong', backend: 'js', maxFramesPerEpisode: 240 });
    try {
      const pp = new AtariPreprocessing(env);
      const views: StepView[] = [];
      const attack = parseAttackConfig({ attack: 'fgsm', lambda: 4, eot: 1 });
      await runEpisode(pp, net, { defense: dense, attack, perturb }, 5, new Xoshiro128(1), (v) => views.push(v));
      return { views, actionSet: env.actionSet };
    } finally {
      await env.close();
    }
  }

  for (const perturb of ['frame', 'stack'] as const) {
    it(`perturb ${perturb}: cleanFrame is the env's own newest frame (a replay of the actions without attack makes the same frames), seenFrame the newest frame the agent saw`, async () => {
      const { views, actionSet } = await play(perturb);
      expect(views.length).to.be.greaterThan(40);
      const env = await AtariEnv.create({ game: 'pong', backend: 'js', maxFramesPerEpisode: 240 });
      try {
        const pp = new AtariPreprocessing(env);
        await pp.reset(5);
        let changed = 0;
        for (const [t, v] of views.entries()) {
          expect([...v.cleanFrame], `clean frame of step ${t}`).to.deep.equal([...pp.frame]);
          expect([...v.seenFrame]).to.deep.equal(newest(v.seen, 4));
          for (let p = 0; p < v.cleanFrame.length; p++) {
            const d = v.seenFrame[p]! - v.cleanFrame[p]!;
            if (d < -4 || d > 4) expect.fail(`step ${t} pixel ${p}: perturbation ${d} is beyond lambda`);
            if (d !== 0) changed++;
          }
          expect(v.aleAction).to.equal(actionSet[v.action]);
          if (perturb === 'frame' && t > 0) expect(newest(v.seen, 4, 1), 'the older frames keep their perturbation').to.deep.equal([...views[t - 1]!.seenFrame]);
          if (perturb === 'stack') expect([...v.cleanFrame]).to.deep.equal(newest(v.clean, 4));
          await pp.step(v.action);
        }
        expect(changed / (views.length * 84 * 84)).to.be.greaterThan(0.5); // FGSM moves most pixels
      } finally {
        await env.close();
      }
    });
  }
});
