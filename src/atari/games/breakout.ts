import type { GameSpec } from './types.js';

export const breakout: GameSpec = {
  id: 'breakout',
  title: 'Breakout',
  romFile: 'breakout.bin',
  md5: 'f34f08e5eb96e500e851a80be3277a56',
  size: 2048,
  minimalActions: [0, 1, 3, 4],
};
