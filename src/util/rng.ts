/**
 * The seeded generator behind every random draw of the defenses, the attacks and the trainer.
 *
 * xoshiro128** (Blackman & Vigna): 32-bit state words, so each draw is a few
 * integer ops in JS (the BigInt PCG64 of src/env/seeding.ts is exact NumPy but
 * far too slow for the ~10^5 draws one SAP forward pass makes). The state is
 * filled from the seed with splitmix32, so any integer seed (including 0) gives
 * a well-mixed, non-zero state. Same seed => same stream on every platform.
 */

export interface Rng {
  /** Next 32-bit unsigned integer. */
  nextU32(): number;
  /** Uniform in [0, 1), 32-bit resolution. */
  nextFloat(): number;
  /** Standard normal. */
  normal(): number;
  /** out[0..n) = the next n 32-bit unsigned integers (the same stream as n nextU32 calls). */
  fillU32(out: Uint32Array, n: number): void;
}

const TWO_POW_M32 = 2 ** -32;

export class Xoshiro128 implements Rng {
  // State in a typed array: as object fields, int32 values beyond V8's 31-bit small
  // integers would be boxed numbers, allocated on every draw.
  private readonly s = new Int32Array(4);
  /** Second value of the last Box-Muller pair, or NaN. */
  private spare = NaN;

  /** `seed`: any safe integer (its low 53 bits are used). */
  constructor(seed: number) {
    if (!Number.isSafeInteger(seed)) throw new RangeError(`seed must be a safe integer, not ${seed}`);
    let s = (seed >>> 0) ^ Math.imul(Math.floor(seed / 2 ** 32) | 0, 0x9e3779b9);
    const splitmix32 = (): number => {
      s = (s + 0x9e3779b9) | 0;
      let z = s;
      z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
      z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
      return (z ^ (z >>> 16)) | 0;
    };
    for (let i = 0; i < 4; i++) this.s[i] = splitmix32();
    if ((this.s[0]! | this.s[1]! | this.s[2]! | this.s[3]!) === 0) this.s[3] = 1;
  }

  /** A generator in the given state (four 32-bit words, not all zero). */
  static fromState(state: readonly [number, number, number, number]): Xoshiro128 {
    const g = new Xoshiro128(0);
    g.s.set(state);
    return g;
  }

  /** The four state words (with fromState: continue the stream elsewhere; a pending normal() spare is not kept). */
  state(): [number, number, number, number] {
    return [this.s[0]!, this.s[1]!, this.s[2]!, this.s[3]!];
  }

  nextU32(): number {
    const s = this.s;
    const s1 = s[1]!;
    const r = Math.imul(rotl(Math.imul(s1, 5), 7), 9);
    const t = s1 << 9;
    s[2]! ^= s[0]!;
    s[3]! ^= s1;
    s[1]! ^= s[2]!;
    s[0]! ^= s[3]!;
    s[2]! ^= t;
    s[3] = rotl(s[3]!, 11);
    return r >>> 0;
  }

  fillU32(out: Uint32Array, n: number): void {
    const s = this.s;
    // The state in locals for the loop (registers), written back once.
    let s0 = s[0]!;
    let s1 = s[1]!;
    let s2 = s[2]!;
    let s3 = s[3]!;
    for (let i = 0; i < n; i++) {
      out[i] = Math.imul(rotl(Math.imul(s1, 5), 7), 9);
      const t = s1 << 9;
      s2 ^= s0;
      s3 ^= s1;
      s1 ^= s2;
      s0 ^= s3;
      s2 ^= t;
      s3 = rotl(s3, 11);
    }
    s[0] = s0;
    s[1] = s1;
    s[2] = s2;
    s[3] = s3;
  }

  nextFloat(): number {
    return this.nextU32() * TWO_POW_M32;
  }

  /** Box-Muller; the second value of each pair is kept for the next call. */
  normal(): number {
    if (!Number.isNaN(this.spare)) {
      const z = this.spare;
      this.spare = NaN;
      return z;
    }
    // 1 - u is in (0, 1], so the log is finite.
    const radius = Math.sqrt(-2 * Math.log(1 - this.nextFloat()));
    const angle = 2 * Math.PI * this.nextFloat();
    this.spare = radius * Math.sin(angle);
    return radius * Math.cos(angle);
  }

  /** An independent generator for a sub-task, derived from this one's stream. */
  fork(): Xoshiro128 {
    return new Xoshiro128(this.nextU32() * 2 ** 21 + (this.nextU32() >>> 11));
  }
}

function rotl(x: number, k: number): number {
  return (x << k) | (x >>> (32 - k));
}
