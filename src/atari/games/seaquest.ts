import { decimalScore, Tracker } from './rules.js';
import type { GameRules, GameSpec } from './types.js';

/** ALE's Seaquest settings: score BCD $BA $B9 $B8 (lowest first); over when $A3 != 0; lives $BB + 1. */
export const seaquestRules: GameRules = {
  modes: [0],
  difficulties: [0, 1],
  createTracker: () =>
    new Tracker(
      { score: 0, lives: 4 },
      (ram, t) => {
        const score = decimalScore(ram, 0xba, 0xb9, 0xb8);
        t.reward = score - t.state.score;
        t.state.score = score;
        t.terminal = ram(0xa3) !== 0;
        t.state.lives = ram(0xbb) + 1;
      },
      (t) => (t.terminal ? 0 : t.state.lives),
    ),
};

export const seaquest: GameSpec = {
  id: 'seaquest',
  title: 'Seaquest',
  romFile: 'seaquest.bin',
  md5: '240bfbac5163af4df5ae713985386f92',
  size: 4096,
  minimalActions: [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17],
  rules: seaquestRules,
};
