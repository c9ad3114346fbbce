import { expect } from 'chai';
import * as tf from '@tensorflow/tfjs';
import { createRequire } from 'node:module';
import { activeTfBackend, initTf } from '../../src/agent/tf-backend.js';
import { expectUserError } from './expect-user-error.js';

const require = createRequire(import.meta.url);

function installed(pkg: string): boolean {
  try {
    require.resolve(pkg);
    return true;
  } catch {
    return false;
  }
}

describe('tfjs backends', () => {
  after(async () => {
    await initTf(); // leave the default for the other suites
  });

  it('uses WebAssembly with SIMD by default', async () => {
    const info = await initTf();
    expect(info.name).to.equal('wasm');
    expect(info.fallbackReason).to.equal(undefined);
    expect(info.detail).to.include('SIMD');
    expect(tf.getBackend()).to.equal('wasm');
    expect(activeTfBackend()).to.equal(info);
    expect(tf.sum(tf.tensor([1, 2, 3])).dataSync()[0]).to.equal(6);
  });

  it('switches to the cpu backend and back', async () => {
    expect((await initTf('cpu')).name).to.equal('cpu');
    expect(tf.getBackend()).to.equal('cpu');
    expect(tf.sum(tf.tensor([1, 2, 3])).dataSync()[0]).to.equal(6);
    expect((await initTf('wasm')).name).to.equal('wasm');
    expect(tf.getBackend()).to.equal('wasm');
  });

  it('explains how to install the native backend when it is missing', async function () {
    if (installed('@tensorflow/tfjs-node') || installed('@tensorflow/tfjs-node-gpu')) {
      console.log('      skipped: a native tfjs package is installed here');
      this.skip();
    }
    await expectUserError(initTf('tensorflow'), 'npm install @tensorflow/tfjs-node');
    expect(activeTfBackend()?.name).to.equal('wasm');
  });

  it('rejects unknown backend names', async () => {
    await expectUserError(initTf('webgpu' as never), 'webgpu');
  });
});
