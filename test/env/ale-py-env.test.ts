import { expect } from 'chai';
import { AtariEnv } from '../../src/env/atari-env.js';
import { Pcg64 } from '../../src/env/seeding.js';
import { requirePython } from '../helpers/python.js';
import { runGymOracle } from './gym-oracle.js';

// AtariEnv on the ale-py backend against ale_py's own Gymnasium env: same seed, same
// random actions, three whole episodes; every step's reward, flags, lives, frame counter
// and screen must agree.
describe('AtariEnv (ale-py backend) vs ale_py AtariEnv v5', function () {
  before(function () {
    requirePython(this, 'ale_py', 'gymnasium');
  });

  for (const [game, envName] of [
    ['pong', 'Pong'],
    ['breakout', 'Breakout'],
  ] as const) {
    it(`${envName}: 3 episodes of random actions agree step by step`, async () => {
      const env = await AtariEnv.create({ game, backend: 'ale-py' });
      try {
        const rng = new Pcg64(2024);
        const actions = Array.from({ length: 20_000 }, () => rng.integers(0, env.actionSet.length));
        const seed = 77;
        const oracle = runGymOracle({ envName, seed, actions, episodes: 3, kind: 'v5' });
        const size = oracle.observationSize;
        let obsIndex = 0;
        const sameScreen = (what: string): void => {
          const expected = oracle.observations.subarray(obsIndex * size, (obsIndex + 1) * size);
          expect(Buffer.compare(Buffer.from(env.screen), Buffer.from(expected)), what).to.equal(0);
          obsIndex++;
        };
        await env.reset(seed);
        sameScreen('screen after reset');
        let episodes = 0;
        let episodeReturn = 0;
        for (let t = 0; t < oracle.steps.length; t++) {
          const s = await env.step(actions[t]!);
          const o = oracle.steps[t]!;
          expect(
            { reward: s.reward, terminated: s.terminated, truncated: s.truncated, lives: s.lives, frame: s.episodeFrameNumber },
            `step ${t}`,
          ).to.deep.equal({ reward: o.reward, terminated: o.terminated, truncated: o.truncated, lives: o.lives, frame: o.episodeFrameNumber });
          sameScreen(`screen after step ${t}`);
          episodeReturn += s.reward;
          if (s.terminated || s.truncated) {
            episodes++;
            if (game === 'pong') expect(Math.abs(episodeReturn)).to.be.at.most(21);
            episodeReturn = 0;
            if (episodes < 3) {
              await env.reset();
              sameScreen('screen after reset');
            }
          }
        }
        expect(episodes, 'episodes completed').to.equal(3);
      } finally {
        await env.close();
      }
    });
  }
});
