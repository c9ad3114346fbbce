import { expect } from 'chai';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { readStateDict } from '../../src/agent/torch/state-dict.js';
import { UnsafePickleError, unpickle, PyDict, PyTuple } from '../../src/agent/torch/pickle.js';
import { halfToFloat, rebuildTensor } from '../../src/agent/torch/tensor.js';
import { importCleanRL } from '../../src/agent/import-cleanrl.js';
import { makeTempDir, removeTempDir, requirePython, runPython } from '../helpers/python.js';
import { expectUserError } from './expect-user-error.js';

const deny = { file: 'x.pkl', findGlobal: () => undefined };

describe('restricted unpickler (hand-made pickles)', () => {
  it('reads the containers and scalars a state_dict uses (protocol 4)', () => {
    // pickle.dumps({'a': [1, -2, 300, 70000, 3.5, None, True, 2**70, -2**63], 'b': (b'xy', 'é', False)}, protocol=4)
    const hex =
      '8004954d000000000000007d94288c0161945d94284b014afeffffff4d2c014a7011010047400c0000000000004e88' +
      '8a090000000000000000408a080000000000000080658c01629443027879948c02c3a994898794752e';
    const v = unpickle(new Uint8Array(Buffer.from(hex, 'hex')), deny);
    expect(v).to.be.instanceOf(PyDict);
    const d = v as PyDict;
    expect(d.entries.get('a')).to.deep.equal([1, -2, 300, 70000, 3.5, null, true, 2n ** 70n, -(2n ** 63n)]);
    const b = d.entries.get('b') as PyTuple;
    expect(b).to.be.instanceOf(PyTuple);
    expect([...(b.items[0] as Uint8Array)]).to.deep.equal([0x78, 0x79]);
    expect(b.items.slice(1)).to.deep.equal(['é', false]);
  });

  it('refuses even harmless-looking helpers such as _codecs.encode (protocol 2 bytes)', async () => {
    // Protocol 2 pickles bytes as _codecs.encode(str, 'latin1'): GLOBAL, args, REDUCE.
    const bytes = Buffer.concat([
      Buffer.from([0x80, 0x02]),
      Buffer.from('c_codecs\nencode\n', 'latin1'),
      Buffer.from([0x29, 0x52, 0x2e]),
    ]);
    await expectUserError(() => unpickle(new Uint8Array(bytes), deny), "'_codecs.encode'");
  });

  it('refuses a GLOBAL outside the allowlist before anything else happens', () => {
    // c posix\nsystem\n  X 'touch /tmp/x'  TUPLE1  REDUCE  STOP
    const cmd = Buffer.from('touch /tmp/x');
    const len = Buffer.alloc(4);
    len.writeUInt32LE(cmd.length);
    const bytes = Buffer.concat([
      Buffer.from([0x80, 0x02]),
      Buffer.from('cposix\nsystem\n', 'latin1'),
      Buffer.from([0x58]), len, cmd,
      Buffer.from([0x85, 0x52, 0x2e]),
    ]);
    let err: unknown;
    try {
      unpickle(new Uint8Array(bytes), { file: 'evil.pkl', findGlobal: () => undefined });
    } catch (e) {
      err = e;
    }
    expect(err).to.be.instanceOf(UnsafePickleError);
    expect((err as UnsafePickleError).global).to.equal('posix.system');
    expect((err as Error).message).to.include('evil.pkl').and.include("'posix.system'");
  });

  it('reports truncated streams and unknown opcodes as user errors naming the file', async () => {
    await expectUserError(() => unpickle(new Uint8Array([0x80, 0x02, 0x58, 0x05, 0, 0, 0, 0x61]), deny), 'x.pkl', 'truncated');
    await expectUserError(() => unpickle(new Uint8Array([0x80, 0x02, 0x69]), deny), 'x.pkl', 'opcode 0x69');
    await expectUserError(() => readStateDict(new Uint8Array([1, 2, 3]), 'junk.bin'), 'junk.bin', 'not a PyTorch checkpoint');
  });

  it('converts float16 and gathers strided views', () => {
    expect(halfToFloat(0x3c00)).to.equal(1);
    expect(halfToFloat(0xc000)).to.equal(-2);
    expect(halfToFloat(0x0001)).to.equal(2 ** -24);
    expect(halfToFloat(0x7c00)).to.equal(Infinity);
    const f = new Float32Array([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]);
    const storage = { key: '0', dtype: 'float32' as const, numel: 12, bytes: new Uint8Array(f.buffer), littleEndian: true };
    // The transpose of a 3x4 matrix starting at element 0: shape [4, 3], strides [1, 4].
    expect([...rebuildTensor('f', storage, 0, [4, 3], [1, 4]).data]).to.deep.equal([0, 4, 8, 1, 5, 9, 2, 6, 10, 3, 7, 11]);
    expect([...rebuildTensor('f', storage, 5, [2, 2], [4, 1]).data]).to.deep.equal([5, 6, 9, 10]);
    expect(() => rebuildTensor('f', storage, 6, [2, 4], [4, 1])).to.throw(/reaches element/);
    expect(new PyTuple([1]).items).to.deep.equal([1]);
  });
});

describe('PyTorch checkpoint reader (against torch.save)', function () {
  let dir: string;
  let expected: Record<string, { shape: number[]; values: number[]; dtype: string }>;
  const marker = `/tmp/sap-rl-pwned-${process.pid}-${Date.now()}`;

  before(function () {
    requirePython(this, 'torch');
    dir = makeTempDir('sap-rl-torch-');
    const out = runPython(
      String.raw`
import json, os, pickle, sys, zipfile, collections
import torch, torch.nn as nn
marker = sys.argv[1]
torch.manual_seed(0)
base = torch.randn(6, 5)
sd = collections.OrderedDict()
sd['contiguous'] = torch.randn(3, 4, 2, 2)
sd['transposed'] = base.t()                   # non-contiguous strides
sd['view'] = base[2:, 1:4]                    # storage offset into a shared storage
sd['half'] = torch.randn(7).half()
sd['double'] = torch.randn(2, 3).double()
sd['bf16'] = torch.randn(5).bfloat16()
sd['long'] = torch.arange(-3, 3)
sd['flag'] = torch.tensor([True, False, True])
sd['scalar'] = torch.tensor(2.5)
sd['param'] = nn.Parameter(torch.randn(3))    # pickled with _rebuild_parameter
sd['u16'] = torch.tensor([1, 2, 65535], dtype=torch.uint16)[1:]  # _rebuild_tensor_v3 + UntypedStorage
torch.save(sd, 'tensors.pt')
torch.save({'f8': torch.ones(2).to(torch.float8_e4m3fn)}, 'float8.pt')
expected = {k: {'shape': list(v.shape), 'values': v.detach().float().flatten().tolist(), 'dtype': str(v.dtype)} for k, v in sd.items()}

class Evil:
    def __reduce__(self):
        return (os.system, ('touch ' + marker,))
class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc = nn.Linear(2, 2)

torch.save(collections.OrderedDict([('w', torch.zeros(2)), ('x', Evil())]), 'evil.pt')
with open('evil.pkl', 'wb') as f:
    pickle.dump({'x': Evil()}, f, protocol=5)
with open('eval.pkl', 'wb') as f:
    pickle.dump(eval, f, protocol=2)
torch.save(Net(), 'module.pt')
torch.save(sd, 'legacy.pt', _use_new_zipfile_serialization=False)

# A copy of tensors.pt whose first storage is cut short.
with zipfile.ZipFile('tensors.pt') as src, zipfile.ZipFile('truncated.pt', 'w') as dst:
    for info in src.infolist():
        data = src.read(info.filename)
        if info.filename.endswith('/data/0'):
            data = data[: len(data) // 2]
        dst.writestr(info, data)
print(json.dumps(expected))
`,
      { cwd: dir, args: [marker] },
    );
    expected = JSON.parse(out.trim().split('\n').pop()!) as typeof expected;
  });
  after(() => {
    if (dir) removeTempDir(dir);
  });

  it('reads every tensor with its shape and values (strides, offsets, float16/64, bfloat16, ints, bool, parameters, v3 untyped storages)', () => {
    const file = join(dir, 'tensors.pt');
    const sd = readStateDict(new Uint8Array(readFileSync(file)), file);
    expect([...sd.keys()]).to.deep.equal(Object.keys(expected));
    for (const [k, want] of Object.entries(expected)) {
      const t = sd.get(k)!;
      expect(t.shape, k).to.deep.equal(want.shape);
      // Python's float() of each value is exactly representable in float32 after .float().
      expect([...t.data], k).to.deep.equal(want.values.map((v) => Math.fround(v)));
    }
    expect(sd.get('half')!.dtype).to.equal('float16');
    expect(sd.get('transposed')!.dtype).to.equal('float32');
  });

  for (const [name, global] of [
    ['evil.pt', 'posix.system'],
    ['evil.pkl', 'posix.system'],
    ['eval.pkl', '__builtin__.eval'], // protocol 2 writes Python 2 names
    ['module.pt', '__main__.Net'],
  ] as const) {
    it(`refuses ${name} naming '${global}', and runs nothing`, async () => {
      const file = join(dir, name);
      const err = await expectUserError(() => readStateDict(new Uint8Array(readFileSync(file)), file), file, `'${global}'`);
      expect(err).to.be.instanceOf(UnsafePickleError);
      expect(existsSync(marker)).to.equal(false);
    });
  }

  it('refuses a malicious checkpoint in the CleanRL importer without creating the agent', async () => {
    const file = join(dir, 'evil.pt');
    const out = join(dir, 'agents', 'evil');
    await expectUserError(importCleanRL(file, { game: 'pong', out }), file, 'posix.system');
    expect(existsSync(out)).to.equal(false);
    expect(existsSync(marker)).to.equal(false);
  });

  it('reports a truncated storage, an unconvertible dtype and the legacy format clearly', async () => {
    const f8 = join(dir, 'float8.pt');
    await expectUserError(() => readStateDict(new Uint8Array(readFileSync(f8)), f8), f8, 'torch.float8_e4m3fn');
    const trunc = join(dir, 'truncated.pt');
    await expectUserError(() => readStateDict(new Uint8Array(readFileSync(trunc)), trunc), trunc, 'data/0', 'truncated');
    const legacy = join(dir, 'legacy.pt');
    await expectUserError(() => readStateDict(new Uint8Array(readFileSync(legacy)), legacy), legacy, 'legacy');
  });
});
