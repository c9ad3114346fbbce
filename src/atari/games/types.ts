/**
 * What sap-rl knows about one game. One file per game in this folder; `index.ts` lists them.
 */
export interface GameSpec {
  /** Our id, as typed on the command line (`--game pong`). */
  readonly id: string;
  /** Human-readable title. */
  readonly title: string;
  /** ALE's ROM file name (as in ale-py's `ale_py/roms/` folder). */
  readonly romFile: string;
  /** md5 of the ROM ALE expects (lower-case hex). */
  readonly md5: string;
  /** ROM size in bytes. */
  readonly size: number;
  /** ALE's minimal action set for the game, as ALE action ids, in ALE's order. */
  readonly minimalActions: readonly number[];
  /** ALE's rules for the game (reward, lives, terminal, modes), as in src/ale/games/supported/. */
  readonly rules: GameRules;
  /**
   * The project's own game: its ROM ships in the package's roms/ folder (found there after
   * the user's folders), and only the js backend runs it, as ALE does not know its md5.
   */
  readonly bundled?: boolean;
}

/** Reads a RAM byte by its bus address ($80-$FF). */
export type RamReader = (address: number) => number;

/** What a game's mode selection may do to the console (ALE's StellaEnvironmentWrapper). */
export interface ModeControl {
  /** Hold SELECT for `frames` frames, then run one NOOP frame (ALE's pressSelect). */
  pressSelect(frames?: number): void;
  /** Hold RESET for 4 frames (ALE's softReset). */
  softReset(): void;
  ram: RamReader;
}

/** ALE's RomSettings for one game, minus the per-episode state (see GameTracker). */
export interface GameRules {
  /** Available modes; the first is the default (ALE: [0] when the game lists none). */
  readonly modes: readonly number[];
  readonly difficulties: readonly number[];
  /** Actions run (one frame each) at the end of every reset, e.g. Enduro's FIRE. */
  readonly startingActions?: readonly number[];
  /**
   * Puts the game in `mode` during a reset (after the first soft reset). Omitted: only
   * mode 0 exists and nothing is done.
   */
  setMode?(mode: number, console: ModeControl): void;
  /** A fresh tracker in ALE's reset() state. */
  createTracker(): GameTracker;
}

/** The per-episode part of ALE's RomSettings: updated from RAM after every frame. */
export interface GameTracker {
  /** Back to the start-of-episode state (ALE calls this once per reset_game). */
  reset(): void;
  /** Called after every emulated frame. */
  step(ram: RamReader): void;
  readonly reward: number;
  readonly terminal: boolean;
  lives(): number;
}
