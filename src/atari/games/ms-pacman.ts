import { decimalScore, range, Tracker } from './rules.js';
import type { ModeControl } from './types.js';
import type { GameRules, GameSpec } from './types.js';

const modes = range(4);

/**
 * ALE's Ms. Pac-Man settings: score BCD $F8 $F9 $FA; lives = ((low nibble of $FB) & 7) + 1;
 * over when that nibble is 0 and $A7 = $53. Mode 0 is game 1, variation 1 ($99 = 1,
 * $A1 = 1); mode m > 0 is $99 = m, $A1 = 0; SELECT is held 10 frames a press.
 */
export const msPacmanRules: GameRules = {
  modes,
  difficulties: [0],
  setMode(mode: number, console: ModeControl): void {
    if (!modes.includes(mode)) throw new Error(`mode ${mode} does not exist for this game`);
    const wantGame = mode === 0 ? 1 : mode;
    const wantVariation = mode === 0 ? 1 : 0;
    while (console.ram(0x99) !== wantGame || console.ram(0xa1) !== wantVariation) console.pressSelect(10);
    console.softReset();
  },
  createTracker: () =>
    new Tracker(
      { score: 0, lives: 3 },
      (ram, t) => {
        const score = decimalScore(ram, 0xf8, 0xf9, 0xfa);
        t.reward = score - t.state.score;
        t.state.score = score;
        const livesByte = ram(0xfb) & 0x0f;
        t.terminal = livesByte === 0 && ram(0xa7) === 0x53;
        t.state.lives = (livesByte & 7) + 1;
      },
      (t) => (t.terminal ? 0 : t.state.lives),
    ),
};

export const msPacman: GameSpec = {
  id: 'ms_pacman',
  title: 'Ms. Pac-Man',
  romFile: 'ms_pacman.bin',
  md5: '87e79cd41ce136fd4f72cc6e2c161bee',
  size: 8192,
  minimalActions: [0, 2, 3, 4, 5, 6, 7, 8, 9],
  rules: msPacmanRules,
};
