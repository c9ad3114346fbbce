import { expect } from 'chai';
import { UserError } from '../../src/cli/errors.js';
import { dense, Dropout, parseDefense, parseDefenses, RandomNoisyActivations, Sap, Xoshiro128 } from '../../src/defense/index.js';
import { expectUserError } from '../agent/expect-user-error.js';

describe('defense baselines', () => {
  it('dropout zeroes a fraction p and scales survivors by 1 / (1 - p)', () => {
    const size = 100_000;
    const h = new Float32Array(size).fill(2);
    const mul = new Float32Array(size).fill(1);
    new Dropout(0.25).apply(h, 1, size, new Xoshiro128(1), mul);
    const zeros = h.filter((v) => v === 0).length;
    expect(zeros / size).to.be.closeTo(0.25, 0.01);
    expect(h.every((v) => v === 0 || Math.abs(v - 2 / 0.75) < 1e-6)).to.equal(true);
    expect(h.reduce((a, b) => a + b, 0) / size).to.be.closeTo(2, 0.02);
    for (let i = 0; i < size; i++) if (mul[i] !== h[i]! / 2) expect.fail(`mul ${i}`);
  });

  it('RNA adds noise of std sigma * RMS(layer) and leaves the gradient alone', () => {
    const size = 50_000;
    const h = Float32Array.from({ length: size }, (_, i) => (i % 2 ? 3 : 0)); // RMS = sqrt(4.5)
    const before = h.slice();
    const mul = Float32Array.from(h, (v) => (v > 0 ? 1 : 0));
    new RandomNoisyActivations(0.5).apply(h, 1, size, new Xoshiro128(2));
    let s = 0;
    let ss = 0;
    for (let i = 0; i < size; i++) {
      const d = h[i]! - before[i]!;
      s += d;
      ss += d * d;
    }
    expect(s / size).to.be.closeTo(0, 0.02);
    expect(Math.sqrt(ss / size)).to.be.closeTo(0.5 * Math.sqrt(4.5), 0.02);
    expect(mul.filter((v) => v === 1).length).to.equal(size / 2);
    const zero = new Float32Array(10);
    new RandomNoisyActivations(1).apply(zero, 1, 10, new Xoshiro128(3));
    expect(zero.every((v) => v === 0)).to.equal(true);
  });

  it('parses defense specs', () => {
    expect(parseDefense('dense')).to.equal(dense);
    const sap = parseDefense('sap:1.0');
    expect(sap).to.be.instanceOf(Sap);
    expect(sap.spec).to.equal('sap:1');
    expect(sap.stochastic).to.equal(true);
    expect(parseDefense('SAP').param).to.equal(1);
    expect(parseDefense('sap:0.5').param).to.equal(0.5);
    expect(parseDefense('dropout:0.1')).to.be.instanceOf(Dropout);
    expect(parseDefense('rna:0.5').spec).to.equal('rna:0.5');
    expect(parseDefense('dropout:0').stochastic).to.equal(false);
    expect(parseDefenses('dense, sap:1.0,rna:0.2').map((d) => d.spec)).to.deep.equal(['dense', 'sap:1', 'rna:0.2']);
  });

  it('rejects bad specs with one sentence naming the flag', async () => {
    for (const [spec, fragment] of [
      ['sap:0', 'TAU must be > 0'],
      ['sap:x', "'x' is not a number"],
      ['sap:-1', 'TAU must be > 0'],
      ['dropout:1', '[0, 1)'],
      ['dropout', 'needs a parameter'],
      ['rna:-0.1', 'SIGMA must be >= 0'],
      ['dense:3', 'no parameter'],
      ['jpeg:75', "unknown defense 'jpeg:75'"],
      ['sap:1:2', 'too many'],
    ] as const) {
      const e = await expectUserError(() => parseDefense(spec, '--defense'), '--defense', fragment);
      expect(e).to.be.instanceOf(UserError);
      expect(e.exitCode).to.equal(2);
    }
    await expectUserError(() => parseDefenses(' , ', '--defense'), '--defense', 'no defense given');
  });
});
