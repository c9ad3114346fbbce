import { decimalScore, range, selectModeByRam, Tracker } from './rules.js';
import type { GameRules, GameSpec } from './types.js';

const modes = range(16);

/**
 * ALE's Space Invaders settings: score BCD $E8 (low) and $E6 (high); a negative change
 * means the score wrapped past 9999 and counts as (10000 - old) + new; lives in $C9;
 * over when bit 7 of $98 is set or no lives are left.
 */
export const spaceInvadersRules: GameRules = {
  modes,
  difficulties: [0, 1],
  setMode: selectModeByRam(0xdc, modes, 2),
  createTracker: () =>
    new Tracker(
      { score: 0, lives: 3 },
      (ram, t) => {
        const score = decimalScore(ram, 0xe8, 0xe6);
        t.reward = score - t.state.score;
        if (t.reward < 0) t.reward = 10000 - t.state.score + score;
        t.state.score = score;
        t.state.lives = ram(0xc9);
        t.terminal = (ram(0x98) & 0x80) !== 0 || t.state.lives === 0;
      },
      (t) => (t.terminal ? 0 : t.state.lives),
    ),
};

export const spaceInvaders: GameSpec = {
  id: 'space_invaders',
  title: 'Space Invaders',
  romFile: 'space_invaders.bin',
  md5: '72ffbef6504b75e69ee1045af9075f66',
  size: 4096,
  minimalActions: [0, 1, 3, 4, 11, 12],
  rules: spaceInvadersRules,
};
