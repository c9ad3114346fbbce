/**
 * Adam with PyTorch's update rule (torch.optim.Adam, no weight decay, no amsgrad):
 *
 *   m = b1 m + (1 - b1) g          v = b2 v + (1 - b2) g^2
 *   p = p - lr / (1 - b1^t) * m / (sqrt(v) / sqrt(1 - b2^t) + eps)
 *
 * Our own rather than tf.train.adam because a checkpoint must resume bit for bit: tfjs's
 * optimizer keeps b1^t as a running product but rebuilds it with pow() when its weights are
 * restored, which differs in the last bits. Here the bias corrections come from the step
 * count alone (computed in double precision), so the state is just (t, m, v).
 */
import * as tf from '@tensorflow/tfjs';

export interface AdamOptions {
  lr: number;
  beta1?: number;
  beta2?: number;
  eps?: number;
}

export class Adam {
  /** Updates applied so far. */
  step = 0;
  readonly m: tf.Variable[];
  readonly v: tf.Variable[];
  readonly lr: number;
  readonly beta1: number;
  readonly beta2: number;
  readonly eps: number;

  constructor(readonly params: readonly tf.Variable[], opts: AdamOptions) {
    this.lr = opts.lr;
    this.beta1 = opts.beta1 ?? 0.9;
    this.beta2 = opts.beta2 ?? 0.999;
    this.eps = opts.eps ?? 1e-8;
    this.m = params.map((p) => tf.variable(tf.zerosLike(p), false));
    this.v = params.map((p) => tf.variable(tf.zerosLike(p), false));
  }

  /** One update with `grads[i]` the gradient of `params[i]`. */
  apply(grads: readonly tf.Tensor[]): void {
    this.step++;
    const t = this.step;
    const bc1 = 1 - this.beta1 ** t;
    const sqrtBc2 = Math.sqrt(1 - this.beta2 ** t);
    const stepSize = this.lr / bc1;
    tf.tidy(() => {
      this.params.forEach((p, i) => {
        const g = grads[i]!;
        const m = tf.add(tf.mul(this.m[i]!, this.beta1), tf.mul(g, 1 - this.beta1));
        const v = tf.add(tf.mul(this.v[i]!, this.beta2), tf.mul(tf.square(g), 1 - this.beta2));
        const denom = tf.add(tf.div(tf.sqrt(v), sqrtBc2), this.eps);
        p.assign(tf.sub(p, tf.mul(tf.div(m, denom), stepSize)));
        this.m[i]!.assign(m);
        this.v[i]!.assign(v);
      });
    });
  }

  /** The state, as plain arrays (for checkpoints). */
  state(): { step: number; m: Float32Array[]; v: Float32Array[] } {
    return { step: this.step, m: this.m.map((x) => x.dataSync() as Float32Array), v: this.v.map((x) => x.dataSync() as Float32Array) };
  }

  restore(s: { step: number; m: readonly Float32Array[]; v: readonly Float32Array[] }): void {
    if (s.m.length !== this.m.length || s.v.length !== this.v.length) throw new Error('optimizer state does not match the network');
    this.step = s.step;
    tf.tidy(() => {
      this.m.forEach((x, i) => x.assign(tf.tensor(s.m[i]!, x.shape)));
      this.v.forEach((x, i) => x.assign(tf.tensor(s.v[i]!, x.shape)));
    });
  }

  dispose(): void {
    for (const x of [...this.m, ...this.v]) x.dispose();
  }
}
