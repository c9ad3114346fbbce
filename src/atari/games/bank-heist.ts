import type { GameSpec } from './types.js';

export const bankHeist: GameSpec = {
  id: 'bank_heist',
  title: 'Bank Heist',
  romFile: 'bank_heist.bin',
  md5: '00ce0bdd43aed84a983bef38fe7f5ee3',
  size: 4096,
  minimalActions: [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17],
};
