// The interface every emulator backend implements: the real ALE through ale-py
// (backends/ale-py.ts) and our own machine (the js backend, src/atari/).
// It works one level below AtariEnv: frames, not agent steps, so that AtariEnv (ALE v5
// frameskip) and the preprocessing wrapper (Gymnasium's AtariPreprocessing loop) can both
// be built on it without one round trip per frame.

export const SCREEN_WIDTH = 160;
export const SCREEN_HEIGHT = 210;
export const SCREEN_PIXELS = SCREEN_WIDTH * SCREEN_HEIGHT;
export const RAM_SIZE = 128;

export type BackendName = 'js' | 'ale-py';
export const BACKEND_NAMES: readonly BackendName[] = ['js', 'ale-py'];

export interface LoadConfig {
  /** Path of the ROM file. */
  rom: string;
  /** ALE's `random_seed` (a signed 32-bit integer). */
  seed: number;
  repeatActionProbability: number;
  maxFramesPerEpisode: number;
  mode?: number | undefined;
  difficulty?: number | undefined;
}

export interface GameInfo {
  /** ALE's minimal action set for the loaded game (ALE action ids). */
  minimalActions: number[];
  /** All 18 actions. */
  legalActions: number[];
  modes: number[];
  difficulties: number[];
}

export interface FrameStatus {
  /** Sum of the rewards of the frames run. */
  reward: number;
  /** Frames actually emulated by this call. */
  framesRun: number;
  /** The game is over (ALE's game_over without truncation). */
  terminated: boolean;
  /** The episode hit the frame limit. */
  truncated: boolean;
  lives: number;
  frameNumber: number;
  episodeFrameNumber: number;
}

/** Flags of `act`. */
export const ActFlags = {
  /** Stop after a frame that ends the episode (terminated or truncated). */
  BreakOnTerminal: 1,
  /** Stop after a frame that loses a life. */
  BreakOnLifeLoss: 2,
  /** Keep the screen after the second-to-last frame in `prevScreen`. */
  CapturePrev: 4,
  /** Keep the screen after the last frame in `lastScreen`. */
  CaptureLast: 8,
} as const;

export interface ActResult extends FrameStatus {
  /** Bit 0: `prevScreen` was filled; bit 1: `lastScreen` was filled (the loop got that far). */
  captured: number;
}

export interface EmulatorBackend {
  readonly name: BackendName;
  /** Palette-index screens (160x210, row order) filled by `act` when asked to capture. */
  readonly prevScreen: Uint8Array;
  readonly lastScreen: Uint8Array;
  /** Loads (or re-loads, with a new seed) a ROM; the game is then ready for `resetGame`. */
  load(config: LoadConfig): Promise<GameInfo>;
  /** ALE's reset_game. */
  resetGame(): Promise<FrameStatus>;
  /** Runs up to `frames` frames of one ALE action (see ActFlags). */
  act(action: number, frames: number, flags: number, paddleStrength?: number): Promise<ActResult>;
  /** The current screen, as palette indices, into `out` (or a new array). */
  screen(out?: Uint8Array): Promise<Uint8Array>;
  /** The 128 bytes of RIOT RAM. */
  ram(): Promise<Uint8Array>;
  close(): Promise<void>;
}
