/**
 * One Double DQN update (van Hasselt et al. 2016) on a minibatch:
 *
 *   a*  = argmax_a Q_online(s', a)            (the online network picks the action)
 *   y   = r + gamma (1 - done) Q_target(s', a*)   (the target network values it)
 *   L   = mean Huber(Q_online(s, a) - y)       (smooth L1, delta 1, as Stable-Baselines3)
 *
 * then one Adam step on the online network. With `double: false` the target is
 * r + gamma (1 - done) max_a Q_target(s', a) (Nature DQN, CleanRL's dqn_atari).
 */
import * as tf from '@tensorflow/tfjs';
import type { Adam } from './adam.js';
import type { TrainNet } from './train-net.js';

export interface Minibatch {
  /** n stacked observations (NHWC uint8) and the ones after them. */
  readonly obs: Uint8Array;
  readonly next: Uint8Array;
  /** Action index taken (into the agent's action set). */
  readonly actions: Int32Array;
  readonly rewards: Float32Array;
  /** 1 where s' ended the episode for bootstrapping (terminated, or a life lost), else 0. */
  readonly dones: Float32Array;
  readonly n: number;
}

export interface UpdateOptions {
  readonly gamma: number;
  readonly double: boolean;
  /** Rescale the whole gradient to this L2 norm when it is larger (null: no clipping). */
  readonly maxGradNorm: number | null;
}

export interface UpdateResult {
  loss: number;
  /** Mean Q_online(s, a) over the batch (a sanity signal for the training curve). */
  meanQ: number;
}

function toTensor(net: TrainNet, x: Uint8Array, n: number): tf.Tensor4D {
  const f = new Float32Array(x.length);
  for (let i = 0; i < x.length; i++) f[i] = x[i]!;
  return tf.tensor4d(f, [n, ...net.inputShape]);
}

/** The bootstrapped targets y (no gradient). */
export function dqnTargets(online: TrainNet, target: TrainNet, b: Minibatch, opts: Pick<UpdateOptions, 'gamma' | 'double'>): tf.Tensor1D {
  return tf.tidy(() => {
    const next = toTensor(online, b.next, b.n);
    const qTarget = target.apply(next);
    let value: tf.Tensor1D;
    if (opts.double) {
      const pick = tf.argMax(online.apply(next), 1);
      value = tf.sum(tf.mul(qTarget, tf.oneHot(pick, online.nActions)), 1);
    } else {
      value = tf.max(qTarget, 1);
    }
    const notDone = tf.sub(1, tf.tensor1d(b.dones));
    return tf.add(tf.tensor1d(b.rewards), tf.mul(tf.mul(value, notDone), opts.gamma));
  });
}

export interface LossAndGrads extends UpdateResult {
  /** d loss / d variable, in the order of `online.variables` (the caller disposes them). */
  grads: tf.Tensor[];
}

/** The Huber TD loss of the online network on the batch and its gradients (no update). */
export function dqnLossAndGrads(online: TrainNet, target: TrainNet, b: Minibatch, opts: Pick<UpdateOptions, 'gamma' | 'double'>): LossAndGrads {
  const y = dqnTargets(online, target, b, opts);
  try {
    let meanQ = 0;
    const obs = toTensor(online, b.obs, b.n);
    const mask = tf.oneHot(tf.tensor1d(b.actions, 'int32'), online.nActions);
    try {
      const { value, grads } = tf.variableGrads(() => {
        const qa = tf.sum(tf.mul(online.apply(obs), mask), 1);
        meanQ = tf.mean(qa).dataSync()[0]!;
        const err = tf.abs(tf.sub(qa, y));
        const quad = tf.minimum(err, 1);
        // Smooth L1 (delta 1): 0.5 e^2 for |e| < 1, else |e| - 0.5.
        return tf.mean(tf.add(tf.mul(tf.square(quad), 0.5), tf.sub(err, quad))) as tf.Scalar;
      }, online.variables);
      const loss = value.dataSync()[0]!;
      value.dispose();
      return { loss, meanQ, grads: online.variables.map((v) => grads[v.name]!) };
    } finally {
      obs.dispose();
      mask.dispose();
    }
  } finally {
    y.dispose();
  }
}

export function dqnUpdate(online: TrainNet, target: TrainNet, adam: Adam, b: Minibatch, opts: UpdateOptions): UpdateResult {
  const { loss, meanQ, grads } = dqnLossAndGrads(online, target, b, opts);
  tf.tidy(() => adam.apply(opts.maxGradNorm !== null ? clipByGlobalNorm(grads, opts.maxGradNorm) : grads));
  for (const g of grads) g.dispose();
  return { loss, meanQ };
}

function clipByGlobalNorm(grads: tf.Tensor[], maxNorm: number): tf.Tensor[] {
  const norm = Math.sqrt(grads.reduce((s, g) => s + tf.sum(tf.square(g)).dataSync()[0]!, 0));
  if (norm <= maxNorm) return grads;
  const k = maxNorm / (norm + 1e-6); // PyTorch's clip_grad_norm_
  return grads.map((g) => tf.mul(g, k));
}
