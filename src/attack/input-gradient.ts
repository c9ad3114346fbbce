/**
 * The gradient of a loss w.r.t. the network INPUT, by a hand-written backward
 * pass over a recorded forward pass (QNetwork.forward with `record`).
 *
 * No tape and no weight gradients: tfjs-backend-wasm has no Conv2DBackpropFilter
 * and a slow Conv2DBackpropInput (12.7 ms for one Nature-CNN FGSM step). Instead:
 * - dense: g_in = g_out K^T, one matmul with the transposed kernel (made once);
 * - conv: the input gradient is a transposed convolution, run as a forward
 *   convolution or a matmul at the conv's own FLOP count (see conv-backward.ts);
 * - ReLU (and the defense after it): multiply by the recorded multiplier;
 * - EOT copies: their gradients are summed at the first ReLU, so the layers
 *   before it run backward once per example, not once per copy;
 * - Rescaling: multiply by its scale (folded into the backward of a conv right after it).
 */
import * as tf from '@tensorflow/tfjs';
import type { ForwardPass, QNetwork, QOp } from '../agent/q-network.js';
import { peekData } from '../agent/tensor-data.js';
import { convBackward } from './conv-backward.js';

type DenseOp = Extract<QOp, { kind: 'dense' }>;

/**
 * d loss / d input, rows x (H*W*C) NHWC, given `gq` = d loss / d Q for every row of
 * the pass ((rows * copies) x nActions). Copies of one example add up.
 */
export function inputGradient(net: QNetwork, pass: ForwardPass, gq: Float32Array): Float32Array {
  let n = pass.rows * pass.copies;
  let reduced = pass.copies === 1;
  if (gq.length !== n * net.nActions) throw new RangeError(`inputGradient: expected ${n} x ${net.nActions} values, got ${gq.length}`);
  if (pass.relus.length !== net.reluCount) throw new Error('inputGradient needs a forward pass run with record: true');
  let g: Float32Array = gq.slice();
  let relu = pass.relus.length;
  for (let i = net.ops.length - 1; i >= 0; i--) {
    const op = net.ops[i]!;
    switch (op.kind) {
      case 'dense':
        g = denseBackward(net, op, g, n);
        break;
      case 'conv': {
        // A Rescaling right before the conv (x / 255) is applied while col2im adds up.
        const prev = net.ops[i - 1];
        const scale = prev?.kind === 'scale' && prev.offset === 0 ? prev.scale : 1;
        g = convBackward(net, op, g, n, scale);
        if (scale !== 1) i--;
        break;
      }
      case 'relu': {
        const rec = pass.relus[--relu]!;
        if (rec.kind === 'mul') multiplyInto(g, rec.values);
        else reluBackward(g, rec.values);
        if (relu === 0 && !reduced) {
          // Before the first ReLU the copies were one example.
          g = sumCopies(g, pass.rows, pass.copies);
          n = pass.rows;
          reduced = true;
        }
        break;
      }
      case 'scale':
        for (let j = 0; j < g.length; j++) g[j]! *= op.scale;
        break;
      case 'flatten':
        break;
    }
  }
  return reduced ? g : sumCopies(g, pass.rows, pass.copies);
}

function denseBackward(net: QNetwork, op: DenseOp, g: Float32Array, n: number): Float32Array {
  const kt = net.derivedTensor(`${op.name}/kernel^T`, () => tf.transpose(op.kernel));
  return matMulToJs(g, [n, op.units], kt, (view) => {
    const out = new Float32Array(view.length);
    out.set(view); // not view.slice(): V8 slices views of wasm memory on a slow path
    return out;
  });
}

/** g (as `shape`) times the tensor `b`; `use` reads the product before anything else is allocated. */
function matMulToJs<T>(g: Float32Array, shape: [number, number], b: tf.Tensor, use: (view: Float32Array) => T): T {
  const a = tf.tensor2d(g, shape);
  const y = tf.matMul(a, b as tf.Tensor2D);
  try {
    return use(peekData(y));
  } finally {
    a.dispose();
    y.dispose();
  }
}

function multiplyInto(g: Float32Array, mul: Float32Array): void {
  for (let j = 0; j < g.length; j++) g[j]! *= mul[j]!;
}

/** g *= [h > 0], branch-free (h >= 0; even the smallest positive float32 times 1e76 exceeds 1). */
function reluBackward(g: Float32Array, h: Float32Array): void {
  for (let j = 0; j < g.length; j++) g[j]! *= Math.min(1, h[j]! * 1e76);
}

/** rows x copies x size -> rows x size, summing the copies. */
function sumCopies(g: Float32Array, rows: number, copies: number): Float32Array {
  const size = g.length / (rows * copies);
  const out = new Float32Array(rows * size);
  for (let r = 0; r < rows; r++) {
    const dst = r * size;
    for (let c = 0; c < copies; c++) {
      const src = (r * copies + c) * size;
      for (let j = 0; j < size; j++) out[dst + j]! += g[src + j]!;
    }
  }
  return out;
}
