/**
 * ALE 0.12.1's environment around the machine (ALEInterface::loadROM, StellaEnvironment,
 * ALEState in src/ale/): what a "frame", a reset and an action mean for an agent.
 *
 * Facts it follows:
 * - Loading a ROM builds the console (machine.ts), seeds the environment generator (a
 *   separate std::mt19937) with random_seed, and runs reset_game once.
 * - reset_game: episode frame counter to 0, paddles to the middle, system reset, 60 NOOP
 *   frames, a soft reset (RESET held 4 frames, then the remembered actions go back to
 *   NOOP), the game's tracker reset, the mode selection (which may press SELECT and
 *   soft-reset), another soft reset, then the game's starting actions, one frame each.
 *   None of these frames counts, except that each SELECT press counts one frame.
 * - act(a): two draws from the environment generator per frame, player A's first: a
 *   draw / 2^32 >= repeat_action_probability lets the new action (and paddle strength)
 *   take effect, else the previous one repeats. Player B always asks for NOOP (strength
 *   0). Once the game is over or truncated, act emulates nothing and returns 0 (the
 *   draws still happen).
 * - Every emulated frame sets the inputs from the actions (joystick: once per emulate
 *   call; paddles: every frame, moving the paddle resistances), runs one machine frame
 *   and lets the game's tracker read the RAM.
 * - Truncation: episode frames >= max_num_frames_per_episode (when > 0).
 */
import { Machine, type MachineOptions } from '../machine.js';
import { MT19937 } from '../mt19937.js';
import type { GameRules, GameTracker, ModeControl } from '../games/types.js';
import { applyJoystick, firePressed, NOOP, PADDLE_DEFAULT, PADDLE_MAX, PADDLE_MIN, paddleDelta, RESET } from './actions.js';

export interface AleOptions extends MachineOptions {
  /** ALE's random_seed (a 32-bit integer; negative values wrap as in ALE). */
  seed: number;
  repeatActionProbability: number;
  /** 0 = no limit. */
  maxFramesPerEpisode: number;
}

/** Rules for a ROM ALE has no settings for: one mode, never over, reward 0. */
export const NO_RULES: GameRules = {
  modes: [0],
  difficulties: [0],
  createTracker: () => ({ reward: 0, terminal: false, reset() {}, step() {}, lives: () => 0 }),
};

const SOFT_RESET_FRAMES = 4;
const RESET_NOOP_FRAMES = 60;

export class AleEnvironment {
  readonly machine: Machine;
  readonly rules: GameRules;
  readonly tracker: GameTracker;
  private readonly rng: MT19937;
  private readonly usePaddles: boolean;
  private readonly repeatProbability: number;
  private readonly maxFrames: number;
  /** The actions in effect (sticky), player A and B. */
  private actionA = NOOP;
  private actionB = NOOP;
  private strengthA = 1;
  private strengthB = 1;
  private leftPaddle = PADDLE_DEFAULT;
  private rightPaddle = PADDLE_DEFAULT;
  frameNumber = 0;
  episodeFrameNumber = 0;
  mode: number;
  difficulty = 0;
  private readonly ramReader = (address: number): number => this.machine.ramBytes[address & 0x7f]!;
  private readonly modeControl: ModeControl = {
    pressSelect: (frames = 1) => this.pressSelect(frames),
    softReset: () => this.softReset(),
    ram: this.ramReader,
  };

  constructor(rom: Uint8Array, rules: GameRules | undefined, opts: AleOptions) {
    this.machine = new Machine(rom, opts);
    this.rules = rules ?? NO_RULES;
    this.tracker = this.rules.createTracker();
    const props = this.machine.props;
    this.usePaddles = props.controllerLeft === 'PADDLES' || props.controllerRight === 'PADDLES';
    if (this.usePaddles) this.resetPaddles();
    this.rng = new MT19937(opts.seed >>> 0);
    this.mode = this.rules.modes[0] ?? 0;
    // ALE keeps the setting as a C++ float.
    this.repeatProbability = Math.fround(opts.repeatActionProbability);
    this.maxFrames = opts.maxFramesPerEpisode;
    this.reset();
  }

  /** ALE's setMode: takes effect at the next reset. */
  setMode(mode: number): void {
    if (!this.rules.modes.includes(mode)) throw new RangeError(`mode ${mode} is not available for this game`);
    this.mode = mode;
  }

  /** ALE's setDifficulty: takes effect from the next frame on. */
  setDifficulty(difficulty: number): void {
    if (!this.rules.difficulties.includes(difficulty)) throw new RangeError(`difficulty ${difficulty} is not available for this game`);
    this.difficulty = difficulty;
  }

  /** ALE's reset_game. */
  reset(): void {
    this.episodeFrameNumber = 0;
    this.resetPaddles();
    this.machine.systemReset();
    this.emulate(NOOP, NOOP, 1, 1, RESET_NOOP_FRAMES);
    this.softReset();
    this.tracker.reset();
    this.rules.setMode?.(this.mode, this.modeControl);
    if (!this.rules.setMode && this.mode !== 0) throw new RangeError(`mode ${this.mode} is not available for this game`);
    this.softReset();
    for (const action of this.rules.startingActions ?? []) this.emulate(action, NOOP, 1, 1, 1);
  }

  /** One ALE act (frame_skip 1): sticky-action draws, then one frame unless the episode is over. */
  act(action: number, paddleStrength = 1): number {
    if (this.rng.next() / 4294967296 >= this.repeatProbability) {
      this.actionA = action;
      this.strengthA = paddleStrength;
    }
    if (this.rng.next() / 4294967296 >= this.repeatProbability) {
      this.actionB = NOOP;
      this.strengthB = 0;
    }
    if (this.isTerminal()) return 0;
    this.emulate(this.actionA, this.actionB, this.strengthA, this.strengthB, 1);
    this.frameNumber++;
    this.episodeFrameNumber++;
    return this.tracker.reward;
  }

  isGameOver(): boolean {
    return this.tracker.terminal;
  }

  isTruncated(): boolean {
    return this.maxFrames > 0 && this.episodeFrameNumber >= this.maxFrames;
  }

  isTerminal(): boolean {
    return this.isGameOver() || this.isTruncated();
  }

  lives(): number {
    return this.tracker.lives();
  }

  /** The last frame: palette indices, 160 x height, row order. */
  screen(): Uint8Array {
    return this.machine.screen();
  }

  ram(): Uint8Array {
    return this.machine.ramBytes;
  }

  // ------------------------------------------------------------------ internals

  private softReset(): void {
    this.emulate(RESET, NOOP, 1, 1, SOFT_RESET_FRAMES);
    this.actionA = NOOP;
    this.actionB = NOOP;
  }

  private pressSelect(frames: number): void {
    this.releaseKeys();
    this.machine.input.select = true;
    for (let i = 0; i < frames; i++) this.machine.runFrame();
    this.emulate(NOOP, NOOP, 1, 1, 1);
    this.frameNumber++;
    this.episodeFrameNumber++;
  }

  private releaseKeys(): void {
    const input = this.machine.input;
    input.releaseKeys();
    input.setDifficulty(this.difficulty);
  }

  private resetPaddles(): void {
    this.leftPaddle = this.rightPaddle = Math.floor((PADDLE_MIN + PADDLE_MAX) / 2);
    this.machine.input.paddleResistance[0] = this.leftPaddle;
    this.machine.input.paddleResistance[1] = this.rightPaddle;
  }

  private emulate(a: number, b: number, strengthA: number, strengthB: number, frames: number): void {
    const input = this.machine.input;
    if (this.usePaddles) {
      for (let t = 0; t < frames; t++) {
        this.releaseKeys();
        this.leftPaddle = clampPaddle(this.leftPaddle + paddleDelta(a, strengthA));
        this.rightPaddle = clampPaddle(this.rightPaddle + paddleDelta(b, strengthB));
        input.paddleResistance[0] = this.leftPaddle;
        input.paddleResistance[1] = this.rightPaddle;
        if (a === RESET || b === RESET) input.reset = true;
        if (firePressed(a)) input.paddleFire[0] = 1;
        if (firePressed(b)) input.paddleFire[1] = 1;
        this.machine.runFrame();
        this.tracker.step(this.ramReader);
      }
    } else {
      this.releaseKeys();
      applyJoystick(input, 0, a);
      applyJoystick(input, 1, b);
      for (let t = 0; t < frames; t++) {
        this.machine.runFrame();
        this.tracker.step(this.ramReader);
      }
    }
  }
}

function clampPaddle(value: number): number {
  return value < PADDLE_MIN ? PADDLE_MIN : value > PADDLE_MAX ? PADDLE_MAX : value;
}
