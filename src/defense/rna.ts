/**
 * Random noisy activations (RNA, a baseline in Dhillon et al. 2018): zero-mean
 * Gaussian noise added to every ReLU output.
 *
 * Noise scale: `rna:sigma` adds noise of standard deviation sigma * RMS(h), where
 * RMS(h) is the root mean square of that example's whole layer output. An
 * absolute sigma would mean a different strength in every layer and every agent
 * (activations of an agent that sees 0..255 pixels are ~255x those of one that
 * divides by 255, and deep layers differ from shallow ones by orders of
 * magnitude); relative to the layer's own scale, `rna:0.5` is comparable across
 * layers and agents, as SAP itself is (its probabilities |h_j| / sum |h| are
 * scale-free). An all-zero layer gets no noise. In the backward pass the noise
 * (including its RMS factor) is a constant, so the derivative is the identity.
 */
import type { Defense } from './defense.js';
import type { Rng } from '../util/rng.js';

export class RandomNoisyActivations implements Defense {
  readonly name = 'rna';
  readonly stochastic: boolean;
  readonly spec: string;

  /** `sigma` >= 0, relative to the layer's RMS activation. */
  constructor(readonly param: number) {
    if (!(param >= 0 && Number.isFinite(param))) throw new RangeError(`RNA sigma must be a finite number >= 0, not ${param}`);
    this.stochastic = param > 0;
    this.spec = `rna:${param}`;
  }

  apply(h: Float32Array, rows: number, size: number, rng: Rng): void {
    if (this.param === 0) return;
    for (let r = 0; r < rows; r++) {
      const off = r * size;
      let sq = 0;
      for (let j = 0; j < size; j++) sq += h[off + j]! * h[off + j]!;
      const std = this.param * Math.sqrt(sq / size);
      if (std === 0) continue;
      for (let j = 0; j < size; j++) h[off + j]! += std * rng.normal();
    }
  }
}
