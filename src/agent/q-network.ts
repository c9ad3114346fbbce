/**
 * A Q-network as a flat chain of operations with its weights as tensors, run
 * layer by layer so that:
 *
 * - a defense can transform every ReLU output on its way (in JS, over typed arrays);
 * - an attack can run its own backward pass for the gradient w.r.t. the INPUT only
 *   (src/attack/input-gradient.ts); for that the forward records, per ReLU, what
 *   the backward pass multiplies by (see ReluRecord);
 * - EOT batches share the deterministic part: with `copies` = k, everything up to
 *   and including the first ReLU runs once per example and is then replicated
 *   k times (example-major: row = example * k + copy) before the defense acts.
 */
import * as tf from '@tensorflow/tfjs';
import { compileOps, type QOp, type Shape3 } from './q-ops.js';
import { readData } from './tensor-data.js';

export type { QOp, Shape3 } from './q-ops.js';

/**
 * Transforms one ReLU's output in place: `h` holds `rows` x `size` values (>= 0).
 * `mul`, when given, holds the ReLU's own derivative (1 where h > 0, else 0);
 * multiply into it the derivative of the transform (a constant of the backward pass).
 * (With `transformWritesMul` it holds zeros and the transform writes all of it.)
 * Rows come in runs of `repeat` identical rows (the EOT copies of one example).
 */
export type ReluTransform = (h: Float32Array, rows: number, size: number, relu: number, mul: Float32Array | null, repeat: number) => void;

export interface ForwardOptions {
  /** Replicate each example this many times after the first ReLU (EOT samples). Default 1. */
  readonly copies?: number;
  readonly transform?: ReluTransform;
  /** The transform overwrites all of `mul`: skip filling in the ReLU mask (it is passed zeros). */
  readonly transformWritesMul?: boolean;
  /** Keep the per-ReLU backward multipliers (for an input gradient). */
  readonly record?: boolean;
}

/**
 * What the backward pass multiplies the gradient by at one ReLU:
 * - 'mul': d(output seen by the next layer) / d(pre-activation), as the transform left it;
 * - 'relu': without a transform, the ReLU's output h itself (a plain copy, cheaper than
 *   building a mask): the derivative is 1 where h > 0, else 0.
 */
export type ReluRecord = { readonly kind: 'mul' | 'relu'; readonly values: Float32Array };

export interface ForwardPass {
  /** Q-values, (rows * copies) x nActions. */
  readonly q: Float32Array;
  readonly rows: number;
  readonly copies: number;
  /** Per ReLU (forward order); empty unless `record`. */
  readonly relus: readonly ReluRecord[];
}

export class QNetwork {
  readonly inputShape: Shape3;
  readonly nActions: number;
  readonly reluCount: number;
  private readonly derived = new Map<string, tf.Tensor>();

  private constructor(
    readonly ops: readonly QOp[],
    inputShape: Shape3,
    nActions: number,
  ) {
    this.inputShape = inputShape;
    this.nActions = nActions;
    this.reluCount = ops.filter((o) => o.kind === 'relu').length;
  }

  /** Compile a tfjs model (see q-ops.ts). The network uses the model's weight tensors: keep the model alive while it is used. */
  static fromModel(model: tf.LayersModel, source = 'the network'): QNetwork {
    const compiled = compileOps(model, source);
    const { ops, owned } = foldInputScale(compiled.ops);
    const net = new QNetwork(ops, compiled.inputShape, compiled.nActions);
    owned.forEach((t, i) => net.derived.set(`owned/${i}`, t));
    return net;
  }

  /** Values per input example (height * width * channels). */
  get inputSize(): number {
    return this.inputShape[0] * this.inputShape[1] * this.inputShape[2];
  }

  /** A tensor derived from the weights (e.g. a transposed kernel), made once and disposed with the network. */
  derivedTensor<T extends tf.Tensor>(key: string, make: () => T): T {
    let t = this.derived.get(key);
    if (!t) {
      t = tf.tidy(make);
      this.derived.set(key, t);
    }
    return t as T;
  }

  /** Disposes the derived tensors (the weights belong to the model). */
  dispose(): void {
    for (const t of this.derived.values()) t.dispose();
    this.derived.clear();
  }

  /** Run the network on `rows` NHWC examples with pixel values as the model takes them (0..255). */
  forward(x: Float32Array | Uint8Array, rows: number, opts: ForwardOptions = {}): ForwardPass {
    const copies = opts.copies ?? 1;
    if (!Number.isInteger(rows) || rows < 1 || x.length !== rows * this.inputSize) {
      throw new RangeError(`forward: expected ${rows} x ${this.inputShape.join(' x ')} values, got ${x.length}`);
    }
    const inJs = opts.transform !== undefined || opts.record === true || copies > 1;
    const relus: ReluRecord[] = [];
    let n = rows;
    let replicated = copies === 1;
    let reluNo = 0;

    const q = tf.tidy(() => {
      let i = 0;
      let cur: tf.Tensor;
      const first = this.ops[0];
      if (first?.kind === 'scale') {
        // The input is converted to float here anyway: scale on the way (same float32 result as tfjs Rescaling).
        cur = tf.tensor4d(scaled(x, first.scale, first.offset), [n, ...this.inputShape]);
        i = 1;
      } else {
        cur = tf.tensor4d(x instanceof Float32Array ? x : new Float32Array(x), [n, ...this.inputShape]);
      }

      const afterRelu = (h: tf.Tensor): tf.Tensor => {
        if (!inJs) return h;
        if (!opts.transform && replicated) {
          // Only recording: a copy of the ReLU's output; the tensor goes on unchanged.
          if (opts.record) relus.push({ kind: 'relu', values: readData(h) });
          return h;
        }
        let data = readData(h);
        const size = data.length / n;
        let repeat = 1;
        if (!replicated) {
          data = replicate(data, n, size, copies);
          n *= copies;
          replicated = true;
          repeat = copies;
        }
        let mul: Float32Array | null = null;
        if (opts.record) {
          mul = opts.transformWritesMul ? new Float32Array(data.length) : reluMask(data);
          relus.push({ kind: 'mul', values: mul });
        }
        opts.transform?.(data, n, size, reluNo++, mul, repeat);
        return tf.tensor(data, [n, ...h.shape.slice(1)]);
      };

      for (; i < this.ops.length; i++) {
        const op = this.ops[i]!;
        const fuseRelu = this.ops[i + 1]?.kind === 'relu';
        switch (op.kind) {
          case 'scale':
            cur = tf.add(tf.mul(cur, op.scale), op.offset);
            break;
          case 'flatten':
            cur = tf.reshape(cur, [n, -1]);
            break;
          case 'relu':
            cur = afterRelu(tf.relu(cur));
            break;
          case 'conv':
          case 'dense': {
            const activation = fuseRelu ? 'relu' : 'linear';
            const bias = op.bias ?? undefined;
            cur =
              op.kind === 'conv'
                ? tf.fused.conv2d({ x: cur as tf.Tensor4D, filter: op.kernel, strides: [...op.strides] as [number, number], pad: op.padding, bias, activation })
                : tf.fused.matMul({ a: cur as tf.Tensor2D, b: op.kernel, bias, activation });
            if (fuseRelu) {
              cur = afterRelu(cur);
              i++;
            }
            break;
          }
        }
      }
      return cur;
    });
    let out = readData(q);
    q.dispose();
    if (!replicated) out = replicate(out, n, this.nActions, copies);
    return { q: out, rows, copies, relus };
  }
}

/**
 * x * s in front of the first conv/dense layer is folded into its kernel:
 * conv(x, s K) = conv(s x, K) up to float rounding, and the input then needs no
 * pass of its own, forward or backward. Returns the new ops and the tensors they own.
 */
function foldInputScale(ops: QOp[]): { ops: QOp[]; owned: tf.Tensor[] } {
  const [first, second] = ops;
  if (first?.kind !== 'scale' || first.offset !== 0 || (second?.kind !== 'conv' && second?.kind !== 'dense')) return { ops, owned: [] };
  const kernel = tf.tidy(() => tf.mul(second.kernel, first.scale));
  const folded: QOp = second.kind === 'conv' ? { ...second, kernel: kernel as tf.Tensor4D } : { ...second, kernel: kernel as tf.Tensor2D };
  return { ops: [folded, ...ops.slice(2)], owned: [kernel] };
}

/** 1 where h > 0, else 0: the ReLU's derivative. */
function reluMask(h: Float32Array): Float32Array {
  const mul = new Float32Array(h.length);
  // Branch-free (which units are active is data-dependent): h >= 0, and even the smallest
  // positive float32 times 1e76 exceeds 1.
  for (let j = 0; j < h.length; j++) mul[j] = Math.min(1, h[j]! * 1e76);
  return mul;
}

/** x * scale + offset as float32 (uint8 and float inputs get their own loop, each monomorphic for V8). */
function scaled(x: Float32Array | Uint8Array, scale: number, offset: number): Float32Array {
  return x instanceof Uint8Array ? scaledU8(x, scale, offset) : scaledF32(x, scale, offset);
}

function scaledU8(x: Uint8Array, scale: number, offset: number): Float32Array {
  const out = new Float32Array(x.length);
  for (let j = 0; j < x.length; j++) out[j] = x[j]! * scale + offset;
  return out;
}

function scaledF32(x: Float32Array, scale: number, offset: number): Float32Array {
  const out = new Float32Array(x.length);
  for (let j = 0; j < x.length; j++) out[j] = x[j]! * scale + offset;
  return out;
}

/** Each of `rows` rows of `size` values repeated `k` times (row-major: row r, copy c at r * k + c). */
function replicate(data: Float32Array, rows: number, size: number, k: number): Float32Array {
  const out = new Float32Array(rows * size * k);
  for (let r = 0; r < rows; r++) {
    const src = data.subarray(r * size, (r + 1) * size);
    for (let c = 0; c < k; c++) out.set(src, (r * k + c) * size);
  }
  return out;
}
