/**
 * The gradient estimator every gradient attack uses.
 *
 * Loss: L(x) = cross-entropy between softmax(Q(x)) and the agent's greedy action a
 * (untargeted: raising L pushes the agent off the action it would take).
 *
 * The adversary attacks the defended network as deployed: Q is the defended
 * network, and a is the argmax of the defended Q-values averaged over the same
 * samples. For a stochastic defense the gradient is the expectation over `eot`
 * samples (Athalye et al. 2018, EOT): mean over copies of the per-sample gradient,
 * computed as one batched forward/backward pass; `eot: 1` is the single-sample
 * attack of Dhillon et al. A deterministic defense runs once whatever `eot` says.
 */
import type { QNetwork } from '../agent/q-network.js';
import type { Defense } from '../defense/defense.js';
import { argmaxRows, defendedForward, meanQ } from '../defense/policy.js';
import type { Rng } from '../util/rng.js';
import { inputGradient } from './input-gradient.js';

export interface LossGradient {
  /** d L / d x, rows x (H*W*C) NHWC, in the units of x (pixels 0..255). */
  readonly grad: Float32Array;
  /** The actions (indices into the action set) whose cross-entropy was raised. */
  readonly labels: Int32Array;
  /** The defended Q-values at x (rows x nActions), averaged over the samples. */
  readonly q: Float32Array;
}

export interface GradientOptions {
  /** Samples of a stochastic defense per gradient (default 10). */
  readonly eot?: number;
  /** Attack these actions instead of the greedy ones at x (PGD keeps the clean-x labels). */
  readonly labels?: Int32Array;
}

export const DEFAULT_EOT = 10;

export function lossGradient(net: QNetwork, defense: Defense, x: Float32Array | Uint8Array, rows: number, rng: Rng, opts: GradientOptions = {}): LossGradient {
  const pass = defendedForward(net, defense, x, rows, rng, { samples: opts.eot ?? DEFAULT_EOT, record: true });
  const q = meanQ(pass.q, rows, pass.copies, net.nActions);
  const labels = opts.labels ?? argmaxRows(q, rows, net.nActions);
  const gq = crossEntropyGrad(pass.q, labels, rows, pass.copies, net.nActions);
  return { grad: inputGradient(net, pass, gq), labels, q };
}

/**
 * d/dq of, per example, the mean over its `copies` rows of CE(softmax(q_row), label):
 * (softmax(q_row) - onehot(label)) / copies.
 */
export function crossEntropyGrad(q: Float32Array, labels: Int32Array, rows: number, copies: number, nActions: number): Float32Array {
  const out = new Float32Array(q.length);
  for (let r = 0; r < rows * copies; r++) {
    const off = r * nActions;
    let max = -Infinity;
    for (let a = 0; a < nActions; a++) max = Math.max(max, q[off + a]!);
    let sum = 0;
    for (let a = 0; a < nActions; a++) sum += Math.exp(q[off + a]! - max);
    const label = labels[Math.floor(r / copies)]!;
    for (let a = 0; a < nActions; a++) out[off + a] = (Math.exp(q[off + a]! - max) / sum - (a === label ? 1 : 0)) / copies;
  }
  return out;
}
