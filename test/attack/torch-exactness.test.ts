import { expect } from 'chai';
import { join } from 'node:path';
import { importCleanRL } from '../../src/agent/import-cleanrl.js';
import { nhwcToNchw } from '../../src/agent/observations.js';
import { QNetwork, type ReluRecord } from '../../src/agent/q-network.js';
import { ensureTf } from '../../src/agent/tf-backend.js';
import { crossEntropyGrad, fgsm, inputGradient, lossGradient } from '../../src/attack/index.js';
import { argmaxRows, defendedForward, dense, meanQ, Sap, Xoshiro128 } from '../../src/defense/index.js';
import { makeFixtures, nchwToNhwc } from '../helpers/torch-fixtures.js';
import { makeTempDir, removeTempDir, requirePython } from '../helpers/python.js';
import { torchAttack } from './torch-attack-oracle.js';

const N = 8;
const OBS = 4 * 84 * 84;

/** Per ReLU of the network, the [h, w, c] (or [units]) shape of its output. */
function reluShapes(net: QNetwork): number[][] {
  const shapes: number[][] = [];
  let last: number[] = [];
  for (const op of net.ops) {
    if (op.kind === 'conv') last = [...op.outShape];
    else if (op.kind === 'dense') last = [op.units];
    else if (op.kind === 'relu') shapes.push(last);
  }
  return shapes;
}

/** Kept units (mul > 0) of each row, reordered from NHWC to PyTorch's CHW flattening. */
function keepMasks(net: QNetwork, relus: readonly ReluRecord[], rows: number): Uint8Array[] {
  return reluShapes(net).map((shape, i) => {
    const keep = Uint8Array.from(relus[i]!.values, (m) => (m > 0 ? 1 : 0));
    return shape.length === 3 ? nhwcToNchw(keep, rows, shape[0]!, shape[1]!, shape[2]!) : keep;
  });
}

function maxAbs(a: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]!));
  return m;
}

function maxDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  expect(a.length).to.equal(b.length);
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]! - b[i]!));
  return m;
}

/** Fraction of the entries with |ref| > tiny * max|ref| whose sign agrees, and how many there are. */
function signAgreement(ours: Float32Array, ref: Float32Array, tiny = 1e-6): { agree: number; counted: number } {
  const cutoff = tiny * maxAbs(ref);
  let counted = 0;
  let same = 0;
  for (let i = 0; i < ref.length; i++) {
    if (Math.abs(ref[i]!) <= cutoff) continue;
    counted++;
    if (Math.sign(ours[i]!) === Math.sign(ref[i]!)) same++;
  }
  return { agree: same / counted, counted };
}

describe('attack gradients against PyTorch (random Nature-DQN weights)', function () {
  let dir: string;
  let checkpoint: string;
  let obs: Uint8Array; // N x 4 x 84 x 84
  let nhwc: Float32Array;
  let net: QNetwork;
  let dispose: () => void;

  before(async function () {
    requirePython(this, 'torch', 'numpy');
    await ensureTf();
    dir = makeTempDir('sap-rl-attack-');
    const [fx] = makeFixtures(dir, [{ kind: 'cleanrl', n: 6, seed: 21 }]);
    checkpoint = fx!.checkpoint;
    obs = fx!.obs.slice(0, N * OBS);
    nhwc = nchwToNhwc(obs, N, 4, 84, 84);
    const agent = await importCleanRL(checkpoint, { game: 'pong', out: join(dir, 'agent') });
    net = QNetwork.fromModel(agent.model);
    dispose = () => {
      net.dispose();
      agent.model.dispose();
    };
  });
  after(() => {
    dispose?.();
    if (dir) removeTempDir(dir);
  });

  it("dense: Q-values within 1e-4, and the FGSM direction has PyTorch's sign on >= 99.9% of pixels", () => {
    const ours = lossGradient(net, dense, nhwc, N, new Xoshiro128(0));
    const torch = torchAttack({ dir, checkpoint, nActions: 6, obs, n: N });
    expect(maxAbs(torch.q)).to.be.greaterThan(0.5); // not vacuous
    expect(maxDiff(ours.q, torch.q)).to.be.below(1e-4);
    expect(Array.from(ours.labels)).to.deep.equal(torch.labels);

    const grad = nhwcToNchw(ours.grad, N, 84, 84, 4);
    const { agree, counted } = signAgreement(grad, torch.grad);
    expect(counted).to.be.greaterThan(0.5 * grad.length);
    expect(agree).to.be.at.least(0.999);
    expect(maxDiff(grad, torch.grad)).to.be.below(1e-3 * maxAbs(torch.grad));

    // The FGSM step moves every unclipped pixel by lambda in the direction of our gradient.
    const lambda = 4;
    const adv = fgsm(net, dense, nhwc, N, lambda, new Xoshiro128(0));
    for (let j = 0; j < adv.length; j++) {
      const want = Math.min(255, Math.max(0, nhwc[j]! + lambda * Math.sign(ours.grad[j]!)));
      if (adv[j] !== want) expect.fail(`pixel ${j}: ${adv[j]} != ${want}`);
    }
  });

  it("SAP-100, EOT-10: with the same kept units, Q-values and the mean gradient equal PyTorch's", () => {
    const copies = 10;
    const tau = 1;
    const pass = defendedForward(net, new Sap(tau), nhwc, N, new Xoshiro128(5), { samples: copies, record: true });
    const labels = argmaxRows(meanQ(pass.q, N, copies, 6), N, 6);
    const grad = nhwcToNchw(inputGradient(net, pass, crossEntropyGrad(pass.q, labels, N, copies, 6)), N, 84, 84, 4);
    const masks = keepMasks(net, pass.relus, N * copies);
    // SAP really pruned: some units of every layer were dropped, the copies differ.
    for (const m of masks) expect(m.reduce((a, b) => a + b, 0)).to.be.below(m.length);
    expect(maxDiff(pass.q.subarray(0, 6), pass.q.subarray(6, 12))).to.be.greaterThan(0);

    const torch = torchAttack({ dir, checkpoint, nActions: 6, obs, n: N, sap: { tau, copies, masks } });
    expect(maxDiff(pass.q, torch.q)).to.be.below(1e-4);
    expect(Array.from(labels)).to.deep.equal(torch.labels);
    expect(maxDiff(grad, torch.grad)).to.be.below(1e-3 * maxAbs(torch.grad));
    expect(signAgreement(grad, torch.grad).agree).to.be.at.least(0.999);
  });
});
