/**
 * Experience replay that stores every preprocessed frame once.
 *
 * A transition's observations are stacks of `stack` frames, and consecutive stacks share
 * all but one frame; storing stacks would keep each frame `stack` x 2 times. Here slot n
 * (an absolute counter; slot n lives at n % capacity) holds the newest frame of the n-th
 * stack seen, plus, when the agent acted on it, the action, the reward and whether the
 * step ended the episode. A stack is rebuilt from its slot and the slots before it, back
 * to its episode's first frame, which repeats (as FrameStackObservation pads after reset).
 *
 * Per episode the slots are: f0 [a0 r0], f1 [a1 r1], ..., fT (the last frame, no action).
 * Slot n is a transition (s_n, a_n, r_n, s_n+1) when it has an action and slot n+1 holds
 * the frame after it, and all frames of both stacks are still in the buffer.
 */
import type { Rng } from '../util/rng.js';
import type { Minibatch } from './dqn-update.js';

export interface ReplayState {
  capacity: number;
  frameSize: number;
  stack: number;
  written: number;
  frames: Uint8Array;
  actions: Int32Array;
  rewards: Float32Array;
  /** 1: the step from this slot ended bootstrapping (terminated or a life lost). */
  dones: Uint8Array;
  /** 1: an action was taken from this slot (it starts a transition). */
  acted: Uint8Array;
  /** Absolute slot number of the first frame of this slot's episode. */
  episodeStart: Float64Array;
}

export class ReplayBuffer {
  readonly capacity: number;
  readonly frameSize: number;
  readonly stack: number;
  /** Slots written so far (absolute). */
  private written = 0;
  private readonly frames: Uint8Array;
  private readonly actions: Int32Array;
  private readonly rewards: Float32Array;
  private readonly dones: Uint8Array;
  private readonly acted: Uint8Array;
  private readonly episodeStart: Float64Array;
  private currentStart = 0;

  constructor(capacity: number, frameSize: number, stack: number) {
    if (!Number.isInteger(capacity) || capacity < stack + 2) throw new RangeError(`replay capacity must be an integer >= ${stack + 2}, not ${capacity}`);
    this.capacity = capacity;
    this.frameSize = frameSize;
    this.stack = stack;
    this.frames = new Uint8Array(capacity * frameSize);
    this.actions = new Int32Array(capacity);
    this.rewards = new Float32Array(capacity);
    this.dones = new Uint8Array(capacity);
    this.acted = new Uint8Array(capacity);
    this.episodeStart = new Float64Array(capacity);
  }

  /** Transitions stored (slots that can be sampled); an upper bound until the buffer wraps. */
  get size(): number {
    return Math.min(this.written, this.capacity);
  }

  /** The first frame of a new episode (after reset). */
  startEpisode(frame: Uint8Array): void {
    this.currentStart = this.written;
    this.put(frame);
  }

  /**
   * Records the step taken from the newest slot (action index, reward, done for bootstrapping)
   * and the frame it led to. After the last step of an episode call startEpisode next.
   */
  addStep(action: number, reward: number, done: boolean, nextFrame: Uint8Array): void {
    if (this.written === 0) throw new Error('addStep before startEpisode');
    const s = (this.written - 1) % this.capacity;
    this.actions[s] = action;
    this.rewards[s] = reward;
    this.dones[s] = done ? 1 : 0;
    this.acted[s] = 1;
    this.put(nextFrame);
  }

  private put(frame: Uint8Array): void {
    if (frame.length !== this.frameSize) throw new RangeError(`frame has ${frame.length} bytes, not ${this.frameSize}`);
    const s = this.written % this.capacity;
    this.frames.set(frame, s * this.frameSize);
    this.acted[s] = 0;
    this.dones[s] = 0;
    this.rewards[s] = 0;
    this.actions[s] = 0;
    this.episodeStart[s] = this.currentStart;
    this.written++;
  }

  /** Whether absolute slot n starts a transition whose frames are all still stored. */
  canSample(n: number): boolean {
    const oldest = Math.max(0, this.written - this.capacity);
    if (n < oldest || n + 1 >= this.written) return false;
    const s = n % this.capacity;
    if (this.acted[s] !== 1) return false;
    return Math.max(n - (this.stack - 1), this.episodeStart[s]!) >= oldest;
  }

  /** Writes the stack ending at absolute slot n (H x W x stack, channels last) at out[offset..]. */
  private writeStack(n: number, out: Uint8Array, offset: number): void {
    const k = this.stack;
    const start = this.episodeStart[n % this.capacity]!;
    const fs = this.frameSize;
    for (let c = 0; c < k; c++) {
      const slot = Math.max(n - (k - 1 - c), start) % this.capacity;
      const src = slot * fs;
      for (let p = 0; p < fs; p++) out[offset + p * k + c] = this.frames[src + p]!;
    }
  }

  /** `n` transitions drawn uniformly (with replacement) from the sampleable slots. */
  sample(n: number, rng: Rng): Minibatch {
    const oldest = Math.max(0, this.written - this.capacity);
    const span = this.written - 1 - oldest;
    if (span < 1) throw new Error('the replay buffer holds no transition yet');
    const obsSize = this.frameSize * this.stack;
    const obs = new Uint8Array(n * obsSize);
    const next = new Uint8Array(n * obsSize);
    const actions = new Int32Array(n);
    const rewards = new Float32Array(n);
    const dones = new Float32Array(n);
    for (let i = 0; i < n; i++) {
      let slot: number;
      let tries = 0;
      do {
        slot = oldest + Math.floor(rng.nextFloat() * span);
        if (++tries > 1000) throw new Error('the replay buffer has too few sampleable transitions');
      } while (!this.canSample(slot));
      const s = slot % this.capacity;
      this.writeStack(slot, obs, i * obsSize);
      this.writeStack(slot + 1, next, i * obsSize);
      actions[i] = this.actions[s]!;
      rewards[i] = this.rewards[s]!;
      dones[i] = this.dones[s]!;
    }
    return { obs, next, actions, rewards, dones, n };
  }

  /** Everything needed to continue exactly (for checkpoints). The arrays are the live ones. */
  state(): ReplayState {
    return {
      capacity: this.capacity,
      frameSize: this.frameSize,
      stack: this.stack,
      written: this.written,
      frames: this.frames,
      actions: this.actions,
      rewards: this.rewards,
      dones: this.dones,
      acted: this.acted,
      episodeStart: this.episodeStart,
    };
  }

  static fromState(st: ReplayState): ReplayBuffer {
    const b = new ReplayBuffer(st.capacity, st.frameSize, st.stack);
    b.written = st.written;
    b.frames.set(st.frames);
    b.actions.set(st.actions);
    b.rewards.set(st.rewards);
    b.dones.set(st.dones);
    b.acted.set(st.acted);
    b.episodeStart.set(st.episodeStart);
    b.currentStart = st.written > 0 ? st.episodeStart[(st.written - 1) % st.capacity]! : 0;
    return b;
  }
}
