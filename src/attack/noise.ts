/**
 * The "is it just noise?" baseline: every pixel the attack may change moves by
 * exactly lambda, up or down with equal probability, then is clipped to 0..255.
 */
import type { Rng } from '../util/rng.js';
import { clipPixel, floatCopy, targetStride, type PerturbTarget } from './pixels.js';

/** `channels`: channels per pixel of the NHWC batch `x`. */
export function randomSignNoise(x: Float32Array | Uint8Array, channels: number, lambda: number, rng: Rng, target: PerturbTarget = 'stack'): Float32Array {
  const adv = floatCopy(x);
  const { start, step } = targetStride(target, channels);
  for (let j = start; j < adv.length; j += step) adv[j] = clipPixel(adv[j]! + (rng.nextU32() & 1 ? lambda : -lambda));
  return adv;
}
