import { expect } from 'chai';
import * as tf from '@tensorflow/tfjs';
import { initTf } from '../../src/agent/tf-backend.js';
import { registerWasmTrainKernels } from '../../src/agent/wasm-train-kernels.js';

/** Runs `f` on the cpu backend (tfjs's reference kernels) and on wasm, returns both results. */
async function onBoth(f: () => tf.Tensor): Promise<[Float32Array, Float32Array, number[]]> {
  await tf.setBackend('cpu');
  const ref = tf.tidy(f);
  const refData = ref.dataSync() as Float32Array;
  const shape = ref.shape;
  ref.dispose();
  await tf.setBackend('wasm');
  const got = tf.tidy(f);
  const gotData = got.dataSync() as Float32Array;
  expect(got.shape).to.deep.equal(shape);
  got.dispose();
  return [refData, gotData, shape];
}

function expectClose(a: Float32Array, b: Float32Array, rel = 1e-5): void {
  expect(b.length).to.equal(a.length);
  let scale = 0;
  for (const v of a) scale = Math.max(scale, Math.abs(v));
  let worst = 0;
  for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs(a[i]! - b[i]!));
  expect(worst).to.be.at.most(rel * Math.max(scale, 1e-6), `max |diff| ${worst} vs scale ${scale}`);
}

const rand = (shape: number[], seed: number) => tf.randomUniform(shape, -1, 1, 'float32', seed);

describe('wasm training kernels (vs tfjs cpu kernels)', () => {
  before(async () => {
    await initTf('wasm');
    registerWasmTrainKernels();
  });
  after(async () => {
    await tf.setBackend('wasm');
  });

  const convCases = [
    { name: 'Nature conv1 8x8/4', x: [3, 84, 84, 4], k: [8, 8, 4, 32], s: 4, pad: 'valid' as const },
    { name: 'Nature conv2 4x4/2', x: [3, 20, 20, 32], k: [4, 4, 32, 64], s: 2, pad: 'valid' as const },
    { name: 'Nature conv3 3x3/1', x: [3, 9, 9, 64], k: [3, 3, 64, 64], s: 1, pad: 'valid' as const },
    { name: 'stride leaving rows unused 5x5/3 on 17x16', x: [2, 17, 16, 3], k: [5, 5, 3, 6], s: 3, pad: 'valid' as const },
    { name: "'same' 3x3/2", x: [2, 11, 10, 5], k: [3, 3, 5, 7], s: 2, pad: 'same' as const },
    { name: "'same' 4x4/1", x: [2, 7, 9, 3], k: [4, 4, 3, 4], s: 1, pad: 'same' as const },
  ];

  for (const c of convCases) {
    it(`conv filter and input gradients equal the reference: ${c.name}`, async () => {
      const x = () => rand(c.x, 1);
      const w = () => rand(c.k, 2);
      const lossOf = (xx: tf.Tensor4D, ww: tf.Tensor4D) => {
        const y = tf.conv2d(xx, ww, c.s, c.pad);
        return tf.sum(tf.mul(y, rand(y.shape, 3)));
      };
      const [refW, gotW] = await onBoth(() => tf.grad((ww: tf.Tensor) => lossOf(x() as tf.Tensor4D, ww as tf.Tensor4D))(w()));
      expectClose(refW, gotW);
      const [refX, gotX] = await onBoth(() => tf.grad((xx: tf.Tensor) => lossOf(xx as tf.Tensor4D, w() as tf.Tensor4D))(x()));
      expectClose(refX, gotX);
    });
  }

  it('transposed matrix products equal the reference, for small and big right operands', async () => {
    for (const [aShape, bShape, ta, tb] of [
      [[32, 512], [3136, 512], false, true],
      [[3136, 512], [6, 512], false, true],
      [[32, 3136], [32, 512], true, false],
      [[7, 5], [9, 7], true, true],
      [[2, 4, 3], [2, 5, 3], false, true],
    ] as [number[], number[], boolean, boolean][]) {
      const [ref, got] = await onBoth(() => tf.matMul(rand(aShape, 4), rand(bShape, 5), ta, tb));
      expectClose(ref, got);
    }
  });

  it('leaves no intermediate tensors behind', () => {
    const backend = tf.engine().backend;
    const x = rand([2, 20, 20, 8], 6);
    const dy = rand([2, 9, 9, 16], 7);
    const w = rand([4, 4, 8, 16], 8);
    const a = rand([3, 4], 1);
    const b = rand([5, 4], 2);
    const before = backend.numDataIds();
    const conv = { strides: [2, 2], pad: 'valid', dataFormat: 'NHWC' };
    const run = (name: string, inputs: tf.NamedTensorMap, attrs: tf.NamedAttrMap) => (tf.engine().runKernel(name, inputs, attrs) as tf.Tensor).dispose();
    run('Conv2DBackpropFilter', { x, dy }, { ...conv, filterShape: [4, 4, 8, 16] });
    run('Conv2DBackpropInput', { dy, filter: w }, { ...conv, inputShape: [2, 20, 20, 8] });
    run('BatchMatMul', { a, b }, { transposeA: false, transposeB: true });
    expect(backend.numDataIds()).to.equal(before);
  });
});
