import { expect } from 'chai';
import { atariSeeds, Pcg64, SeedSequence } from '../../src/env/seeding.js';
import { requirePython, runPython } from '../helpers/python.js';

describe('NumPy-compatible seeding', function () {
  const seeds = [0, 1, 7, 42, 2 ** 31 - 1, 2 ** 32 + 5, 123456789];

  before(function () {
    requirePython(this, 'numpy');
  });

  it('SeedSequence.generate_state and the ALE seed equal NumPy / ale_py', () => {
    const expected = JSON.parse(
      runPython(`
import json, numpy as np
out = []
for s in ${JSON.stringify(seeds)}:
    st = np.random.SeedSequence(s).generate_state(6)
    out.append({"state": [int(x) for x in st], "ale": int(np.int32(st[1]))})
print(json.dumps(out))`),
    ) as { state: number[]; ale: number }[];
    seeds.forEach((s, i) => {
      expect(Array.from(new SeedSequence(s).generateState(6)), `seed ${s}`).to.deep.equal(expected[i]!.state);
      expect(atariSeeds(s).aleSeed).to.equal(expected[i]!.ale);
    });
  });

  it('SeedSequence of a list of integers equals NumPy', () => {
    const lists = [[1, 2], [0, 0, 7], [2 ** 33 + 1, 5], [42, 3, 1000, 2 ** 32 - 1, 9]];
    const expected = JSON.parse(
      runPython(`
import json, numpy as np
print(json.dumps([[int(x) for x in np.random.SeedSequence(l).generate_state(4)] for l in ${JSON.stringify(lists)}]))`),
    ) as number[][];
    lists.forEach((l, i) => expect(Array.from(new SeedSequence(l).generateState(4)), JSON.stringify(l)).to.deep.equal(expected[i]));
  });

  it('PCG64 raw outputs and integers(1, 31) equal NumPy', () => {
    const expected = JSON.parse(
      runPython(`
import json, numpy as np
out = []
for s in ${JSON.stringify(seeds)}:
    g = np.random.Generator(np.random.PCG64(np.random.SeedSequence(s)))
    raw = [str(int(g.bit_generator.random_raw())) for _ in range(3)]
    ints = [int(g.integers(1, 31)) for _ in range(50)] + [int(g.integers(0, 7)) for _ in range(20)]
    out.append({"raw": raw, "ints": ints})
print(json.dumps(out))`),
    ) as { raw: string[]; ints: number[] }[];
    seeds.forEach((s, i) => {
      const g = new Pcg64(s);
      const raw = [0, 1, 2].map(() => g.nextUint64().toString());
      expect(raw, `seed ${s}`).to.deep.equal(expected[i]!.raw);
      const ints = [...Array.from({ length: 50 }, () => g.integers(1, 31)), ...Array.from({ length: 20 }, () => g.integers(0, 7))];
      expect(ints, `seed ${s}`).to.deep.equal(expected[i]!.ints);
    });
  });
});
