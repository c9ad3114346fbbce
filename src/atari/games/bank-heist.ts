import { decimalScore, range, selectModeByRam, Tracker } from './rules.js';
import type { GameRules, GameSpec } from './types.js';

const modes = range(8, 4);

/** ALE's Bank Heist settings: score BCD $DA $D9 $D8; lives $D5; over when $CE = 1 with no lives. */
export const bankHeistRules: GameRules = {
  modes,
  difficulties: [0, 1, 2, 3],
  setMode: selectModeByRam(0x80, modes),
  createTracker: () =>
    new Tracker(
      { score: 0, lives: 5 },
      (ram, t) => {
        const score = decimalScore(ram, 0xda, 0xd9, 0xd8);
        t.reward = score - t.state.score;
        t.state.score = score;
        const deathTimer = ram(0xce);
        t.state.lives = ram(0xd5);
        t.terminal = deathTimer === 1 && t.state.lives === 0;
      },
      (t) => (t.terminal ? 0 : t.state.lives),
    ),
};

export const bankHeist: GameSpec = {
  id: 'bank_heist',
  title: 'Bank Heist',
  romFile: 'bank_heist.bin',
  md5: '00ce0bdd43aed84a983bef38fe7f5ee3',
  size: 4096,
  minimalActions: [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17],
  rules: bankHeistRules,
};
