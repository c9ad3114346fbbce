import { Tracker } from './rules.js';
import type { GameRules, GameSpec } from './types.js';

/**
 * ALE's Road Runner settings: score = the low nibbles of $C9..$CC as decimal digits,
 * lowest first ($A shows as a blank 0), times 100; lives = ($C4 & 7) + 1; over when
 * ($C4 & 7) = 0 and $B9 or $BD is non-zero.
 */
export const roadRunnerRules: GameRules = {
  modes: [0],
  difficulties: [0],
  createTracker: () =>
    new Tracker(
      { score: 0, lives: 3 },
      (ram, t) => {
        let score = 0;
        for (let digit = 0, scale = 1; digit < 4; digit++, scale *= 10) {
          const value = ram(0xc9 + digit) & 0x0f;
          score += scale * (value === 0x0a ? 0 : value);
        }
        score *= 100;
        t.reward = score - t.state.score;
        t.state.score = score;
        const livesByte = ram(0xc4) & 7;
        t.terminal = livesByte === 0 && (ram(0xb9) !== 0 || ram(0xbd) !== 0);
        t.state.lives = livesByte + 1;
      },
      (t) => (t.terminal ? 0 : t.state.lives),
    ),
};

export const roadRunner: GameSpec = {
  id: 'road_runner',
  title: 'Road Runner',
  romFile: 'road_runner.bin',
  md5: 'ce5cc62608be2cd3ed8abd844efb8919',
  size: 16384,
  minimalActions: [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17],
  rules: roadRunnerRules,
};
