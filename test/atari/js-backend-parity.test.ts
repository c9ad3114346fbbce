import { expect } from 'chai';
import { ALE_GAMES } from '../../src/atari/games/index.js';
import { AtariEnv } from '../../src/env/atari-env.js';
import { ActFlags } from '../../src/env/backend.js';
import { runParity, type ParityResult } from '../../src/env/parity.js';
import { findRoms, romSearchDirs } from '../../src/env/roms.js';
import { requirePython } from '../helpers/python.js';

// The js backend against the real ALE (ale-py 0.12.1) through AtariEnv: same seed, same random
// actions; screens, RAM, rewards, lives, flags and frame counters must agree at every step.

function explain(r: ParityResult): string {
  const d = r.divergence;
  return d ? `${r.game}: step ${d.step} (after ${r.stepsMatched} matching steps): ${d.differences.join('; ')}` : '';
}

describe('js backend vs ale-py (differential)', function () {
  let installed: Set<string>;
  before(function () {
    requirePython(this, 'ale_py');
    installed = new Set(findRoms(romSearchDirs()).filter((f) => f.path).map((f) => f.game.id));
  });

  // CI's short parity pass: >= 2000 steps per game (the full 10,000-step check is `npm run parity`).
  const plan: [string, number, number][] = ALE_GAMES.map((g) =>
    g.id === 'pong' || g.id === 'breakout' ? [g.id, 3000, 2000] : [g.id, 1000, 2000],
  );
  for (const [game, steps1, steps4] of plan) {
    it(`${game}: ${steps1} steps at frameskip 1 / sticky 0, ${steps4} at frameskip 4 / sticky 0.25`, async function () {
      if (!installed.has(game)) this.skip();
      const a = await runParity({ game, steps: steps1, seed: 11, frameskip: 1, repeatActionProbability: 0 });
      expect(a.divergence, explain(a)).to.equal(undefined);
      const b = await runParity({ game, steps: steps4, seed: 12, frameskip: 4, repeatActionProbability: 0.25 });
      expect(b.divergence, explain(b)).to.equal(undefined);
    });
  }

  const modes: [string, number, number][] = [
    ['pong', 1, 3], ['breakout', 8, 1], ['freeway', 3, 1], ['space_invaders', 5, 1], ['bank_heist', 12, 2], ['ms_pacman', 2, 0],
  ];
  for (const [game, mode, difficulty] of modes) {
    it(`${game} in mode ${mode}, difficulty ${difficulty}: mode selection and 300 steps agree`, async function () {
      if (!installed.has(game)) this.skip();
      const r = await runParity({ game, steps: 300, seed: 3, frameskip: 4, repeatActionProbability: 0.25, mode, difficulty });
      expect(r.divergence, explain(r)).to.equal(undefined);
    });
  }

  it('act flags: captured screens and life-loss breaks agree (Breakout)', async function () {
    if (!installed.has('breakout')) this.skip();
    const envs = await Promise.all(
      (['js', 'ale-py'] as const).map((backend) => AtariEnv.create({ game: 'breakout', backend, frameskip: 4, seed: 5 })),
    );
    try {
      await Promise.all(envs.map((e) => e.reset(5)));
      const flags = ActFlags.CapturePrev | ActFlags.CaptureLast | ActFlags.BreakOnLifeLoss | ActFlags.BreakOnTerminal;
      for (let t = 0; t < 400; t++) {
        const index = (t * 5) % 4;
        const [a, b] = [await envs[0]!.act(index, 4, flags), await envs[1]!.act(index, 4, flags)];
        expect(a, `step ${t}`).to.deep.equal(b);
        if (a.captured & 1) expect(Buffer.compare(envs[0]!.backend.prevScreen, envs[1]!.backend.prevScreen)).to.equal(0);
        if (a.captured & 2) expect(Buffer.compare(envs[0]!.backend.lastScreen, envs[1]!.backend.lastScreen)).to.equal(0);
        if (a.terminated || a.truncated) await Promise.all(envs.map((e) => e.reset()));
      }
    } finally {
      await Promise.all(envs.map((e) => e.close()));
    }
  });
});
