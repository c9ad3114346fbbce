/**
 * Fast Gradient Sign Method (Goodfellow et al. 2015) in pixel units:
 * x' = clip(x + lambda * sign(d L / d x), 0, 255), L from gradient.ts.
 */
import type { QNetwork } from '../agent/q-network.js';
import type { Defense } from '../defense/defense.js';
import type { Rng } from '../util/rng.js';
import { lossGradient } from './gradient.js';
import { floatCopy, targetStride, type PerturbTarget } from './pixels.js';

export interface FgsmOptions {
  readonly eot?: number;
  readonly target?: PerturbTarget;
}

/** The attacked batch (float, unrounded, in 0..255); `x` is rows NHWC observations in 0..255. */
export function fgsm(net: QNetwork, defense: Defense, x: Float32Array | Uint8Array, rows: number, lambda: number, rng: Rng, opts: FgsmOptions = {}): Float32Array {
  const { grad } = lossGradient(net, defense, x, rows, rng, { eot: opts.eot });
  const adv = floatCopy(x);
  const { start, step } = targetStride(opts.target ?? 'stack', net.inputShape[2]);
  signStep(adv, grad, lambda, start, step);
  return adv;
}

/**
 * FGSM straight to uint8 pixels: x + floor(lambda) * sign(d L / d x), clipped to
 * 0..255, which is exactly toPixels(x, fgsm(...), lambda) in one pass.
 */
export function fgsmPixels(net: QNetwork, defense: Defense, x: Float32Array | Uint8Array, rows: number, lambda: number, rng: Rng, opts: FgsmOptions = {}): Uint8Array {
  const { grad } = lossGradient(net, defense, x, rows, rng, { eot: opts.eot });
  const x8 = x instanceof Uint8Array ? x : Uint8Array.from(x);
  const { start, step } = targetStride(opts.target ?? 'stack', net.inputShape[2]);
  const bits = new Int32Array(grad.buffer, grad.byteOffset, grad.length);
  return step === 1 ? signPixels(x8, bits, Math.floor(lambda)) : signPixelsStrided(x8, bits, Math.floor(lambda), start, step);
}

/** clip(x + eps * sign, 0, 255) for every value (min/max: the signs are random, branches would mispredict). */
function signPixels(x: Uint8Array, bits: Int32Array, eps: number): Uint8Array {
  const out = new Uint8Array(x.length);
  for (let j = 0; j < x.length; j++) out[j] = Math.min(255, Math.max(0, x[j]! + eps * signOf(bits[j]!)));
  return out;
}

/** The same for j = start, start + step, ... only; the other values are copied. */
function signPixelsStrided(x: Uint8Array, bits: Int32Array, eps: number, start: number, step: number): Uint8Array {
  const out = x.slice();
  for (let j = start; j < x.length; j += step) out[j] = Math.min(255, Math.max(0, x[j]! + eps * signOf(bits[j]!)));
  return out;
}

/**
 * adv[j] += lambda * sign(grad[j]), clipped to 0..255, for j = start, start + step, ...
 * Branch-free (the signs are random, so branches would mispredict half the time):
 * the sign comes from the float's bits, the clip from min/max.
 */
export function signStep(adv: Float32Array, grad: Float32Array, lambda: number, start: number, step: number): void {
  const bits = new Int32Array(grad.buffer, grad.byteOffset, grad.length);
  for (let j = start; j < adv.length; j += step) adv[j] = Math.min(255, Math.max(0, adv[j]! + lambda * signOf(bits[j]!)));
}

/** -1, 0 or 1 from a float32's bits (NaN gradients never happen: the network is finite). */
function signOf(bits: number): number {
  const magnitude = bits & 0x7fffffff;
  const nonZero = (magnitude | -magnitude) >>> 31; // 1 unless +-0
  return ((bits >> 31) | 1) * nonZero;
}
