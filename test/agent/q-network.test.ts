import { expect } from 'chai';
import * as tf from '@tensorflow/tfjs';
import { buildNatureCnn } from '../../src/agent/nature-cnn.js';
import { QNetwork } from '../../src/agent/q-network.js';
import { ensureTf } from '../../src/agent/tf-backend.js';
import { inputGradient } from '../../src/attack/input-gradient.js';
import { Xoshiro128 } from '../../src/util/rng.js';
import { expectUserError } from './expect-user-error.js';

function random(n: number, seed: number, scale = 1): Float32Array {
  const g = new Xoshiro128(seed);
  return Float32Array.from({ length: n }, () => (g.nextFloat() * 2 - 1) * scale);
}

function dot(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i]! * b[i]!;
  return s;
}

describe('QNetwork (layer-by-layer forward, input gradients)', () => {
  before(async () => {
    await ensureTf();
  });

  it("gives model.predict's Q-values, with and without dividing by 255 inside", () => {
    for (const scaleInside of [true, false]) {
      const model = buildNatureCnn({ nActions: 6, scaleInside, seed: 4 });
      const net = QNetwork.fromModel(model);
      expect(net.nActions).to.equal(6);
      expect(net.reluCount).to.equal(4);
      const x = Float32Array.from(random(3 * 84 * 84 * 4, 1), (v) => Math.round((v + 1) * 127.5));
      const input = scaleInside ? x : x.map((v) => v / 255);
      const want = (model.predict(tf.tensor4d(input, [3, 84, 84, 4])) as tf.Tensor).dataSync();
      const got = net.forward(input, 3).q;
      for (let i = 0; i < want.length; i++) expect(got[i]).to.be.closeTo(want[i]!, 1e-5);
      // Copies repeat each example's row (a deterministic network gives equal copies).
      const copies = net.forward(new Uint8Array(x), 3, { copies: 2 }).q;
      if (scaleInside) for (let i = 0; i < 6; i++) expect(copies[6 + i]).to.equal(copies[i]);
      net.dispose();
      model.dispose();
    }
  });

  it('computes exact transposed convolutions: <J x, g> = <x, J^T g> for strided, same- and valid-padded layers', () => {
    // Linear networks (no ReLU): the input gradient for d loss / d output = g is J^T g.
    const models = [
      [
        tf.layers.conv2d({ inputShape: [11, 13, 3], filters: 5, kernelSize: [4, 3], strides: [2, 3], padding: 'same', useBias: false }),
        tf.layers.conv2d({ filters: 4, kernelSize: 3, strides: 1, padding: 'valid', useBias: false }),
      ],
      [
        // 'valid' strided convs whose kernels are not multiples of their strides, with an uncovered last row and column.
        tf.layers.conv2d({ inputShape: [14, 13, 2], filters: 3, kernelSize: [5, 3], strides: [2, 3], padding: 'valid', useBias: false }),
        tf.layers.conv2d({ filters: 4, kernelSize: 2, strides: 2, padding: 'valid', useBias: false }),
      ],
    ];
    models.forEach((convs, m) => {
      const model = tf.sequential({ layers: [...convs, tf.layers.flatten(), tf.layers.dense({ units: 7, useBias: false })] });
      // Seeded weights (the layers' own initialisers are not): the test is the same every run.
      model.layers.forEach((layer, l) => layer.setWeights(layer.getWeights().map((w) => tf.tensor(random(w.size, 50 + 10 * m + l), w.shape))));
      const net = QNetwork.fromModel(model);
      const x = random(2 * net.inputSize, 2 + m);
      const g = random(2 * 7, 3 + m);
      const jx = net.forward(x, 2).q;
      const jtg = inputGradient(net, net.forward(x, 2, { record: true }), g);
      expect(jtg.length).to.equal(x.length);
      const lhs = dot(jx, g);
      expect(Math.abs(lhs)).to.be.greaterThan(1e-3);
      expect(dot(x, jtg), `model ${m}`).to.be.closeTo(lhs, 1e-4 * Math.abs(lhs) + 1e-6);
      net.dispose();
      model.dispose();
    });
  });

  it('refuses layers it cannot run, naming them', async () => {
    const model = tf.sequential({
      layers: [tf.layers.conv2d({ inputShape: [8, 8, 1], filters: 2, kernelSize: 3 }), tf.layers.maxPooling2d({ poolSize: 2 }), tf.layers.flatten(), tf.layers.dense({ units: 2 })],
    });
    await expectUserError(() => QNetwork.fromModel(model, 'agents/x'), 'agents/x', 'max_pooling2d', 'MaxPooling2D');
    model.dispose();
  });
});
