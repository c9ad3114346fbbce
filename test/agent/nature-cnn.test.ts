import { expect } from 'chai';
import * as tf from '@tensorflow/tfjs';
import { buildNatureCnn, natureCnnFeatureShape } from '../../src/agent/nature-cnn.js';
import { applyLayers, findReluLayers, fusedActivationLayers, isReluLayer } from '../../src/agent/relu-layers.js';
import { ensureTf } from '../../src/agent/tf-backend.js';

describe('Nature CNN (tfjs)', () => {
  before(async () => {
    await ensureTf();
  });

  it('has the Nature DQN shapes: 84x84x4 NHWC in, nActions out, 3136 flattened features', () => {
    const m = buildNatureCnn({ nActions: 6, scaleInside: true });
    expect(m.inputs[0]!.shape).to.deep.equal([null, 84, 84, 4]);
    expect(m.outputs[0]!.shape).to.deep.equal([null, 6]);
    expect(natureCnnFeatureShape(84, 84)).to.deep.equal([7, 7, 64]);
    expect(m.getLayer('dense1').getWeights()[0]!.shape).to.deep.equal([3136, 512]);
    expect(m.countParams()).to.equal(32 * 4 * 64 + 32 + 64 * 32 * 16 + 64 + 64 * 64 * 9 + 64 + 3136 * 512 + 512 + 512 * 6 + 6);
    m.dispose();
  });

  it('divides by 255 inside only when asked', () => {
    const scaled = buildNatureCnn({ nActions: 4, scaleInside: true, seed: 1 });
    const raw = buildNatureCnn({ nActions: 4, scaleInside: false, seed: 1 });
    expect(scaled.layers[0]!.getClassName()).to.equal('Rescaling');
    expect(raw.layers[0]!.getClassName()).to.equal('Conv2D');
    const x = tf.fill([1, 84, 84, 4], 255);
    const a = (scaled.predict(x) as tf.Tensor).dataSync();
    const b = (raw.predict(tf.div(x, 255)) as tf.Tensor).dataSync();
    for (let i = 0; i < a.length; i++) expect(a[i]).to.be.closeTo(b[i]!, 1e-5);
    scaled.dispose();
    raw.dispose();
  });

  it('is deterministic for a seed', () => {
    const a = buildNatureCnn({ nActions: 4, scaleInside: true, seed: 3 });
    const b = buildNatureCnn({ nActions: 4, scaleInside: true, seed: 3 });
    expect([...a.getWeights()[0]!.dataSync()]).to.deep.equal([...b.getWeights()[0]!.dataSync()]);
    a.dispose();
    b.dispose();
  });

  it('exposes its four ReLUs as separate layers, and applyLayers reproduces predict', () => {
    const m = buildNatureCnn({ nActions: 6, scaleInside: true, seed: 2 });
    expect(findReluLayers(m).map((l) => l.name)).to.deep.equal(['relu1', 'relu2', 'relu3', 'relu4']);
    expect(fusedActivationLayers(m)).to.deep.equal([]);
    const x = tf.randomUniform([2, 84, 84, 4], 0, 255, 'float32', 5);
    const seen: string[] = [];
    const y = applyLayers(m, x, (h, layer) => {
      if (!isReluLayer(layer)) return undefined;
      seen.push(`${layer.name}:${h.shape.slice(1).join('x')}`);
      return h;
    });
    expect(seen).to.deep.equal(['relu1:20x20x32', 'relu2:9x9x64', 'relu3:7x7x64', 'relu4:512']);
    const p = m.predict(x) as tf.Tensor;
    const a = y.dataSync();
    const b = p.dataSync();
    for (let i = 0; i < a.length; i++) expect(a[i]).to.be.closeTo(b[i]!, 1e-6);
    // Zeroing every ReLU output leaves only the output bias.
    const z = applyLayers(m, x, (h, layer) => (isReluLayer(layer) ? tf.zerosLike(h) : undefined));
    expect([...z.dataSync()]).to.deep.equal(Array(12).fill(0));
    m.dispose();
  });
});
