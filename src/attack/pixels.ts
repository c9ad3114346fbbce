/**
 * Shared pixel bookkeeping of the attacks: which values an attack may change, and
 * how an attacked observation becomes pixels again.
 */

/** Perturb the whole stacked observation, or only its newest frame (the last channel). */
export type PerturbTarget = 'stack' | 'newest';

/** The values of an NHWC batch with `channels` channels an attack may change: `for (j = start; j < n; j += step)`. */
export function targetStride(target: PerturbTarget, channels: number): { start: number; step: number } {
  return target === 'newest' ? { start: channels - 1, step: channels } : { start: 0, step: 1 };
}

export function clipPixel(v: number): number {
  return v < 0 ? 0 : v > 255 ? 255 : v;
}

/**
 * The attacked observation as the uint8 frames the env would hand over: each value
 * kept within floor(lambda) of the clean pixel (so rounding never leaves the lambda
 * ball), then rounded to the nearest integer (ties to even) and clipped to 0..255,
 * both by the Uint8ClampedArray store. The clean observation `x` holds integer pixels.
 */
export function toPixels(x: Float32Array | Uint8Array, adv: Float32Array, lambda: number): Uint8Array {
  const out = new Uint8ClampedArray(adv.length);
  const eps = Math.floor(lambda);
  // Projecting onto the integer bounds before rounding equals rounding first: rounding is monotone.
  if (x instanceof Uint8Array) quantizeU8(x, adv, eps, out);
  else quantizeF32(x, adv, eps, out);
  return new Uint8Array(out.buffer);
}

// One loop per input type keeps each monomorphic for V8; min/max instead of branches,
// since which side a pixel moved is random.
function quantizeU8(x: Uint8Array, adv: Float32Array, eps: number, out: Uint8ClampedArray): void {
  for (let j = 0; j < adv.length; j++) out[j] = Math.min(x[j]! + eps, Math.max(x[j]! - eps, adv[j]!));
}

function quantizeF32(x: Float32Array, adv: Float32Array, eps: number, out: Uint8ClampedArray): void {
  for (let j = 0; j < adv.length; j++) out[j] = Math.min(x[j]! + eps, Math.max(x[j]! - eps, adv[j]!));
}

/** `x` itself when it is float, else a float copy. */
export function asFloat(x: Float32Array | Uint8Array): Float32Array {
  return x instanceof Float32Array ? x : new Float32Array(x);
}

/** A float copy of `x`. */
export function floatCopy(x: Float32Array | Uint8Array): Float32Array {
  return new Float32Array(x);
}
