/**
 * PyTorch as the oracle for Q-values and input gradients of a CleanRL Nature DQN,
 * dense or with SAP masks given from outside (the kept units our sampler drew),
 * so our hand-written backward pass and SAP can be compared number for number.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runPython } from '../helpers/python.js';

const SCRIPT = String.raw`
import json, sys, os
import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

job = json.loads(sys.argv[1])
d = job['dir']
n, k, tau = job['n'], job['copies'], job['tau']

net = nn.Sequential(nn.Conv2d(4, 32, 8, stride=4), nn.ReLU(), nn.Conv2d(32, 64, 4, stride=2), nn.ReLU(),
                    nn.Conv2d(64, 64, 3, stride=1), nn.ReLU(), nn.Flatten(), nn.Linear(3136, 512), nn.ReLU(),
                    nn.Linear(512, job['n_actions']))
state = torch.load(job['checkpoint'], map_location='cpu')
net.load_state_dict({key[len('network.'):]: v for key, v in state.items()})

obs = np.fromfile(os.path.join(d, 'obs.u8'), dtype=np.uint8).reshape(n, 4, 84, 84)
x = torch.from_numpy(obs).float().requires_grad_(True)
masks = [np.fromfile(os.path.join(d, f'mask{i}.u8'), dtype=np.uint8).reshape(n * k, -1) for i in range(4)] if job['sap'] else None

def sap(h, i):
    # SAP with the kept units given: p_j = h_j / sum_k h_k over the layer, r = round(tau * size) draws,
    # kept units scaled by 1 / (1 - (1 - p_j)^r); mask and scale are constants of the backward pass.
    flat = h.flatten(1)
    size = flat.shape[1]
    r = max(1, round(tau * size))
    p = flat.double() / flat.double().sum(1, keepdim=True)
    keep = torch.from_numpy(masks[i]).bool()
    scale = torch.where(keep, -1.0 / torch.expm1(r * torch.log1p(-p)), torch.zeros_like(p))
    return (flat * scale.float().detach()).view_as(h)

h = x.repeat_interleave(k, dim=0) / 255.0
relu = 0
for layer in net:
    h = layer(h)
    if isinstance(layer, nn.ReLU) and masks is not None:
        h = sap(h, relu)
        relu += 1
q = h
qmean = q.view(n, k, -1).mean(1)
labels = qmean.argmax(1)
# Per example, the mean over its copies of CE(softmax(q), greedy action); summed over examples.
loss = F.cross_entropy(q, labels.repeat_interleave(k), reduction='sum') / k
loss.backward()
q.detach().numpy().astype(np.float32).tofile(os.path.join(d, 'q.f32'))
x.grad.numpy().astype(np.float32).tofile(os.path.join(d, 'grad.f32'))
print(json.dumps(labels.tolist()))
`;

export interface TorchAttackResult {
  /** (n * copies) x nActions. */
  readonly q: Float32Array;
  /** d loss / d x, n x 4 x 84 x 84 (PyTorch layout). */
  readonly grad: Float32Array;
  readonly labels: number[];
}

export interface TorchAttackJob {
  readonly dir: string;
  readonly checkpoint: string;
  readonly nActions: number;
  /** n x 4 x 84 x 84 uint8. */
  readonly obs: Uint8Array;
  readonly n: number;
  /** SAP: tau and, per ReLU, (n * copies) x units keep masks in PyTorch (CHW) order. */
  readonly sap?: { readonly tau: number; readonly copies: number; readonly masks: readonly Uint8Array[] };
}

export function torchAttack(job: TorchAttackJob): TorchAttackResult {
  writeFileSync(join(job.dir, 'obs.u8'), job.obs);
  job.sap?.masks.forEach((m, i) => writeFileSync(join(job.dir, `mask${i}.u8`), m));
  const args = {
    dir: job.dir,
    checkpoint: job.checkpoint,
    n_actions: job.nActions,
    n: job.n,
    copies: job.sap?.copies ?? 1,
    tau: job.sap?.tau ?? 1,
    sap: job.sap !== undefined,
  };
  const out = runPython(SCRIPT, { args: [JSON.stringify(args)] });
  const f32 = (name: string): Float32Array => {
    const b = readFileSync(join(job.dir, name));
    return new Float32Array(b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength));
  };
  return { q: f32('q.f32'), grad: f32('grad.f32'), labels: JSON.parse(out.trim().split('\n').pop()!) as number[] };
}
