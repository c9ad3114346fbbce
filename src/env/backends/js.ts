// The js backend: sap-rl's own Atari 2600 (src/atari/) with ALE 0.12.1's environment
// semantics (src/atari/ale/environment.ts), in process. Same contract as the ale-py
// backend: `act` runs frames exactly as python/ale_bridge.py's loop does.
import { readFileSync } from 'node:fs';
import { AleEnvironment } from '../../atari/ale/environment.js';
import { ACTION_COUNT } from '../../atari/ale/actions.js';
import { CartridgeError, md5Hex } from '../../atari/cart/index.js';
import { CpuJamError } from '../../atari/cpu.js';
import { gameByMd5 } from '../../atari/games/index.js';
import { UserError } from '../../cli/errors.js';
import {
  ActFlags,
  RAM_SIZE,
  SCREEN_HEIGHT,
  SCREEN_PIXELS,
  type ActResult,
  type EmulatorBackend,
  type FrameStatus,
  type GameInfo,
  type LoadConfig,
} from '../backend.js';

/** Longest stretch of emulation between two turns of the event loop. */
const YIELD_EVERY_MS = 50;

const ALL_ACTIONS = Array.from({ length: ACTION_COUNT }, (_, i) => i);

export class JsBackend implements EmulatorBackend {
  readonly name = 'js' as const;
  readonly prevScreen = new Uint8Array(SCREEN_PIXELS);
  readonly lastScreen = new Uint8Array(SCREEN_PIXELS);
  private env: AleEnvironment | undefined;
  private romPath = '';
  private lastYield = performance.now();

  /** The environment of the loaded ROM (benches, tests). */
  get environment(): AleEnvironment {
    if (!this.env) throw new Error('the js backend has no ROM loaded (call load first)');
    return this.env;
  }

  async load(config: LoadConfig): Promise<GameInfo> {
    let rom: Uint8Array;
    try {
      rom = readFileSync(config.rom);
    } catch (err) {
      throw new UserError(`cannot read the ROM file ${config.rom} (${(err as Error).message})`);
    }
    const md5 = md5Hex(rom);
    const game = gameByMd5(md5);
    let env: AleEnvironment;
    try {
      env = new AleEnvironment(rom, game?.rules, {
        md5,
        seed: config.seed,
        repeatActionProbability: config.repeatActionProbability,
        maxFramesPerEpisode: config.maxFramesPerEpisode,
      });
    } catch (err) {
      if (err instanceof CartridgeError || err instanceof CpuJamError) throw new UserError(`${config.rom}: ${err.message}`);
      throw err;
    }
    this.romPath = config.rom;
    const rules = env.rules;
    if (config.mode !== undefined && config.mode !== null) {
      if (!rules.modes.includes(config.mode)) {
        throw new UserError(`mode ${config.mode} is not available for this game; its mode values are ${rules.modes.join(', ')}`);
      }
      env.setMode(config.mode);
    }
    if (config.difficulty !== undefined && config.difficulty !== null) {
      if (!rules.difficulties.includes(config.difficulty)) {
        throw new UserError(
          `difficulty ${config.difficulty} is not available for this game; its difficulty values are ${rules.difficulties.join(', ')}`,
        );
      }
      env.setDifficulty(config.difficulty);
    }
    if (env.machine.tia.frameHeight !== SCREEN_HEIGHT) {
      throw new UserError(`${config.rom}: the js backend supports 210-line screens, this ROM has ${env.machine.tia.frameHeight}`);
    }
    this.env = env;
    return {
      minimalActions: game ? [...game.minimalActions] : [...ALL_ACTIONS],
      legalActions: [...ALL_ACTIONS],
      modes: [...rules.modes],
      difficulties: [...rules.difficulties],
    };
  }

  async resetGame(): Promise<FrameStatus> {
    this.guard(() => this.environment.reset());
    return this.status(0, 0);
  }

  async act(action: number, frames: number, flags: number, paddleStrength = 1): Promise<ActResult> {
    const res = this.guard(() => this.actFrames(action, frames, flags, paddleStrength));
    // The emulator runs synchronously, so a loop of awaited acts never lets the event loop run:
    // Ctrl-C (SIGINT/SIGTERM handlers), timers and worker messages would wait for the whole run.
    const now = performance.now();
    if (now - this.lastYield > YIELD_EVERY_MS) {
      this.lastYield = now;
      await new Promise<void>((resolve) => setImmediate(resolve));
    }
    return res;
  }

  /** A ROM that jams the CPU is the user's problem: say so in one sentence. */
  private guard<T>(run: () => T): T {
    try {
      return run();
    } catch (err) {
      if (err instanceof CpuJamError) throw new UserError(`${this.romPath}: ${err.message}; this ROM cannot be played`);
      throw err;
    }
  }

  private actFrames(action: number, frames: number, flags: number, paddleStrength: number): ActResult {
    const env = this.environment;
    let total = 0;
    let ran = 0;
    let captured = 0;
    let lives = env.lives();
    for (let t = 0; t < frames; t++) {
      total += env.act(action, paddleStrength);
      ran++;
      if (flags & ActFlags.BreakOnLifeLoss) {
        const now = env.lives();
        if (now < lives) break;
        lives = now;
      }
      if (flags & ActFlags.BreakOnTerminal && (env.isGameOver() || env.isTruncated())) break;
      const which = t - (frames - 2);
      if (which >= 0 && flags & (ActFlags.CapturePrev << which)) {
        (which === 0 ? this.prevScreen : this.lastScreen).set(env.screen());
        captured |= 1 << which;
      }
    }
    return { ...this.status(total, ran), captured };
  }

  async screen(out: Uint8Array = new Uint8Array(SCREEN_PIXELS)): Promise<Uint8Array> {
    out.set(this.environment.screen());
    return out;
  }

  async ram(): Promise<Uint8Array> {
    return this.environment.ram().slice(0, RAM_SIZE);
  }

  async close(): Promise<void> {
    this.env = undefined;
  }

  private status(reward: number, framesRun: number): FrameStatus {
    const env = this.environment;
    return {
      reward,
      framesRun,
      terminated: env.isGameOver(),
      truncated: env.isTruncated(),
      lives: env.lives(),
      frameNumber: env.frameNumber,
      episodeFrameNumber: env.episodeFrameNumber,
    };
  }
}
