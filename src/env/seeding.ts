// NumPy-compatible seeding, so that `reset(seed)` means exactly what it means in
// Gymnasium's ale_py AtariEnv: SeedSequence(seed).generate_state(2) gives the seed of the
// env's own generator (PCG64, used for no-op starts) and ALE's `random_seed`.
// Written from NumPy's documented algorithms (SeedSequence's hash mixing, PCG64 XSL-RR,
// Lemire's bounded integers); test/env/seeding.test.ts checks them against NumPy itself.

const MASK64 = (1n << 64n) - 1n;
const MASK128 = (1n << 128n) - 1n;

// SeedSequence constants (NumPy's bit_generator.pyx)
const INIT_A = 0x43b0d7e5;
const MULT_A = 0x931e8875;
const INIT_B = 0x8b51f9dd;
const MULT_B = 0x58f38ded;
const MIX_MULT_L = 0xca01f9dd;
const MIX_MULT_R = 0x4973f715;
const POOL_SIZE = 4;

/** An unsigned integer (any size) as little-endian 32-bit words; 0 gives [0]. */
function toWords(value: bigint): number[] {
  if (value < 0n) throw new RangeError('seed must be non-negative');
  const words: number[] = [];
  do {
    words.push(Number(value & 0xffffffffn));
    value >>= 32n;
  } while (value > 0n);
  return words;
}

/** NumPy's `SeedSequence(entropy)` (no spawn key): a pool of 4 words mixed from the entropy. */
export class SeedSequence {
  private readonly pool = new Uint32Array(POOL_SIZE);

  /** `entropy`: a non-negative integer, or a list of them (NumPy concatenates their words). */
  constructor(entropy: number | bigint | readonly (number | bigint)[]) {
    const words = Array.isArray(entropy)
      ? (entropy as readonly (number | bigint)[]).flatMap((e) => toWords(BigInt(e)))
      : toWords(BigInt(entropy as number | bigint));
    let hashConst = INIT_A;
    const hashmix = (value: number): number => {
      value = (value ^ hashConst) >>> 0;
      hashConst = Math.imul(hashConst, MULT_A) >>> 0;
      value = Math.imul(value, hashConst) >>> 0;
      return (value ^ (value >>> 16)) >>> 0;
    };
    const mix = (x: number, y: number): number => {
      const r = (Math.imul(MIX_MULT_L, x) - Math.imul(MIX_MULT_R, y)) >>> 0;
      return (r ^ (r >>> 16)) >>> 0;
    };
    for (let i = 0; i < POOL_SIZE; i++) this.pool[i] = hashmix(words[i] ?? 0);
    for (let src = 0; src < POOL_SIZE; src++) {
      for (let dst = 0; dst < POOL_SIZE; dst++) {
        if (src !== dst) this.pool[dst] = mix(this.pool[dst]!, hashmix(this.pool[src]!));
      }
    }
    for (let src = POOL_SIZE; src < words.length; src++) {
      for (let dst = 0; dst < POOL_SIZE; dst++) this.pool[dst] = mix(this.pool[dst]!, hashmix(words[src]!));
    }
  }

  /** `generate_state(n, uint32)`. */
  generateState(nWords: number): Uint32Array {
    const out = new Uint32Array(nWords);
    let hashConst = INIT_B;
    for (let i = 0; i < nWords; i++) {
      let v = (this.pool[i % POOL_SIZE]! ^ hashConst) >>> 0;
      hashConst = Math.imul(hashConst, MULT_B) >>> 0;
      v = Math.imul(v, hashConst) >>> 0;
      out[i] = (v ^ (v >>> 16)) >>> 0;
    }
    return out;
  }
}

const PCG_MULT = (0x2360ed051fc65da4n << 64n) | 0x4385df649fccf645n; // PCG's default 128-bit multiplier

/**
 * NumPy's PCG64 bit generator (128-bit LCG, XSL-RR output) with `Generator.integers`.
 * BigInt arithmetic: it is drawn a handful of times per episode, never per frame.
 */
export class Pcg64 {
  private state = 0n;
  private inc = 0n;
  private spare: number | null = null; // NumPy hands out 64-bit outputs as two 32-bit halves

  /** `np.random.Generator(np.random.PCG64(np.random.SeedSequence(seed)))`. */
  constructor(seed: number | bigint) {
    const w = new SeedSequence(seed).generateState(8);
    const u64 = (i: number): bigint => (BigInt(w[2 * i + 1]!) << 32n) | BigInt(w[2 * i]!);
    const initState = (u64(0) << 64n) | u64(1);
    const initSeq = (u64(2) << 64n) | u64(3);
    this.inc = ((initSeq << 1n) | 1n) & MASK128;
    this.step();
    this.state = (this.state + initState) & MASK128;
    this.step();
  }

  private step(): void {
    this.state = (this.state * PCG_MULT + this.inc) & MASK128;
  }

  /** Next 64-bit output. */
  nextUint64(): bigint {
    this.step();
    const s = this.state;
    const xored = ((s >> 64n) ^ s) & MASK64;
    const rot = s >> 122n;
    return ((xored >> rot) | (xored << ((64n - rot) & 63n))) & MASK64;
  }

  /** Next 32-bit output (low half of a 64-bit output first, then the high half). */
  nextUint32(): number {
    if (this.spare !== null) {
      const v = this.spare;
      this.spare = null;
      return v;
    }
    const v = this.nextUint64();
    this.spare = Number(v >> 32n);
    return Number(v & 0xffffffffn);
  }

  /** `integers(low, high)`: uniform on [low, high), for ranges below 2^32 (Lemire's method). */
  integers(low: number, high: number): number {
    const range = high - low - 1;
    if (range < 0 || range >= 0xffffffff) throw new RangeError(`integers(${low}, ${high}) is not supported`);
    if (range === 0) return low;
    const excl = BigInt(range + 1);
    let m = BigInt(this.nextUint32()) * excl;
    let leftover = m & 0xffffffffn;
    if (leftover < excl) {
      const threshold = (0x100000000n - excl) % excl;
      while (leftover < threshold) {
        m = BigInt(this.nextUint32()) * excl;
        leftover = m & 0xffffffffn;
      }
    }
    return low + Number(m >> 32n);
  }
}

/** The seeds Gymnasium's AtariEnv derives from `reset(seed)`: its generator's seed and ALE's. */
export function atariSeeds(seed: number): { npSeed: number; aleSeed: number } {
  const [npSeed, aleSeed] = new SeedSequence(seed).generateState(2);
  // ale_py passes np.int32(ale_seed): the same 32 bits read as signed
  return { npSeed: npSeed!, aleSeed: aleSeed! | 0 };
}
