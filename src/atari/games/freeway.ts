import type { GameSpec } from './types.js';

export const freeway: GameSpec = {
  id: 'freeway',
  title: 'Freeway',
  romFile: 'freeway.bin',
  md5: '8e0ab801b1705a740b476b7f588c6d16',
  size: 2048,
  minimalActions: [0, 2, 5],
};
