/**
 * Test-time dropout (a baseline in Dhillon et al. 2018): every ReLU output is
 * zeroed independently with probability p, survivors are scaled by 1 / (1 - p)
 * (inverted dropout) so each unit keeps its expected value.
 */
import type { Defense } from './defense.js';
import type { Rng } from '../util/rng.js';

export class Dropout implements Defense {
  readonly name = 'dropout';
  readonly stochastic: boolean;
  readonly spec: string;

  /** `p` in [0, 1). */
  constructor(readonly param: number) {
    if (!(param >= 0 && param < 1)) throw new RangeError(`dropout probability must be in [0, 1), not ${param}`);
    this.stochastic = param > 0;
    this.spec = `dropout:${param}`;
  }

  apply(h: Float32Array, rows: number, size: number, rng: Rng, mul: Float32Array | null): void {
    const p = this.param;
    if (p === 0) return;
    const inv = 1 / (1 - p);
    const n = rows * size;
    for (let i = 0; i < n; i++) {
      const f = rng.nextFloat() < p ? 0 : inv;
      h[i]! *= f;
      if (mul) mul[i]! *= f;
    }
  }
}
