import type { GameSpec } from './types.js';

export const msPacman: GameSpec = {
  id: 'ms_pacman',
  title: 'Ms. Pac-Man',
  romFile: 'ms_pacman.bin',
  md5: '87e79cd41ce136fd4f72cc6e2c161bee',
  size: 8192,
  minimalActions: [0, 2, 3, 4, 5, 6, 7, 8, 9],
};
