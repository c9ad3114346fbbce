// AtariEnv: ALE v5 semantics (Gymnasium's ale_py AtariEnv) on any emulator backend.
// reset(seed) seeds exactly as ale_py does (SeedSequence -> ALE random_seed and the env's
// PCG64), step(a) repeats ALE action actionSet[a] for `frameskip` frames and sums the
// rewards, sticky actions and the frame limit live in the backend as in ALE.
import { NTSC_GREY, NTSC_RGB } from '../atari/palette.js';
import type { GameSpec } from '../atari/games/index.js';
import { UserError } from '../cli/errors.js';
import {
  ActFlags,
  SCREEN_PIXELS,
  type ActResult,
  type BackendName,
  type EmulatorBackend,
  type FrameStatus,
  type GameInfo,
} from './backend.js';
import { createBackend, DEFAULT_BACKEND } from './backends/index.js';
import { identifyRom, requireKnownRom, resolveRom } from './roms.js';
import { atariSeeds, Pcg64 } from './seeding.js';

export interface AtariEnvOptions {
  /** Game id (see `sap-rl roms`). Either `game` or `rom` is required. */
  game?: string;
  /** A ROM file; its md5 must match a supported game. */
  rom?: string;
  /** Extra folder to search for ROMs (--rom-dir). */
  romDir?: string;
  backend?: BackendName;
  /** Agent step = this many frames (ALE v5: 4). */
  frameskip?: number;
  /** Sticky actions (ALE v5: 0.25). */
  repeatActionProbability?: number;
  /** Truncation, in frames (ALE v5: 108000). */
  maxFramesPerEpisode?: number;
  mode?: number;
  difficulty?: number;
  /** All 18 actions instead of the game's minimal set. */
  fullActionSpace?: boolean;
  /** Seed used at creation (ale_py seeds from OS entropy; we default to 0 for determinism). */
  seed?: number;
  /** A ready backend (tests, benches); otherwise one is created from `backend`. */
  backendInstance?: EmulatorBackend;
}

export interface StepResult {
  reward: number;
  terminated: boolean;
  truncated: boolean;
  lives: number;
  frameNumber: number;
  episodeFrameNumber: number;
}

const V5 = { frameskip: 4, repeatActionProbability: 0.25, maxFramesPerEpisode: 108_000 };

export class AtariEnv {
  /** ALE action ids; the agent's action i is actionSet[i]. */
  readonly actionSet: readonly number[];
  /** The env's own generator (Gymnasium's `np_random`), re-seeded by reset(seed). */
  npRandom: Pcg64;
  /** The screen after the last reset/step, as palette indices (160x210, row order). */
  readonly screen = new Uint8Array(SCREEN_PIXELS);
  private last: FrameStatus | undefined;

  private constructor(
    readonly backend: EmulatorBackend,
    /** The game, or undefined for a ROM sap-rl has no rules for (js backend only). */
    readonly game: GameSpec | undefined,
    readonly romPath: string,
    readonly info: GameInfo,
    readonly options: Required<Pick<AtariEnvOptions, 'frameskip' | 'repeatActionProbability' | 'maxFramesPerEpisode'>> &
      AtariEnvOptions,
    seed: number,
  ) {
    this.actionSet = options.fullActionSpace ? info.legalActions : info.minimalActions;
    this.npRandom = new Pcg64(atariSeeds(seed).npSeed);
  }

  static async create(options: AtariEnvOptions): Promise<AtariEnv> {
    const opts = { ...V5, ...options };
    if (!Number.isInteger(opts.frameskip) || opts.frameskip < 1 || opts.frameskip > 65535) {
      throw new UserError(`frameskip must be a positive integer, not ${opts.frameskip}`);
    }
    if (!(opts.repeatActionProbability >= 0 && opts.repeatActionProbability <= 1)) {
      throw new UserError(`the sticky-action probability must be in [0, 1], not ${opts.repeatActionProbability}`);
    }
    let game: GameSpec | undefined;
    let romPath: string;
    const backendName = opts.backendInstance?.name ?? opts.backend ?? DEFAULT_BACKEND;
    if (opts.rom !== undefined) {
      // Our emulator runs any ROM (no game rules: reward 0, never over); ALE only its own games.
      game = backendName === 'js' ? identifyRom(opts.rom).game : requireKnownRom(opts.rom).game;
      romPath = opts.rom;
    } else if (opts.game !== undefined) {
      ({ game, path: romPath } = resolveRom(opts.game, { romDir: opts.romDir }));
    } else {
      throw new UserError('give a game (--game) or a ROM file (--rom)');
    }
    if (game?.bundled && backendName !== 'js') {
      // ALE only loads ROMs whose md5 it knows; on any other it exits its process.
      throw new UserError(
        `${game.title} (--game ${game.id}) is sap-rl's own game and runs on the js backend only; ALE cannot load it, so use --backend js`,
      );
    }
    const seed = opts.seed ?? 0;
    const backend = opts.backendInstance ?? createBackend(backendName);
    const info = await backend.load(AtariEnv.loadConfig(romPath, opts, seed)).catch((err: Error) => {
      throw /is not available/.test(err.message) ? new UserError(err.message.replace(/^\w+Error: /, '')) : err;
    });
    return new AtariEnv(backend, game, romPath, info, opts, seed);
  }

  private static loadConfig(rom: string, opts: AtariEnvOptions & typeof V5, seed: number) {
    return {
      rom,
      seed: atariSeeds(seed).aleSeed,
      repeatActionProbability: opts.repeatActionProbability,
      maxFramesPerEpisode: opts.maxFramesPerEpisode,
      mode: opts.mode,
      difficulty: opts.difficulty,
    };
  }

  get lives(): number {
    return this.last?.lives ?? 0;
  }

  /** Gymnasium's reset: with a seed, re-seed ALE and the env generator and re-load the ROM. */
  async reset(seed?: number): Promise<StepResult> {
    if (seed !== undefined) {
      this.npRandom = new Pcg64(atariSeeds(seed).npSeed);
      await this.backend.load(AtariEnv.loadConfig(this.romPath, this.options, seed));
    }
    this.last = await this.backend.resetGame();
    await this.backend.screen(this.screen);
    return this.result(this.last);
  }

  /** One agent step: action `actionIndex` of actionSet for `frameskip` frames. */
  async step(actionIndex: number): Promise<StepResult> {
    const res = await this.act(actionIndex, this.options.frameskip, ActFlags.CaptureLast);
    this.screen.set(this.backend.lastScreen);
    return this.result(res);
  }

  /**
   * The frame-level primitive wrappers build on: up to `frames` frames of one action
   * (see ActFlags); captured screens are in backend.prevScreen / backend.lastScreen.
   */
  async act(actionIndex: number, frames: number, flags: number): Promise<ActResult> {
    const action = this.actionSet[actionIndex];
    if (action === undefined || !Number.isInteger(actionIndex)) {
      throw new RangeError(`action index ${actionIndex} is outside 0..${this.actionSet.length - 1}`);
    }
    const res = await this.backend.act(action, frames, flags);
    this.last = res;
    return res;
  }

  /** Re-reads the current screen into `screen` (after `act` calls that did not capture it). */
  async refreshScreen(): Promise<Uint8Array> {
    return this.backend.screen(this.screen);
  }

  ram(): Promise<Uint8Array> {
    return this.backend.ram();
  }

  close(): Promise<void> {
    return this.backend.close();
  }

  private result(s: FrameStatus): StepResult {
    return {
      reward: s.reward,
      terminated: s.terminated,
      truncated: s.truncated,
      lives: s.lives,
      frameNumber: s.frameNumber,
      episodeFrameNumber: s.episodeFrameNumber,
    };
  }
}

/** Palette indices -> grey levels (ALE's getScreenGrayscale). */
export function toGrey(screen: Uint8Array, out: Uint8Array = new Uint8Array(screen.length)): Uint8Array {
  for (let i = 0; i < screen.length; i++) out[i] = NTSC_GREY[screen[i]!]!;
  return out;
}

/** Palette indices -> RGB, 3 bytes per pixel (ALE's getScreenRGB). */
export function toRGB(screen: Uint8Array, out: Uint8Array = new Uint8Array(screen.length * 3)): Uint8Array {
  for (let i = 0, j = 0; i < screen.length; i++, j += 3) {
    const c = NTSC_RGB[screen[i]!]!;
    out[j] = c >> 16;
    out[j + 1] = (c >> 8) & 0xff;
    out[j + 2] = c & 0xff;
  }
  return out;
}
