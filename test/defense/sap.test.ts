import { expect } from 'chai';
import { Sap, sapDraws, sapScale } from '../../src/defense/sap.js';
import { Xoshiro128 } from '../../src/util/rng.js';

/** A layer output: `size` units, some exactly 0, the rest spread over two orders of magnitude. */
function activations(size: number, seed: number, zeroFraction = 0.4): Float32Array {
  const g = new Xoshiro128(seed);
  return Float32Array.from({ length: size }, () => (g.nextFloat() < zeroFraction ? 0 : 0.01 + g.nextFloat() * g.nextFloat() * 3));
}

/** `rows` copies of h, SAP applied to all of them (as one EOT group). */
function sample(h: Float32Array, rows: number, seed: number, tau = 1, repeat = rows): { out: Float32Array; mul: Float32Array } {
  const out = new Float32Array(rows * h.length);
  for (let r = 0; r < rows; r++) out.set(h, r * h.length);
  const mul = new Float32Array(out.length);
  for (let i = 0; i < out.length; i++) mul[i] = out[i]! > 0 ? 1 : 0;
  new Sap(tau).apply(out, rows, h.length, new Xoshiro128(seed), mul, repeat);
  return { out, mul };
}

describe('SAP (stochastic activation pruning)', () => {
  it('scales kept units by 1 / (1 - (1 - p)^r), finite even for tiny p', () => {
    expect(sapScale(0.01, 100)).to.be.closeTo(1 / (1 - 0.99 ** 100), 1e-12);
    expect(sapScale(1, 5)).to.equal(1);
    for (const p of [1e-12, 1e-20, 1e-30, 1e-45, 1e-300, Number.MIN_VALUE]) {
      for (const r of [1, 512, 12800]) {
        const s = sapScale(p, r);
        expect(Number.isFinite(s), `p=${p} r=${r}`).to.equal(true);
        expect(Number.isFinite(Math.fround(s)), `float32 p=${p} r=${r}`).to.equal(true);
      }
    }
    // For p r << 1 the scale is 1 / (r p) to first order, where the naive formula gives 1 / 0.
    expect(sapScale(1e-20, 1000)).to.be.closeTo(1e17, 1e7);
    expect(1 / (1 - (1 - 1e-20) ** 1000)).to.equal(Infinity);
    expect(sapDraws(1, 12800)).to.equal(12800);
    expect(sapDraws(0.5, 3)).to.equal(2);
    expect(sapDraws(0.01, 10)).to.equal(1);
  });

  it('never keeps a unit whose activation is 0, and keeps at most r units', () => {
    const h = activations(3000, 1, 0.7);
    const rows = 200;
    const tau = 0.1;
    const { out, mul } = sample(h, rows, 2, tau);
    const r = sapDraws(tau, h.length);
    for (let row = 0; row < rows; row++) {
      let kept = 0;
      for (let j = 0; j < h.length; j++) {
        const v = out[row * h.length + j]!;
        if (h[j] === 0 && v !== 0) expect.fail(`unit ${j} has h = 0 but was kept`);
        if (v !== 0) kept++;
      }
      expect(kept).to.be.within(1, r);
    }
    // Kept units are exactly where the backward multiplier (mask * scale) is non-zero.
    let mismatched = 0;
    for (let i = 0; i < out.length; i++) if (out[i] !== 0 !== (mul[i] !== 0)) mismatched++;
    expect(mismatched).to.equal(0);
  });

  it('is unbiased: the mean of many passes converges to the dense activations', () => {
    // Each unit's output is h/q with probability q = 1 - (1 - p)^r, else 0: mean h, variance h^2 (1/q - 1).
    const size = 500;
    const h = activations(size, 3);
    const rows = 20_000;
    const { out } = sample(h, rows, 4);
    const total = h.reduce((a, b) => a + b, 0);
    const r = sapDraws(1, size);
    const means = new Float64Array(size);
    for (let row = 0; row < rows; row++) for (let j = 0; j < size; j++) means[j]! += out[row * size + j]! / rows;
    let sumZ2 = 0;
    let counted = 0;
    for (let j = 0; j < size; j++) {
      const mean = means[j]!;
      if (h[j] === 0) {
        expect(mean).to.equal(0);
        continue;
      }
      const q = 1 - (1 - h[j]! / total) ** r;
      const se = h[j]! * Math.sqrt((1 / q - 1) / rows);
      const z = (mean - h[j]!) / se;
      expect(Math.abs(z), `unit ${j}: mean ${mean} vs h ${h[j]} (${z.toFixed(2)} standard errors)`).to.be.below(6);
      sumZ2 += z * z;
      counted++;
    }
    // The z-scores have variance ~1: the scale and the spread of the estimator are both right.
    expect(sumZ2 / counted).to.be.within(0.8, 1.25);
  });

  it('is deterministic per seed; EOT copies share their table but draw independently', () => {
    const h = activations(1000, 5);
    const a = sample(h, 4, 9).out;
    const b = sample(h, 4, 9).out;
    const c = sample(h, 4, 10).out;
    expect(Array.from(a)).to.deep.equal(Array.from(b));
    expect(Array.from(a)).not.to.deep.equal(Array.from(c));
    // Sharing the table across a group of identical rows changes nothing in the result.
    expect(Array.from(sample(h, 4, 9, 1, 1).out)).to.deep.equal(Array.from(a));
    // The copies differ from each other.
    expect(Array.from(a.subarray(0, 1000))).not.to.deep.equal(Array.from(a.subarray(1000, 2000)));
  });

  it('leaves an all-zero layer at zero', () => {
    const { out, mul } = sample(new Float32Array(64), 3, 1);
    expect(out.every((v) => v === 0)).to.equal(true);
    expect(mul.every((v) => v === 0)).to.equal(true);
  });
});
