import { decimalScore, Tracker } from './rules.js';
import type { GameRules, GameSpec } from './types.js';

/**
 * ALE's Enduro settings: score counts cars passed: level $AD; cars left BCD $AB (low)
 * $AC (high); level 1: 200 - left; level n >= 2: 200 + 300 (n - 2) + 300 - left.
 * Over when $AF = $FF. The game needs one FIRE frame after each reset.
 */
export const enduroRules: GameRules = {
  modes: [0],
  difficulties: [0],
  startingActions: [1],
  createTracker: () =>
    new Tracker(
      { score: 0 },
      (ram, t) => {
        let score = 0;
        const level = ram(0xad);
        if (level !== 0) {
          const left = decimalScore(ram, 0xab, 0xac);
          score = level === 1 ? 200 - left : 200 + (level - 2) * 300 + 300 - left;
        }
        t.reward = score - t.state.score;
        t.state.score = score;
        t.terminal = ram(0xaf) === 0xff;
      },
      () => 0,
    ),
};

export const enduro: GameSpec = {
  id: 'enduro',
  title: 'Enduro',
  romFile: 'enduro.bin',
  md5: '94b92a882f6dbaa6993a46e2dcc58402',
  size: 4096,
  minimalActions: [0, 1, 3, 4, 5, 8, 9, 11, 12],
  rules: enduroRules,
};
