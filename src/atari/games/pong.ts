import type { GameSpec } from './types.js';

export const pong: GameSpec = {
  id: 'pong',
  title: 'Pong',
  romFile: 'pong.bin',
  md5: '60e0ea3cbe0913d39803477945e9e5ec',
  size: 2048,
  minimalActions: [0, 1, 3, 4, 11, 12],
};
