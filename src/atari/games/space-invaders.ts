import type { GameSpec } from './types.js';

export const spaceInvaders: GameSpec = {
  id: 'space_invaders',
  title: 'Space Invaders',
  romFile: 'space_invaders.bin',
  md5: '72ffbef6504b75e69ee1045af9075f66',
  size: 4096,
  minimalActions: [0, 1, 3, 4, 11, 12],
};
