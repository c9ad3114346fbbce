/**
 * The action set of an imported agent: CleanRL and SB3 Atari agents output one Q-value per
 * action of the game's minimal set (ALE action ids, in ALE order), as listed in
 * src/atari/games/.
 */
import { findGame, GAMES } from '../atari/games/index.js';
import { UserError } from '../cli/errors.js';

/** Canonical game id for `pong`, `SpaceInvaders`, `space-invaders`, `ALE/Pong-v5`... */
export function gameId(name: string): string {
  const game = findGame(name);
  if (!game) {
    throw new UserError(`--game: unknown game '${name}'; importable games are ${GAMES.map((g) => g.id).join(', ')}.`);
  }
  return game.id;
}

export function minimalActions(game: string): number[] {
  return [...findGame(gameId(game))!.minimalActions];
}
