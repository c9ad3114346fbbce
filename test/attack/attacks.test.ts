import { expect } from 'chai';
import { buildNatureCnn } from '../../src/agent/nature-cnn.js';
import { QNetwork, type ReluRecord } from '../../src/agent/q-network.js';
import { ensureTf } from '../../src/agent/tf-backend.js';
import { crossEntropyGrad, fgsm, inputGradient, lossGradient, parseAttackConfig, perturb, perturbNewestFrame, perturbStack, pgd, randomSignNoise, toPixels } from '../../src/attack/index.js';
import { argmaxRows, defendedForward, dense, meanQ, Sap, Xoshiro128 } from '../../src/defense/index.js';
import { expectUserError } from '../agent/expect-user-error.js';

const OBS = 84 * 84 * 4;

function randomObs(n: number, seed: number, lo = 0, hi = 256): Uint8Array {
  const g = new Xoshiro128(seed);
  return Uint8Array.from({ length: n * OBS }, () => lo + Math.floor(g.nextFloat() * (hi - lo)));
}

function maxDelta(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]! - b[i]!));
  return m;
}

describe('attacks', function () {
  let net: QNetwork;
  let dispose: () => void;

  before(async () => {
    await ensureTf();
    const model = buildNatureCnn({ nActions: 4, scaleInside: true, seed: 3 });
    net = QNetwork.fromModel(model);
    dispose = () => {
      net.dispose();
      model.dispose();
    };
  });
  after(() => dispose?.());

  it('PGD stays inside the lambda ball and 0..255, and raises the loss', () => {
    const x = randomObs(2, 1);
    for (const lambda of [2, 4.5, 8]) {
      const adv = pgd(net, dense, x, 2, lambda, new Xoshiro128(1), { steps: 5, alpha: 1.5 });
      expect(maxDelta(adv, x)).to.be.at.most(lambda + 1e-4);
      expect(adv.every((v) => v >= 0 && v <= 255)).to.equal(true);
      const q = perturb(net, dense, x, 2, parseAttackConfig({ attack: 'pgd', lambda, pgdSteps: 5 }), new Xoshiro128(2));
      expect(maxDelta(q, x)).to.be.at.most(Math.floor(lambda));
    }
    // PGD ascends the cross-entropy of the clean greedy action.
    const rng = new Xoshiro128(3);
    const clean = lossGradient(net, dense, x, 2, rng);
    const adv = pgd(net, dense, x, 2, 8, rng, { steps: 10, alpha: 2 });
    const after = lossGradient(net, dense, adv, 2, rng, { labels: clean.labels });
    const ce = (q: Float32Array, row: number, a: number): number => {
      const r = Array.from(q.subarray(row * 4, row * 4 + 4));
      const m = Math.max(...r);
      return Math.log(r.reduce((s, v) => s + Math.exp(v - m), 0)) + m - r[a]!;
    };
    for (let row = 0; row < 2; row++) expect(ce(after.q, row, clean.labels[row]!)).to.be.greaterThan(ce(clean.q, row, clean.labels[row]!));
  });

  it('noise moves every pixel by exactly lambda before clipping', () => {
    const x = randomObs(1, 2, 20, 236); // far enough from 0 and 255 that nothing clips
    const adv = randomSignNoise(x, 4, 8, new Xoshiro128(1));
    let up = 0;
    for (let j = 0; j < x.length; j++) {
      const d = adv[j]! - x[j]!;
      if (Math.abs(d) !== 8) expect.fail(`pixel ${j} moved by ${d}`);
      if (d > 0) up++;
    }
    expect(up / x.length).to.be.closeTo(0.5, 0.02);
    // Near the edges the result is clipped to 0..255.
    const edge = randomSignNoise(new Uint8Array(OBS).fill(250), 4, 8, new Xoshiro128(1));
    expect(edge.every((v) => v === 255 || v === 242)).to.equal(true);
  });

  it('FGSM moves each pixel by lambda along the gradient sign, and the uint8 result stays in the ball', () => {
    const x = randomObs(1, 3);
    const rng = new Xoshiro128(4);
    const { grad } = lossGradient(net, dense, x, 1, rng);
    const adv = fgsm(net, dense, x, 1, 3, rng);
    let moved = 0;
    for (let j = 0; j < x.length; j++) {
      const want = Math.min(255, Math.max(0, x[j]! + 3 * Math.sign(grad[j]!)));
      if (adv[j] !== want) expect.fail(`pixel ${j}`);
      if (adv[j] !== x[j]) moved++;
    }
    expect(moved).to.be.greaterThan(0.9 * x.length);
    const u8 = perturbStack(net, dense, x, 1, parseAttackConfig({ attack: 'fgsm', lambda: 3 }), new Xoshiro128(4));
    expect(Array.from(u8)).to.deep.equal(Array.from(adv));
    // The one-pass uint8 FGSM equals quantizing the float one, for fractional lambda and one frame too.
    for (const target of ['stack', 'newest'] as const) {
      const float = fgsm(net, dense, x, 1, 2.5, rng, { target });
      const pixels = perturb(net, dense, x, 1, parseAttackConfig({ attack: 'fgsm', lambda: 2.5 }), rng, target);
      expect(Array.from(pixels)).to.deep.equal(Array.from(toPixels(x, float, 2.5)));
    }
  });

  it("'newest' changes only the last channel, for every attack", () => {
    const x = randomObs(2, 4, 10, 246);
    for (const attack of ['fgsm', 'pgd', 'noise']) {
      const cfg = parseAttackConfig({ attack, lambda: 6, eot: 2, pgdSteps: 2 });
      for (const defense of [dense, new Sap(1)]) {
        const adv = perturbNewestFrame(net, defense, x, 2, cfg, new Xoshiro128(5));
        let newestChanged = 0;
        for (let j = 0; j < x.length; j++) {
          if (j % 4 !== 3) {
            if (adv[j] !== x[j]) expect.fail(`${attack}/${defense.spec}: older frame value ${j} changed`);
          } else if (adv[j] !== x[j]) newestChanged++;
        }
        expect(newestChanged, `${attack}/${defense.spec}`).to.be.greaterThan(0.5 * (x.length / 4));
      }
    }
  });

  it('is reproducible per seed, also with a stochastic defense and EOT', () => {
    const x = randomObs(1, 5);
    const cfg = parseAttackConfig({ attack: 'fgsm', lambda: 4, eot: 3 });
    const sap = new Sap(1);
    const a = perturb(net, sap, x, 1, cfg, new Xoshiro128(11));
    const b = perturb(net, sap, x, 1, cfg, new Xoshiro128(11));
    const c = perturb(net, sap, x, 1, cfg, new Xoshiro128(12));
    expect(Array.from(a)).to.deep.equal(Array.from(b));
    expect(Array.from(a)).not.to.deep.equal(Array.from(c));
  });

  it('EOT: the batched k-sample gradient is the mean of k single-sample gradients with the same masks', () => {
    const x = new Float32Array(randomObs(1, 6));
    const k = 4;
    const pass = defendedForward(net, new Sap(1), x, 1, new Xoshiro128(21), { samples: k, record: true });
    const labels = argmaxRows(meanQ(pass.q, 1, k, 4), 1, 4);
    const eot = inputGradient(net, pass, crossEntropyGrad(pass.q, labels, 1, k, 4));
    const mean = new Float32Array(OBS);
    for (let c = 0; c < k; c++) {
      // Replay copy c's kept units and scales (recorded as mask * scale) in a single pass.
      const replay = (h: Float32Array, _rows: number, size: number, relu: number, mul: Float32Array | null): void => {
        const m = pass.relus[relu]!.values.subarray(c * size, (c + 1) * size);
        for (let j = 0; j < size; j++) {
          h[j]! *= m[j]!;
          if (mul) mul[j]! *= m[j]!;
        }
      };
      const single = net.forward(x, 1, { record: true, transform: replay });
      expect(maxDelta(single.q, pass.q.subarray(c * 4, (c + 1) * 4))).to.be.below(1e-5);
      const g = inputGradient(net, single, crossEntropyGrad(single.q, labels, 1, 1, 4));
      for (let j = 0; j < OBS; j++) mean[j]! += g[j]! / k;
    }
    const scale = maxDelta(mean, new Float32Array(OBS));
    expect(scale).to.be.greaterThan(0);
    expect(maxDelta(mean, eot)).to.be.below(1e-4 * scale);
  });

  it('toPixels rounds (ties to even), keeps floor(lambda) of the clean pixel and 0..255', () => {
    const x = Uint8Array.from([0, 10, 250, 100, 100, 97]);
    const adv = Float32Array.from([-3.2, 12.6, 258, 101.4, 97.5, 96.5]);
    expect(Array.from(toPixels(x, adv, 2.9))).to.deep.equal([0, 12, 252, 101, 98, 96]);
    expect(Array.from(toPixels(new Float32Array(x), adv, 2.9))).to.deep.equal([0, 12, 252, 101, 98, 96]);
  });

  it('rejects bad attack flags with one sentence naming the flag', async () => {
    await expectUserError(() => parseAttackConfig({ attack: 'cw', lambda: 1 }), '--attack', "unknown attack 'cw'");
    await expectUserError(() => parseAttackConfig({ attack: 'fgsm', lambda: '-1' }), '--lambda');
    await expectUserError(() => parseAttackConfig({ attack: 'fgsm', lambda: 'x' }), '--lambda');
    await expectUserError(() => parseAttackConfig({ attack: 'fgsm', lambda: 1, eot: '0' }), '--eot');
    await expectUserError(() => parseAttackConfig({ attack: 'fgsm', lambda: 1, eot: '2.5' }), '--eot');
    await expectUserError(() => parseAttackConfig({ attack: 'pgd', lambda: 1, pgdSteps: '0' }), '--pgd-steps');
    await expectUserError(() => parseAttackConfig({ attack: 'pgd', lambda: 1, pgdAlpha: '0' }), '--pgd-alpha');
    expect(parseAttackConfig({ attack: 'PGD', lambda: '8', pgdSteps: '4' })).to.deep.include({ name: 'pgd', lambda: 8, pgdSteps: 4, pgdAlpha: 5, eot: 10 });
  });
});
