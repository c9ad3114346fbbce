// The last k preprocessed frames, as the network sees them: NHWC, channel c = frame c
// (oldest first), like Gymnasium's FrameStackObservation transposed to channels-last.

export class FrameStack {
  private readonly frames: Uint8Array[];
  private head = 0; // index of the oldest frame

  constructor(
    readonly depth: number,
    readonly frameSize: number,
  ) {
    this.frames = Array.from({ length: depth }, () => new Uint8Array(frameSize));
  }

  /** Fills every slot with `frame` (Gymnasium's padding on reset). */
  fill(frame: Uint8Array): void {
    for (const f of this.frames) f.set(frame);
    this.head = 0;
  }

  /** Drops the oldest frame and appends `frame`. */
  push(frame: Uint8Array): void {
    this.frames[this.head]!.set(frame);
    this.head = (this.head + 1) % this.depth;
  }

  /** Frame i, 0 = oldest, depth - 1 = newest. */
  frame(i: number): Uint8Array {
    return this.frames[(this.head + i) % this.depth]!;
  }

  /** The stacked observation, channels last (H x W x depth). */
  observation(out: Uint8Array = new Uint8Array(this.frameSize * this.depth)): Uint8Array {
    const d = this.depth;
    for (let c = 0; c < d; c++) {
      const f = this.frame(c);
      for (let p = 0, o = c; p < f.length; p++, o += d) out[o] = f[p]!;
    }
    return out;
  }
}
