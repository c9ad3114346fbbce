/**
 * The 32-bit Mersenne Twister (C++ std::mt19937): ALE draws its sticky actions, its RAM
 * initialisation and other start-up randomness from one, so ours must give the same stream.
 * Written from Matsumoto & Nishimura's published algorithm; default seed 5489 as in C++.
 */
export class MT19937 {
  private readonly mt = new Uint32Array(624);
  private index = 624;

  constructor(seed = 5489) {
    this.seed(seed);
  }

  seed(seed: number): void {
    const mt = this.mt;
    mt[0] = seed >>> 0;
    for (let i = 1; i < 624; i++) {
      const prev = mt[i - 1]! ^ (mt[i - 1]! >>> 30);
      // 1812433253 * prev + i, modulo 2^32, without losing bits to floating point
      mt[i] = (Math.imul(1812433253, prev) + i) >>> 0;
    }
    this.index = 624;
  }

  /** Next 32-bit output, as an unsigned number. */
  next(): number {
    if (this.index >= 624) this.twist();
    let y = this.mt[this.index++]!;
    y ^= y >>> 11;
    y ^= (y << 7) & 0x9d2c5680;
    y ^= (y << 15) & 0xefc60000;
    y ^= y >>> 18;
    return y >>> 0;
  }

  private twist(): void {
    const mt = this.mt;
    for (let i = 0; i < 624; i++) {
      const y = (mt[i]! & 0x80000000) | (mt[(i + 1) % 624]! & 0x7fffffff);
      let v = mt[(i + 397) % 624]! ^ (y >>> 1);
      if (y & 1) v ^= 0x9908b0df;
      mt[i] = v >>> 0;
    }
    this.index = 0;
  }

  /** The generator's full state (for save/restore). */
  getState(): { mt: Uint32Array; index: number } {
    return { mt: this.mt.slice(), index: this.index };
  }

  setState(state: { mt: Uint32Array; index: number }): void {
    this.mt.set(state.mt);
    this.index = state.index;
  }
}
