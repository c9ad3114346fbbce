import { expect } from 'chai';
import { AtariEnv } from '../../src/env/atari-env.js';
import { AtariPreprocessing } from '../../src/env/preprocess/atari-preprocessing.js';
import { Pcg64 } from '../../src/env/seeding.js';
import { requirePython } from '../helpers/python.js';
import { runGymOracle } from './gym-oracle.js';

// Our pipeline against gymnasium.wrappers.AtariPreprocessing + FrameStackObservation(4) on
// the same ale-py: same seed (so the same no-op starts and sticky actions), same actions,
// 1000 agent steps with resets; observations within 1 grey level, rewards and flags equal.
describe('preprocessing parity with Gymnasium AtariPreprocessing + frame stack', function () {
  before(function () {
    requirePython(this, 'ale_py', 'gymnasium', 'cv2');
  });

  const cases = [
    { game: 'pong', envName: 'Pong', terminalOnLifeLoss: false },
    { game: 'breakout', envName: 'Breakout', terminalOnLifeLoss: false },
    { game: 'breakout', envName: 'Breakout', terminalOnLifeLoss: true },
  ];
  for (const { game, envName, terminalOnLifeLoss } of cases) {
    it(`${envName}${terminalOnLifeLoss ? ' (terminal on life loss)' : ''}: 1000 steps`, async () => {
      const env = await AtariEnv.create({ game, backend: 'ale-py' });
      try {
        const rng = new Pcg64(99);
        const actions = Array.from({ length: 1000 }, () => rng.integers(0, env.actionSet.length));
        const seed = 5;
        const oracle = runGymOracle({ envName, seed, actions, episodes: 10_000, kind: 'preprocessed', terminalOnLifeLoss });
        expect(oracle.steps.length).to.equal(1000);
        const pp = new AtariPreprocessing(env, { terminalOnLifeLoss });
        const size = oracle.observationSize; // 4 x 84 x 84, channel-first
        expect(size).to.equal(4 * 84 * 84);
        let obsIndex = 0;
        let maxDiff = 0;
        const compare = (what: string): void => {
          const ours = pp.observation(); // 84 x 84 x 4
          const theirs = oracle.observations.subarray(obsIndex * size, (obsIndex + 1) * size);
          for (let c = 0; c < 4; c++) {
            for (let p = 0; p < 84 * 84; p++) {
              const d = Math.abs(ours[p * 4 + c]! - theirs[c * 7056 + p]!);
              if (d > maxDiff) maxDiff = d;
              if (d > 1) expect.fail(`${what}: frame ${c} pixel ${p} is ${ours[p * 4 + c]}, Gymnasium has ${theirs[c * 7056 + p]}`);
            }
          }
          obsIndex++;
        };
        await pp.reset(seed);
        compare('observation after reset');
        let resets = 0;
        for (let t = 0; t < 1000; t++) {
          const s = await pp.step(actions[t]!);
          const o = oracle.steps[t]!;
          expect({ r: s.reward, term: s.terminated, trunc: s.truncated, lives: s.lives }, `step ${t}`).to.deep.equal({
            r: o.reward,
            term: o.terminated,
            trunc: o.truncated,
            lives: o.lives,
          });
          compare(`observation after step ${t}`);
          if (s.terminated || s.truncated) {
            await pp.reset();
            compare(`observation after reset ${++resets}`);
          }
        }
        expect(obsIndex * size).to.equal(oracle.observations.length);
        if (game === 'breakout') expect(resets, 'episodes ended within 1000 steps').to.be.greaterThan(0);
        expect(maxDiff).to.be.at.most(1);
      } finally {
        await env.close();
      }
    });
  }
});
