import { range, selectModeByRam, Tracker } from './rules.js';
import type { GameRules, GameSpec } from './types.js';

const modes = range(12, 4);

/**
 * ALE's Breakout settings: score = digits of $CD plus 100 x low nibble of $CC; lives in
 * $B9; the game is over when $B9 reaches 0 after having been 5 in this episode.
 */
export const breakoutRules: GameRules = {
  modes,
  difficulties: [0, 1],
  setMode: selectModeByRam(0xb2, modes),
  createTracker: () =>
    new Tracker(
      { score: 0, lives: 5, started: false },
      (ram, t) => {
        const low = ram(0xcd);
        const high = ram(0xcc);
        const score = (low & 0x0f) + 10 * (low >> 4) + 100 * (high & 0x0f);
        t.reward = score - t.state.score;
        t.state.score = score;
        const lives = ram(0xb9);
        if (!t.state.started && lives === 5) t.state.started = true;
        t.terminal = t.state.started && lives === 0;
        t.state.lives = lives;
      },
      (t) => (t.terminal ? 0 : t.state.lives),
    ),
};

export const breakout: GameSpec = {
  id: 'breakout',
  title: 'Breakout',
  romFile: 'breakout.bin',
  md5: 'f34f08e5eb96e500e851a80be3277a56',
  size: 2048,
  minimalActions: [0, 1, 3, 4],
  rules: breakoutRules,
};
