/**
 * A Q-network as the trainer runs it: the model's op chain (src/agent/q-ops.ts) over its
 * own weight variables, in plain tfjs ops so that tf.variableGrads differentiates it.
 *
 * Plain ops rather than the layers model's own call, because tfjs-layers runs a conv with
 * a bias as a fused op whose custom gradient always computes the input gradient too: for
 * the first conv that is a transposed convolution over the whole 84x84 input batch that
 * nothing uses. With plain Conv2D + Add, tfjs computes only the gradients on the path from
 * the variables to the loss.
 */
import * as tf from '@tensorflow/tfjs';
import { compileOps, type QOp } from '../agent/q-ops.js';

export class TrainNet {
  readonly ops: readonly QOp[];
  readonly nActions: number;
  readonly inputShape: readonly [number, number, number];
  /** The model's trainable variables, in the model's weight order. */
  readonly variables: tf.Variable[];

  constructor(readonly model: tf.LayersModel, source = 'the network') {
    const compiled = compileOps(model, source);
    this.ops = compiled.ops;
    this.nActions = compiled.nActions;
    this.inputShape = compiled.inputShape;
    this.variables = model.trainableWeights.map((w) => w.read() as tf.Variable);
  }

  /**
   * Q-values (n x nActions) of n NHWC examples (pixel values 0..255), the same ops inside
   * and outside a gradient. Later layers run as fused conv/matMul + bias with a linear
   * activation (their input gradient is needed anyway), ReLUs as ops of their own. Using
   * one kernel configuration everywhere matters on wasm: XNNPACK packs a layer's weights
   * once per kernel configuration and weight tensor, so acting, the target pass and the
   * gradient pass of one update share one packing of the freshly updated weights.
   */
  apply(x: tf.Tensor4D): tf.Tensor2D {
    const n = x.shape[0];
    let cur: tf.Tensor = x;
    let first = true;
    for (const op of this.ops) {
      switch (op.kind) {
        case 'scale':
          cur = tf.mul(cur, op.scale);
          if (op.offset !== 0) cur = tf.add(cur, op.offset);
          break;
        case 'flatten':
          cur = tf.reshape(cur, [n, -1]);
          break;
        case 'relu':
          cur = tf.relu(cur);
          break;
        case 'conv': {
          const strides = [...op.strides] as [number, number];
          if (first) {
            // A plain Conv2D: its gradient w.r.t. the input (the observation) is never computed.
            cur = tf.conv2d(cur as tf.Tensor4D, op.kernel, strides, op.padding);
            if (op.bias) cur = tf.add(cur, op.bias);
          } else {
            cur = tf.fused.conv2d({ x: cur as tf.Tensor4D, filter: op.kernel, strides, pad: op.padding, bias: op.bias ?? undefined });
          }
          first = false;
          break;
        }
        case 'dense':
          if (first) {
            cur = tf.matMul(cur as tf.Tensor2D, op.kernel);
            if (op.bias) cur = tf.add(cur, op.bias);
          } else {
            cur = tf.fused.matMul({ a: cur as tf.Tensor2D, b: op.kernel, bias: op.bias ?? undefined });
          }
          first = false;
          break;
      }
    }
    return cur as tf.Tensor2D;
  }

  /** Copies every weight of `from` (same architecture) into this network. */
  copyFrom(from: TrainNet): void {
    tf.tidy(() => this.variables.forEach((v, i) => v.assign(from.variables[i]!)));
  }
}
