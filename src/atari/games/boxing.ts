import type { GameSpec } from './types.js';

export const boxing: GameSpec = {
  id: 'boxing',
  title: 'Boxing',
  romFile: 'boxing.bin',
  md5: 'c3ef5c4653212088eda54dc91d787870',
  size: 2048,
  minimalActions: [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17],
};
