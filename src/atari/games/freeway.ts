import { decimalScore, range, selectModeByRam, Tracker } from './rules.js';
import type { GameRules, GameSpec } from './types.js';

const modes = range(8);

/** ALE's Freeway settings: reward = score change clipped to 0..1 (score BCD $E7); ends when $96 = 1. */
export const freewayRules: GameRules = {
  modes,
  difficulties: [0, 1],
  setMode: selectModeByRam(0x80, modes),
  createTracker: () =>
    new Tracker(
      { score: 0 },
      (ram, t) => {
        const score = decimalScore(ram, 0xe7);
        t.reward = Math.min(1, Math.max(0, score - t.state.score));
        t.state.score = score;
        t.terminal = ram(0x96) === 1;
      },
      () => 0,
    ),
};

export const freeway: GameSpec = {
  id: 'freeway',
  title: 'Freeway',
  romFile: 'freeway.bin',
  md5: '8e0ab801b1705a740b476b7f588c6d16',
  size: 2048,
  minimalActions: [0, 2, 5],
  rules: freewayRules,
};
