import { bcd, Tracker } from './rules.js';
import type { GameRules, GameSpec } from './types.js';

/**
 * ALE's Boxing settings: score = my points (BCD $92) - opponent's (BCD $93), $C0 meaning a
 * KO (100); over at a KO or when the clock ($90 minutes in the high nibble, BCD $91
 * seconds) reads 0:00.
 */
export const boxingRules: GameRules = {
  modes: [0],
  difficulties: [0, 1, 2, 3],
  createTracker: () =>
    new Tracker(
      { score: 0 },
      (ram, t) => {
        const mine = ram(0x92) === 0xc0 ? 100 : bcd(ram(0x92));
        const theirs = ram(0x93) === 0xc0 ? 100 : bcd(ram(0x93));
        const score = mine - theirs;
        t.reward = score - t.state.score;
        t.state.score = score;
        if (mine === 100 || theirs === 100) t.terminal = true;
        else t.terminal = ram(0x90) >> 4 === 0 && bcd(ram(0x91)) === 0;
      },
      () => 0,
    ),
};

export const boxing: GameSpec = {
  id: 'boxing',
  title: 'Boxing',
  romFile: 'boxing.bin',
  md5: 'c3ef5c4653212088eda54dc91d787870',
  size: 2048,
  minimalActions: [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17],
  rules: boxingRules,
};
