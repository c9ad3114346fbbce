import { expect } from 'chai';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { encodeNpy, parseNpy, readNpy, writeNpy } from '../../src/agent/npy.js';
import { nchwToNhwc, nhwcToNchw, readObservations, writeObservations } from '../../src/agent/observations.js';
import { makeTempDir, removeTempDir, requirePython, runPython } from '../helpers/python.js';
import { expectUserError } from './expect-user-error.js';

const SPEC = { frameStack: 4, height: 84, width: 84 };

describe('.npy files', () => {
  let dir: string;
  before(() => {
    dir = makeTempDir('sap-rl-npy-');
  });
  after(() => dir && removeTempDir(dir));

  it('round-trips uint8 and float32 arrays through our own reader and writer', () => {
    const u8 = Uint8Array.from({ length: 24 }, (_, i) => i * 10);
    const a = parseNpy(encodeNpy({ dtype: 'uint8', shape: [2, 3, 4], data: u8 }), 'x.npy');
    expect(a.dtype).to.equal('uint8');
    expect(a.shape).to.deep.equal([2, 3, 4]);
    expect(Array.from(a.data)).to.deep.equal(Array.from(u8));
    const f = Float32Array.from([1.5, -2, 3e-8]);
    const b = parseNpy(encodeNpy({ dtype: 'float32', shape: [3], data: f }), 'y.npy');
    expect(b.shape).to.deep.equal([3]);
    expect(Array.from(b.data)).to.deep.equal(Array.from(f));
    expect(encodeNpy({ dtype: 'uint8', shape: [1], data: new Uint8Array(1) }).length % 64).to.equal(1);
  });

  it('reads what numpy writes and numpy reads what we write', async function () {
    requirePython(this, 'numpy');
    const made = join(dir, 'numpy.npy');
    runPython(
      `import numpy as np, sys
a = (np.arange(2 * 4 * 84 * 84) % 251).astype(np.uint8).reshape(2, 4, 84, 84)
np.save(sys.argv[1], a)
np.lib.format.write_array(open(sys.argv[1] + '.v2', 'wb'), a, version=(2, 0))
np.save(sys.argv[1] + '.f4.npy', np.linspace(-1, 1, 7, dtype=np.float32))`,
      { args: [made] },
    );
    for (const file of [made, `${made}.v2`]) {
      const arr = readNpy(file);
      expect(arr.shape).to.deep.equal([2, 4, 84, 84]);
      expect(arr.data[12345]).to.equal(12345 % 251);
    }
    const f4 = readNpy(`${made}.f4.npy`);
    expect(f4.dtype).to.equal('float32');
    expect(Array.from(f4.data)).to.deep.equal(Array.from({ length: 7 }, (_, i) => Math.fround(-1 + i / 3)));
    const ours = join(dir, 'ours.npy');
    await writeNpy(ours, { dtype: 'uint8', shape: [3, 84, 84, 4], data: Uint8Array.from({ length: 3 * 84 * 84 * 4 }, (_, i) => i % 7) });
    const check = runPython(`import numpy as np, sys
a = np.load(sys.argv[1])
print(a.dtype, a.shape, int(a.sum()), a.flags['C_CONTIGUOUS'])`, { args: [ours] });
    const expected = Array.from({ length: 3 * 84 * 84 * 4 }, (_, i) => i % 7).reduce((s, v) => s + v, 0);
    expect(check.trim()).to.equal(`uint8 (3, 84, 84, 4) ${expected} True`);
  });

  it('tells observation layouts apart by shape and writes results back in the same layout', async () => {
    const n = 2;
    const nhwc = Uint8Array.from({ length: n * 84 * 84 * 4 }, (_, i) => (i * 31) % 256);
    const nchw = nhwcToNchw(nhwc, n, 84, 84, 4);
    expect(Array.from(nchwToNhwc(nchw, n, 4, 84, 84))).to.deep.equal(Array.from(nhwc));
    const f1 = join(dir, 'nchw.npy');
    const f2 = join(dir, 'nhwc.npy');
    writeFileSync(f1, encodeNpy({ dtype: 'uint8', shape: [n, 4, 84, 84], data: nchw }));
    writeFileSync(f2, encodeNpy({ dtype: 'uint8', shape: [n, 84, 84, 4], data: nhwc }));
    const a = readObservations(f1, SPEC);
    const b = readObservations(f2, SPEC);
    expect(a.layout).to.equal('NCHW');
    expect(b.layout).to.equal('NHWC');
    expect(Array.from(a.nhwc)).to.deep.equal(Array.from(nhwc));
    expect(Array.from(b.nhwc)).to.deep.equal(Array.from(nhwc));
    const back = join(dir, 'back.npy');
    await writeObservations(back, a.nhwc, a, SPEC);
    expect(Array.from(readNpy(back).data)).to.deep.equal(Array.from(nchw));
    // A single observation is a batch of one.
    const one = join(dir, 'one.npy');
    writeFileSync(one, encodeNpy({ dtype: 'uint8', shape: [4, 84, 84], data: nchw.subarray(0, 4 * 84 * 84) }));
    expect(readObservations(one, SPEC).n).to.equal(1);
  });

  it('names the file and the problem for bad input', async () => {
    const bad = (name: string, bytes: Uint8Array | string): string => {
      const f = join(dir, name);
      writeFileSync(f, bytes);
      return f;
    };
    await expectUserError(() => readNpy(join(dir, 'missing.npy')), 'missing.npy', 'no such file');
    await expectUserError(() => readNpy(bad('text.npy', 'hello')), 'text.npy', 'magic');
    const good = encodeNpy({ dtype: 'uint8', shape: [2, 4, 84, 84], data: new Uint8Array(2 * 4 * 84 * 84) });
    await expectUserError(() => readNpy(bad('short.npy', good.subarray(0, good.length - 10))), 'short.npy', 'truncated');
    const f64 = new TextDecoder('latin1').decode(encodeNpy({ dtype: 'float32', shape: [2], data: new Float32Array(2) })).replace("'<f4'", "'<f8'");
    await expectUserError(() => readNpy(bad('f64.npy', Uint8Array.from(f64, (c) => c.charCodeAt(0)))), 'f64.npy', "'<f8'");
    const fortran = new TextDecoder('latin1').decode(good.subarray(0, 128)).replace("'fortran_order': False", "'fortran_order': True ");
    await expectUserError(() => readNpy(bad('fortran.npy', Uint8Array.from(fortran, (c) => c.charCodeAt(0)))), 'fortran.npy', 'Fortran order');
    const wrong = bad('wrong.npy', encodeNpy({ dtype: 'uint8', shape: [2, 3, 84, 84], data: new Uint8Array(2 * 3 * 84 * 84) }));
    await expectUserError(() => readObservations(wrong, SPEC), 'wrong.npy', 'N x 4 x 84 x 84');
    const floats = bad('floats.npy', encodeNpy({ dtype: 'float32', shape: [1, 4, 84, 84], data: new Float32Array(4 * 84 * 84) }));
    await expectUserError(() => readObservations(floats, SPEC), 'floats.npy', 'uint8');
  });
});
