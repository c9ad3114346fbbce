import { range, selectModeByRam, Tracker } from './rules.js';
import type { GameRules, GameSpec } from './types.js';

const modes = range(2);

/** ALE's Pong settings: reward = change of (player - computer) score; ends at 21; no lives. */
export const pongRules: GameRules = {
  modes,
  difficulties: [0, 1, 2, 3],
  setMode: selectModeByRam(0x96, modes, 2),
  createTracker: () =>
    new Tracker(
      { score: 0 },
      (ram, t) => {
        const computer = ram(0x8d);
        const player = ram(0x8e);
        const score = player - computer;
        t.reward = score - t.state.score;
        t.state.score = score;
        t.terminal = computer === 21 || player === 21;
      },
      () => 0,
    ),
};

export const pong: GameSpec = {
  id: 'pong',
  title: 'Pong',
  romFile: 'pong.bin',
  md5: '60e0ea3cbe0913d39803477945e9e5ec',
  size: 2048,
  minimalActions: [0, 1, 3, 4, 11, 12],
  rules: pongRules,
};
