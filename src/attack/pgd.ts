/**
 * Projected gradient descent in the L-inf ball (Madry et al. 2018) in pixel units:
 * a uniform random start in the lambda ball, then `steps` signed-gradient steps of
 * size alpha, each projected back into the ball and 0..255. Every step uses the
 * gradient estimator of gradient.ts (EOT for stochastic defenses), always against
 * the greedy actions at the clean x.
 */
import type { QNetwork } from '../agent/q-network.js';
import type { Defense } from '../defense/defense.js';
import { greedyActions } from '../defense/policy.js';
import type { Rng } from '../util/rng.js';
import { DEFAULT_EOT, lossGradient } from './gradient.js';
import { asFloat, clipPixel, targetStride, type PerturbTarget } from './pixels.js';

export interface PgdOptions {
  readonly steps: number;
  /** Step size in pixels. */
  readonly alpha: number;
  readonly eot?: number;
  readonly target?: PerturbTarget;
  /** Start at x itself instead of a random point of the ball. */
  readonly noRandomStart?: boolean;
}

export const DEFAULT_PGD_STEPS = 10;

/** Madry et al.'s usual step: 2.5 * lambda / steps. */
export function defaultPgdAlpha(lambda: number, steps: number): number {
  return (2.5 * lambda) / steps;
}

export function pgd(net: QNetwork, defense: Defense, x: Float32Array | Uint8Array, rows: number, lambda: number, rng: Rng, opts: PgdOptions): Float32Array {
  const eot = opts.eot ?? DEFAULT_EOT;
  const x0 = asFloat(x);
  const labels = greedyActions(net, defense, x0, rows, rng, eot);
  const adv = x0.slice();
  const { start, step } = targetStride(opts.target ?? 'stack', net.inputShape[2]);
  if (!opts.noRandomStart) {
    for (let j = start; j < adv.length; j += step) adv[j] = clipPixel(x0[j]! + lambda * (2 * rng.nextFloat() - 1));
  }
  for (let t = 0; t < opts.steps; t++) {
    const { grad } = lossGradient(net, defense, adv, rows, rng, { eot, labels });
    for (let j = start; j < adv.length; j += step) {
      const v = adv[j]! + opts.alpha * Math.sign(grad[j]!);
      adv[j] = Math.min(255, Math.max(0, Math.min(x0[j]! + lambda, Math.max(x0[j]! - lambda, v)))); // into the ball, then 0..255
    }
  }
  return adv;
}
