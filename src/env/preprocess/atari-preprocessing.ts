// The standard DQN observation pipeline on top of AtariEnv, with Gymnasium's semantics
// (gymnasium.wrappers.AtariPreprocessing + FrameStackObservation), so that an agent
// trained there sees the same observations here:
//   no-op starts (1..noopMax, drawn from the env's seeded generator), frame skip with a
//   max over the last two frames, ALE grey, 84x84 area resize, a stack of the last 4 frames.
// Training-only options: terminal on life loss, reward clipping, and fire reset
// (Stable-Baselines3 / CleanRL's FireResetEnv: FIRE then action 2 after every reset).
import { ActFlags, SCREEN_HEIGHT, SCREEN_PIXELS, SCREEN_WIDTH } from '../backend.js';
import { toGrey, type AtariEnv } from '../atari-env.js';
import { AreaResizer } from './area-resize.js';
import { FrameStack } from './frame-stack.js';

export interface PreprocessOptions {
  noopMax?: number;
  frameSkip?: number;
  screenSize?: number;
  frameStack?: number;
  terminalOnLifeLoss?: boolean;
  clipRewards?: boolean;
  fireReset?: boolean;
}

export const DQN_PREPROCESSING: Required<PreprocessOptions> = {
  noopMax: 30,
  frameSkip: 4,
  screenSize: 84,
  frameStack: 4,
  terminalOnLifeLoss: false,
  clipRewards: false,
  fireReset: false,
};

export interface PreprocessedStep {
  /** Reward for the agent (clipped to -1/0/1 with clipRewards). */
  reward: number;
  /** The game's own reward, never clipped: what the experiments report. */
  rawReward: number;
  terminated: boolean;
  truncated: boolean;
  lives: number;
  episodeFrameNumber: number;
}

const FIRE = 1;

export class AtariPreprocessing {
  readonly options: Required<PreprocessOptions>;
  /** The stacked frames; `observation()` gives them channels-last. */
  readonly stack: FrameStack;
  /** The newest preprocessed frame (screenSize x screenSize grey). */
  readonly frame: Uint8Array;
  private readonly resizer: AreaResizer;
  // Gymnasium's obs_buffer[0] (current, max-pooled in place) and obs_buffer[1] (previous).
  private readonly current = new Uint8Array(SCREEN_PIXELS);
  private readonly previous = new Uint8Array(SCREEN_PIXELS);
  private lives = 0;
  private resetSeed: number | undefined;

  constructor(
    readonly env: AtariEnv,
    options: PreprocessOptions = {},
  ) {
    this.options = { ...DQN_PREPROCESSING, ...options };
    const { screenSize, frameStack, noopMax, frameSkip } = this.options;
    if (noopMax > 0 && env.actionSet[0] !== 0) throw new Error('no-op starts need NOOP as action 0');
    if (!Number.isInteger(frameSkip) || frameSkip < 1) throw new RangeError(`frameSkip must be >= 1, not ${frameSkip}`);
    this.resizer = new AreaResizer(SCREEN_WIDTH, SCREEN_HEIGHT, screenSize, screenSize);
    this.frame = new Uint8Array(screenSize * screenSize);
    this.stack = new FrameStack(frameStack, screenSize * screenSize);
  }

  /** The stacked observation (H x W x frameStack, uint8). */
  observation(out?: Uint8Array): Uint8Array {
    return this.stack.observation(out);
  }

  /** Starts an episode; with a seed, re-seeds the env first (as Gymnasium's reset(seed)). */
  async reset(seed?: number): Promise<void> {
    this.resetSeed = seed;
    await this.noopReset();
    if (this.options.fireReset && this.env.actionSet[1] === FIRE && this.env.actionSet.length >= 3) {
      // FireResetEnv: press FIRE, then action 2; start over if either ends the episode.
      for (const action of [1, 2]) {
        const s = await this.step(action);
        if (s.terminated || s.truncated) await this.noopReset();
      }
    }
  }

  private async noopReset(): Promise<void> {
    const env = this.env;
    await env.reset(this.resetSeed);
    const { noopMax } = this.options;
    let remaining = noopMax > 0 ? env.npRandom.integers(1, noopMax + 1) : 0;
    while (remaining > 0) {
      // One act of `remaining` frames that stops at the end of an episode = Gymnasium's
      // one-frame env.step(0) calls, which reset (with the same seed) when the game ends.
      const r = await env.act(0, remaining, ActFlags.BreakOnTerminal);
      remaining -= r.framesRun;
      if (r.terminated || r.truncated) await env.reset(this.resetSeed);
    }
    this.lives = env.lives;
    toGrey(await env.refreshScreen(), this.current);
    this.previous.fill(0);
    this.pool();
    this.stack.fill(this.frame);
  }

  /** One agent step of action index `actionIndex`: frameSkip frames, max-pooled, resized, stacked. */
  async step(actionIndex: number): Promise<PreprocessedStep> {
    const { frameSkip, terminalOnLifeLoss, clipRewards } = this.options;
    const flags =
      ActFlags.BreakOnTerminal | ActFlags.CapturePrev | ActFlags.CaptureLast | (terminalOnLifeLoss ? ActFlags.BreakOnLifeLoss : 0);
    const r = await this.env.act(actionIndex, frameSkip, flags);
    let terminated = r.terminated;
    if (terminalOnLifeLoss) {
      terminated ||= r.lives < this.lives;
      this.lives = r.lives;
    }
    if (r.captured & 1) toGrey(this.env.backend.prevScreen, this.previous);
    if (r.captured & 2) toGrey(this.env.backend.lastScreen, this.current);
    this.pool();
    this.stack.push(this.frame);
    return {
      reward: clipRewards ? Math.sign(r.reward) : r.reward,
      rawReward: r.reward,
      terminated,
      truncated: r.truncated,
      lives: r.lives,
      episodeFrameNumber: r.episodeFrameNumber,
    };
  }

  /** Max over the last two frames (kept in `current`, as Gymnasium does in place), then resize. */
  private pool(): void {
    const cur = this.current;
    if (this.options.frameSkip > 1) {
      const prev = this.previous;
      for (let i = 0; i < cur.length; i++) if (prev[i]! > cur[i]!) cur[i] = prev[i]!;
    }
    this.resizer.resize(cur, this.frame);
  }
}
