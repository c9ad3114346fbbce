import { expect } from 'chai';
import { MT19937 } from '../../src/atari/mt19937.js';
import { requirePython, runPython } from '../helpers/python.js';

describe('MT19937', function () {
  it('gives the C++ standard\'s 10000th output for the default seed', () => {
    // [rand.predef]: the 10000th consecutive invocation of a default-constructed mt19937 produces 4123659995.
    const g = new MT19937();
    let v = 0;
    for (let i = 0; i < 10000; i++) v = g.next();
    expect(v).to.equal(4123659995);
  });

  it('equals NumPy\'s MT19937 legacy seeding stream for several seeds', function () {
    requirePython(this, 'numpy');
    // numpy.random.RandomState(seed) seeds with init_genrand(seed), like std::mt19937(seed).
    const seeds = [0, 1, 4753849, 2 ** 32 - 1];
    const expected = JSON.parse(
      runPython(`
import json, numpy as np
print(json.dumps([[int(x) for x in np.random.RandomState(s).randint(0, 2**32, size=1000, dtype=np.uint64)] for s in ${JSON.stringify(seeds)}]))`),
    ) as number[][];
    seeds.forEach((s, k) => {
      const g = new MT19937(s);
      const ours = Array.from({ length: 1000 }, () => g.next());
      expect(ours, `seed ${s}`).to.deep.equal(expected[k]);
    });
  });
});
