/** Building blocks shared by the game files (ALE's RomUtils and common RomSettings patterns). */
import type { GameTracker, ModeControl, RamReader } from './types.js';

/** A byte read as two decimal digits, without validation ($1A reads as 20). */
export function bcd(value: number): number {
  return (value >> 4) * 10 + (value & 0x0f);
}

/** Up to three BCD bytes, lowest first: ALE's getDecimalScore. */
export function decimalScore(ram: RamReader, ...addresses: number[]): number {
  let score = 0;
  let scale = 1;
  for (const a of addresses) {
    score += bcd(ram(a)) * scale;
    scale *= 100;
  }
  return score;
}

/**
 * The usual mode selection: press SELECT (holding it `holdFrames` frames) until the mode
 * byte reads `mode`, then soft-reset. Modes outside `modes` are an error.
 */
export function selectModeByRam(address: number, modes: readonly number[], holdFrames = 1) {
  return (mode: number, console: ModeControl): void => {
    if (!modes.includes(mode)) throw new Error(`mode ${mode} does not exist for this game`);
    while (console.ram(address) !== mode) console.pressSelect(holdFrames);
    console.softReset();
  };
}

/** 0, 1, ..., n-1 times `step`. */
export function range(n: number, step = 1): number[] {
  return Array.from({ length: n }, (_, i) => i * step);
}

/** A tracker from a start state and a step function; `lives` defaults to ALE's "0 once terminal, else 1". */
export class Tracker<S extends object> implements GameTracker {
  reward = 0;
  terminal = false;
  /** The game's own fields (score, lives, flags), reset from `initial`. */
  state: S;

  constructor(
    private readonly initial: S,
    private readonly update: (ram: RamReader, t: Tracker<S>) => void,
    private readonly livesOf: (t: Tracker<S>) => number = (t) => (t.terminal ? 0 : 1),
  ) {
    this.state = { ...initial };
  }

  reset(): void {
    this.reward = 0;
    this.terminal = false;
    this.state = { ...this.initial };
  }

  step(ram: RamReader): void {
    this.update(ram, this);
  }

  lives(): number {
    return this.livesOf(this);
  }
}
