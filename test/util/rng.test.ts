import { expect } from 'chai';
import { Xoshiro128 } from '../../src/util/rng.js';

describe('Xoshiro128 (xoshiro128**)', () => {
  it('produces the reference stream for state {1, 2, 3, 4}', () => {
    // The first outputs of Blackman & Vigna's xoshiro128** reference code from s = {1, 2, 3, 4}.
    const g = Xoshiro128.fromState([1, 2, 3, 4]);
    expect([g.nextU32(), g.nextU32(), g.nextU32()]).to.deep.equal([11520, 0, 5927040]);
  });

  it('is reproducible per seed, differs between seeds, and fillU32 continues the same stream', () => {
    const a = new Xoshiro128(42);
    const b = new Xoshiro128(42);
    const c = new Xoshiro128(43);
    const sa = Array.from({ length: 8 }, () => a.nextU32());
    expect(sa).to.deep.equal(Array.from({ length: 8 }, () => b.nextU32()));
    expect(sa).not.to.deep.equal(Array.from({ length: 8 }, () => c.nextU32()));
    const buf = new Uint32Array(5);
    a.fillU32(buf, 5);
    expect(Array.from(buf)).to.deep.equal(Array.from({ length: 5 }, () => b.nextU32()));
    expect(new Xoshiro128(0).nextU32()).not.to.equal(new Xoshiro128(2 ** 40).nextU32());
  });

  it('gives uniforms in [0, 1) and standard normals with the right moments', () => {
    const g = new Xoshiro128(7);
    const n = 200_000;
    let su = 0;
    let sz = 0;
    let szz = 0;
    for (let i = 0; i < n; i++) {
      const u = g.nextFloat();
      expect(u >= 0 && u < 1).to.equal(true);
      su += u;
      const z = g.normal();
      sz += z;
      szz += z * z;
    }
    expect(su / n).to.be.closeTo(0.5, 0.005);
    expect(sz / n).to.be.closeTo(0, 0.01);
    expect(szz / n).to.be.closeTo(1, 0.015);
  });
});
