import type { GameSpec } from './types.js';

export const enduro: GameSpec = {
  id: 'enduro',
  title: 'Enduro',
  romFile: 'enduro.bin',
  md5: '94b92a882f6dbaa6993a46e2dcc58402',
  size: 4096,
  minimalActions: [0, 1, 3, 4, 5, 8, 9, 11, 12],
};
