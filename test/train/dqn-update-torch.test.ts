// One Double DQN update against PyTorch: the same weights and minibatch give the same TD
// targets, Huber loss, gradients and (after torch.optim.Adam's step) the same new weights.
import { expect } from 'chai';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { buildConvQNet } from '../../src/agent/nature-cnn.js';
import { initTf } from '../../src/agent/tf-backend.js';
import { registerWasmTrainKernels } from '../../src/agent/wasm-train-kernels.js';
import { Xoshiro128 } from '../../src/util/rng.js';
import { Adam } from '../../src/train/adam.js';
import { dqnLossAndGrads, dqnUpdate, type Minibatch } from '../../src/train/dqn-update.js';
import { TrainNet } from '../../src/train/train-net.js';
import { makeTempDir, removeTempDir, requirePython, runPython } from '../helpers/python.js';

// The tfjs network's layout in PyTorch: NHWC input permuted to NCHW for the convs, and
// permuted back before the flatten so the dense layer sees tfjs's (h, w, c) order.
const SCRIPT = String.raw`
import json, sys, os
import numpy as np
import torch, torch.nn as nn, torch.nn.functional as F
torch.set_num_threads(1)
job = json.loads(sys.argv[1]); d = job['dir']
def load(name, shape): return torch.from_numpy(np.fromfile(os.path.join(d, name), dtype=np.float32).reshape(shape)).clone()
class Net(nn.Module):
    def __init__(self, prefix):
        super().__init__()
        self.convs = nn.ModuleList()
        self.denses = nn.ModuleList()
        i = 0
        for c in job['convs']:
            k = load(f'{prefix}{i}.f32', c['hwio']); b = load(f'{prefix}{i+1}.f32', [c['hwio'][3]]); i += 2
            m = nn.Conv2d(c['hwio'][2], c['hwio'][3], c['hwio'][0], stride=c['stride'])
            m.weight.data = k.permute(3, 2, 0, 1).contiguous(); m.bias.data = b; self.convs.append(m)
        for shp in job['denses']:
            w = load(f'{prefix}{i}.f32', shp); b = load(f'{prefix}{i+1}.f32', [shp[1]]); i += 2
            m = nn.Linear(shp[0], shp[1]); m.weight.data = w.t().contiguous(); m.bias.data = b; self.denses.append(m)
    def forward(self, x):
        h = x.permute(0, 3, 1, 2) / 255.0
        for c in self.convs: h = F.relu(c(h))
        h = h.permute(0, 2, 3, 1).flatten(1)
        for j, m in enumerate(self.denses):
            h = m(h)
            if j < len(self.denses) - 1: h = F.relu(h)
        return h
online, target = Net('online'), Net('target')
n, shape = job['n'], job['obs_shape']
obs = torch.from_numpy(np.fromfile(os.path.join(d, 'obs.u8'), dtype=np.uint8).reshape([n] + shape)).float()
nxt = torch.from_numpy(np.fromfile(os.path.join(d, 'next.u8'), dtype=np.uint8).reshape([n] + shape)).float()
a = torch.from_numpy(np.fromfile(os.path.join(d, 'a.i32'), dtype=np.int32)).long()
r = torch.from_numpy(np.fromfile(os.path.join(d, 'r.f32'), dtype=np.float32))
done = torch.from_numpy(np.fromfile(os.path.join(d, 'done.f32'), dtype=np.float32))
with torch.no_grad():
    pick = online(nxt).argmax(1, keepdim=True)
    y = r + job['gamma'] * (1 - done) * target(nxt).gather(1, pick).squeeze(1)
q = online(obs).gather(1, a.view(-1, 1)).squeeze(1)
loss = F.smooth_l1_loss(q, y)
opt = torch.optim.Adam(online.parameters(), lr=job['lr'], eps=1e-8)
opt.zero_grad(); loss.backward()
def tfjs_layout(get):
    # Each parameter (or its gradient) as tfjs stores it: HWIO kernels, [in, out] dense kernels.
    out = []
    for c in online.convs: out += [get(c.weight).permute(2, 3, 1, 0), get(c.bias)]
    for m in online.denses: out += [get(m.weight).t(), get(m.bias)]
    return out
def save(tensors, prefix):
    for i, t in enumerate(tensors): t.detach().contiguous().numpy().astype(np.float32).tofile(os.path.join(d, f'{prefix}{i}.f32'))
save(tfjs_layout(lambda p: p.grad), 'grad')
opt.step()
save(tfjs_layout(lambda p: p), 'new')
print(json.dumps({'loss': loss.item(), 'y': y.tolist()}))
`;

function write(dir: string, name: string, a: Float32Array | Uint8Array | Int32Array): void {
  writeFileSync(join(dir, name), new Uint8Array(a.buffer, a.byteOffset, a.byteLength));
}

function read(dir: string, name: string): Float32Array {
  const b = readFileSync(join(dir, name));
  return new Float32Array(b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength));
}

function maxAbs(a: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]!));
  return m;
}

describe('Double DQN update vs PyTorch', function () {
  let dir: string;
  before(async function () {
    requirePython(this, 'torch', 'numpy');
    await initTf('wasm');
    registerWasmTrainKernels();
    dir = makeTempDir();
  });
  after(() => dir && removeTempDir(dir));

  it('gives the same targets, loss, gradients and Adam step on a Nature-shaped network', () => {
    const convs = [
      { filters: 16, kernel: 8, stride: 4 },
      { filters: 32, kernel: 4, stride: 2 },
      { filters: 32, kernel: 3, stride: 1 },
    ];
    const nA = 4;
    const mk = (seed: number) => new TrainNet(buildConvQNet({ nActions: nA, scaleInside: true, seed, convs, hidden: [64] }));
    const online = mk(1);
    const target = mk(2);
    const n = 16;
    const rng = new Xoshiro128(5);
    const px = () => Uint8Array.from({ length: n * 84 * 84 * 4 }, () => rng.nextU32() & 0xff);
    const b: Minibatch = {
      obs: px(),
      next: px(),
      actions: Int32Array.from({ length: n }, () => rng.nextU32() % nA),
      rewards: Float32Array.from({ length: n }, () => (rng.nextU32() % 3) - 1),
      dones: Float32Array.from({ length: n }, (_, i) => (i % 5 === 0 ? 1 : 0)),
      n,
    };
    // Larger weights than the init so that Q-values (and the TD errors) span both Huber branches.
    tf.tidy(() => online.variables.forEach((v) => v.assign(tf.mul(v, 3))));
    online.variables.forEach((v, i) => write(dir, `online${i}.f32`, v.dataSync() as Float32Array));
    target.variables.forEach((v, i) => write(dir, `target${i}.f32`, v.dataSync() as Float32Array));
    write(dir, 'obs.u8', b.obs);
    write(dir, 'next.u8', b.next);
    write(dir, 'a.i32', b.actions);
    write(dir, 'r.f32', b.rewards);
    write(dir, 'done.f32', b.dones);
    const convShapes = online.ops.filter((o) => o.kind === 'conv').map((o, i) => ({ hwio: (o as { kernel: tf.Tensor }).kernel.shape, stride: convs[i]!.stride }));
    const denses = online.ops.filter((o) => o.kind === 'dense').map((o) => (o as { kernel: tf.Tensor }).kernel.shape);
    const lr = 1e-3;
    const job = { dir, n, obs_shape: [84, 84, 4], convs: convShapes, denses, gamma: 0.99, lr };
    const torch = JSON.parse(runPython(SCRIPT, { args: [JSON.stringify(job)] })) as { loss: number; y: number[] };

    const got = dqnLossAndGrads(online, target, b, { gamma: 0.99, double: true });
    expect(got.loss).to.be.closeTo(torch.loss, 1e-5 * Math.max(1, Math.abs(torch.loss)));
    got.grads.forEach((g, i) => {
      const ours = g.dataSync() as Float32Array;
      const ref = read(dir, `grad${i}.f32`);
      const scale = maxAbs(ref);
      expect(scale, `gradient ${i} is not trivially zero`).to.be.greaterThan(0);
      let worst = 0;
      for (let j = 0; j < ref.length; j++) worst = Math.max(worst, Math.abs(ours[j]! - ref[j]!));
      expect(worst, `gradient of ${online.variables[i]!.name}`).to.be.at.most(1e-4 * scale);
      g.dispose();
    });

    const adam = new Adam(online.variables, { lr, eps: 1e-8 });
    dqnUpdate(online, target, adam, b, { gamma: 0.99, double: true, maxGradNorm: null });
    online.variables.forEach((v, i) => {
      const ours = v.dataSync() as Float32Array;
      const ref = read(dir, `new${i}.f32`);
      const grad = read(dir, `grad${i}.f32`);
      const scale = maxAbs(grad);
      for (let j = 0; j < ref.length; j++) {
        // Adam's first step is lr * g / (|g| + eps): where g is ~0 its sign is rounding noise.
        if (Math.abs(grad[j]!) < 1e-3 * scale) continue;
        expect(Math.abs(ours[j]! - ref[j]!), `${v.name}[${j}]`).to.be.at.most(lr * 1e-3 + 1e-6);
      }
    });
    adam.dispose();
    online.model.dispose();
    target.model.dispose();
  });
});
