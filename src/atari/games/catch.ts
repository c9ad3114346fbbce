import { bcd, Tracker } from './rules.js';
import type { GameRules, GameSpec } from './types.js';

/**
 * Where Catch keeps its state (bus addresses; roms/src/catch.asm documents the same map).
 * Scores are BCD; x positions are screen pixels of the left edge; y is the ball's top line
 * in the 192-line picture (screen row = y + 3; 0 = no ball).
 */
export const CATCH_RAM = {
  caught: 0x80,
  missed: 0x81,
  objects: 0x82,
  gameOver: 0x83,
  rngLo: 0x84,
  rngHi: 0x85,
  catcherX: 0x86,
  ballX: 0x87,
  ballY: 0x88,
  ballSub: 0x89,
  ballState: 0x8a,
  timer: 0x8b,
  frame: 0x8c,
} as const;

/** Objects in one game: the episode ends once they have all been caught or missed. */
export const CATCH_OBJECTS = 20;

/** Catch's settings: reward = change of (caught - missed); ends when the game-over flag is set; no lives. */
export const catchRules: GameRules = {
  modes: [0],
  difficulties: [0],
  createTracker: () =>
    new Tracker(
      { score: 0 },
      (ram, t) => {
        const score = bcd(ram(CATCH_RAM.caught)) - bcd(ram(CATCH_RAM.missed));
        t.reward = score - t.state.score;
        t.state.score = score;
        t.terminal = ram(CATCH_RAM.gameOver) !== 0;
      },
      () => 0,
    ),
};

/** sap-rl's own game (roms/src/catch.asm, shipped as roms/catch.bin): catch 20 falling objects. */
export const catchGame: GameSpec = {
  id: 'catch',
  title: 'Catch',
  romFile: 'catch.bin',
  md5: '486137e7ca3ed2eaf825ba4ccc401a01',
  size: 4096,
  minimalActions: [0, 3, 4],
  rules: catchRules,
  bundled: true,
};
