import type { GameSpec } from './types.js';

export const seaquest: GameSpec = {
  id: 'seaquest',
  title: 'Seaquest',
  romFile: 'seaquest.bin',
  md5: '240bfbac5163af4df5ae713985386f92',
  size: 4096,
  minimalActions: [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17],
};
