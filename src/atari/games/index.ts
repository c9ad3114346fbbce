import type { GameSpec } from './types.js';
import { bankHeist } from './bank-heist.js';
import { boxing } from './boxing.js';
import { breakout } from './breakout.js';
import { catchGame } from './catch.js';
import { enduro } from './enduro.js';
import { freeway } from './freeway.js';
import { msPacman } from './ms-pacman.js';
import { pong } from './pong.js';
import { roadRunner } from './road-runner.js';
import { seaquest } from './seaquest.js';
import { spaceInvaders } from './space-invaders.js';

export type { GameSpec } from './types.js';

/** Every game sap-rl supports, by id. Adding a game = one file here plus one line below. */
export const GAMES: readonly GameSpec[] = [
  pong, breakout, freeway, boxing, spaceInvaders, seaquest, bankHeist, roadRunner, enduro, msPacman, catchGame,
];

/** The games ALE (ale-py) knows: all but the project's own. */
export const ALE_GAMES: readonly GameSpec[] = GAMES.filter((g) => !g.bundled);

/**
 * 'SpaceInvaders', 'space-invaders', 'space_invaders', Gymnasium's 'ALE/SpaceInvaders-v5' and
 * 'SpaceInvadersNoFrameskip-v4' all name the same game.
 */
const key = (name: string): string =>
  name
    .replace(/^ALE\//i, '')
    .replace(/(NoFrameskip|Deterministic)?-v\d+$/i, '')
    .toLowerCase()
    .replace(/[^a-z0-9]/g, '');
const BY_ID = new Map(GAMES.map((g) => [key(g.id), g]));
const BY_MD5 = new Map(GAMES.map((g) => [g.md5, g]));

/** The game with this id (any of the spellings above), or undefined. */
export function findGame(id: string): GameSpec | undefined {
  return BY_ID.get(key(id));
}

/** The game whose ROM has this md5, or undefined. */
export function gameByMd5(md5: string): GameSpec | undefined {
  return BY_MD5.get(md5.toLowerCase());
}
