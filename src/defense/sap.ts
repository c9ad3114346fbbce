/**
 * Stochastic Activation Pruning (Dhillon et al., ICLR 2018), applied after every
 * ReLU of a trained network, without retraining.
 *
 * Per example and layer (all units of the layer's output, conv maps flattened):
 *   p_j = |h_j| / sum_k |h_k|,  r = round(tau * size) draws WITH replacement from p;
 *   drawn units are kept and scaled by 1 / (1 - (1 - p_j)^r) (the inverse of their
 *   probability of being drawn at least once, so E[output] = h); the rest are zeroed.
 * `sap:1.0` (tau = 1) is the paper's SAP-100. In the backward pass keep-mask and
 * scale are constants.
 *
 * Sampling is linear in the layer size plus r: a cumulative sum of |h| and a guide
 * table (Chen & Asau's indexed search) over 2^bits >= 2 x size buckets of the 32-bit
 * uniform; each draw is one generator call, a table look-up and a short forward scan
 * (twice as many buckets as units: measured ~20% faster than as many, same draws).
 * The draws of a row list its distinct kept units, so pruning zero-fills the row and
 * writes only those (a branch per unit on "kept?" is unpredictable and was slower).
 * A unit with h_j = 0 has an empty interval of the cumulative sum and can never be
 * drawn. EOT copies of one example share the table (same p) and draw independently.
 */
import type { Defense } from './defense.js';
import type { Rng } from '../util/rng.js';

const F32_MAX = 3.4028234663852886e38;
const TWO_POW_M32 = 1 / 4294967296;

/**
 * 1 / (1 - (1 - p)^r), as -1 / expm1(r * log1p(-p)) so that tiny p keeps its
 * precision (the naive form gives 1 / 0 once 1 - p rounds to 1). Clamped to the
 * largest float32 (reached only for p below ~1e-38 / r).
 */
export function sapScale(p: number, r: number): number {
  return Math.min(-1 / Math.expm1(r * Math.log1p(-p)), F32_MAX);
}

/** Number of draws for a layer of `size` units: round(tau * size), at least 1. */
export function sapDraws(tau: number, size: number): number {
  return Math.max(1, Math.round(tau * size));
}

export class Sap implements Defense {
  readonly name = 'sap';
  readonly stochastic = true;
  readonly writesMul = true; // mul = keep * scale, and only units with h > 0 are ever kept
  readonly spec: string;
  // Scratch, grown to the largest layer seen.
  private cdf = new Float64Array(0);
  private guide = new Int32Array(0);
  private keep = new Uint8Array(0);
  private scales = new Float64Array(0);
  private uniforms = new Uint32Array(0);
  private kept = new Int32Array(0);
  private row = new Float32Array(0);

  /** `tau` > 0: draws per unit (1 = SAP-100). */
  constructor(readonly param: number) {
    if (!(param > 0 && Number.isFinite(param))) throw new RangeError(`SAP tau must be a finite number > 0, not ${param}`);
    this.spec = `sap:${param}`;
  }

  apply(h: Float32Array, rows: number, size: number, rng: Rng, mul: Float32Array | null, repeat: number): void {
    const r = sapDraws(this.param, size);
    const bits = Math.max(1, 32 - Math.clz32(size - 1)) + 1; // 2^bits >= 2 x size
    const buckets = 1 << bits;
    this.grow(size, buckets, r);
    const { cdf, guide, keep, scales, uniforms, kept, row } = this;
    const shift = 32 - bits;
    for (let first = 0; first < rows; first += repeat) {
      // One table for the group's identical rows.
      const base = first * size;
      const total = cumulativeSum(h, base, size, cdf, scales, row);
      if (total === 0) continue; // all units are 0: nothing to keep, the output is already 0 (and so is mul)
      // A draw is v * unit for a uniform 32-bit v; bucket b holds v in [b << shift, (b + 1) << shift).
      // (No Math.pow here: V8 may re-evaluate it inside the inlined loop below.)
      const unit = total * TWO_POW_M32;
      buildGuide(cdf, size, guide, buckets, unit * ((1 << shift) >>> 0));
      for (let c = 0; c < Math.min(repeat, rows - first); c++) {
        rng.fillU32(uniforms, r);
        const count = draw(uniforms, r, cdf, guide, shift, unit, keep, kept);
        prune(h, mul, base + c * size, size, row, kept, count, keep, scales, total, r);
      }
    }
  }

  private grow(size: number, buckets: number, draws: number): void {
    if (this.uniforms.length < draws) this.uniforms = new Uint32Array(draws);
    if (this.cdf.length < size) {
      this.cdf = new Float64Array(size);
      this.keep = new Uint8Array(size);
      this.scales = new Float64Array(size);
      this.kept = new Int32Array(size + 1); // +1: a repeated draw writes one slot past the last distinct unit
      this.row = new Float32Array(size);
    }
    if (this.guide.length < buckets) this.guide = new Int32Array(buckets);
  }
}

/** cdf[j] = h[base] + ... + h[base + j] (float64); returns the total. Copies the row to `row`; clears the scale cache (NaN). */
function cumulativeSum(h: Float32Array, base: number, size: number, cdf: Float64Array, scales: Float64Array, row: Float32Array): number {
  let total = 0;
  for (let j = 0; j < size; j++) {
    const v = h[base + j]!;
    row[j] = v;
    total += v;
    cdf[j] = total;
    scales[j] = NaN;
  }
  return total;
}

/**
 * guide[b] = the first j with cdf[j] > b * width, the lowest draw of bucket b
 * (b * width == (b << shift) * unit exactly: width = unit * 2^shift is exact).
 */
function buildGuide(cdf: Float64Array, size: number, guide: Int32Array, buckets: number, width: number): void {
  let b = 0;
  for (let j = 0; j < size && b < buckets; j++) {
    const end = cdf[j]!;
    for (; b < buckets && b * width < end; b++) guide[b] = j;
  }
}

/**
 * r draws (from r uniform 32-bit integers): unit j is drawn when cdf[j - 1] <= u < cdf[j],
 * an empty interval when h_j = 0. Lists each drawn unit once in `kept` (branch-free: the
 * slot is taken only when keep[j] was 0) and returns how many there are.
 */
function draw(uniforms: Uint32Array, r: number, cdf: Float64Array, guide: Int32Array, shift: number, unit: number, keep: Uint8Array, kept: Int32Array): number {
  let count = 0;
  for (let t = 0; t < r; t++) {
    const v = uniforms[t]!;
    const u = v * unit;
    let j = guide[v >>> shift]!;
    while (cdf[j]! <= u) j++;
    kept[count] = j;
    count += 1 - keep[j]!;
    keep[j] = 1;
  }
  return count;
}

/**
 * Zero the row, then write the drawn units scaled (their scale is cached per group: it
 * depends on p_j only) from the group's values `row`, and clear `keep` for the next row.
 */
function prune(
  h: Float32Array,
  mul: Float32Array | null,
  off: number,
  size: number,
  row: Float32Array,
  kept: Int32Array,
  count: number,
  keep: Uint8Array,
  scales: Float64Array,
  total: number,
  r: number,
): void {
  h.fill(0, off, off + size);
  if (mul) mul.fill(0, off, off + size);
  for (let k = 0; k < count; k++) {
    const j = kept[k]!;
    keep[j] = 0;
    let s = scales[j]!;
    if (s !== s) s = scales[j] = sapScale(row[j]! / total, r); // NaN: not computed yet
    h[off + j] = row[j]! * s;
    if (mul) mul[off + j] = s;
  }
}
