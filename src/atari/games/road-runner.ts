import type { GameSpec } from './types.js';

export const roadRunner: GameSpec = {
  id: 'road_runner',
  title: 'Road Runner',
  romFile: 'road_runner.bin',
  md5: 'ce5cc62608be2cd3ed8abd844efb8919',
  size: 16384,
  minimalActions: [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17],
};
