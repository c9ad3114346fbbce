/**
 * Acting with a defended network: Q-values averaged over stochastic forward
 * passes, and the greedy action.
 */
import type { ForwardOptions, ForwardPass, QNetwork } from '../agent/q-network.js';
import type { Defense } from './defense.js';
import type { Rng } from '../util/rng.js';

/**
 * One batched forward pass of the defended network: `samples` stochastic copies
 * of each of the `rows` examples (1 for a deterministic defense). With `record`,
 * the pass keeps what an input gradient needs.
 */
export function defendedForward(
  net: QNetwork,
  defense: Defense,
  x: Float32Array | Uint8Array,
  rows: number,
  rng: Rng,
  opts: { samples?: number; record?: boolean } = {},
): ForwardPass {
  const copies = defense.stochastic ? Math.max(1, opts.samples ?? 1) : 1;
  const fo: ForwardOptions = {
    copies,
    record: opts.record ?? false,
    ...(defense.stochastic
      ? { transform: (h, n, size, _relu, mul, repeat) => defense.apply(h, n, size, rng, mul, repeat), transformWritesMul: defense.writesMul ?? false }
      : {}),
  };
  return net.forward(x, rows, fo);
}

/** Per example, the mean over its `copies` rows of `q` (rows x nActions). */
export function meanQ(q: Float32Array, rows: number, copies: number, nActions: number): Float32Array {
  if (copies === 1) return q;
  const out = new Float32Array(rows * nActions);
  for (let r = 0; r < rows; r++)
    for (let a = 0; a < nActions; a++) {
      let s = 0;
      for (let c = 0; c < copies; c++) s += q[(r * copies + c) * nActions + a]!;
      out[r * nActions + a] = s / copies;
    }
  return out;
}

/** Index of the largest value of each row (the first one on ties, as torch.argmax). */
export function argmaxRows(q: Float32Array, rows: number, nActions: number): Int32Array {
  const out = new Int32Array(rows);
  for (let r = 0; r < rows; r++) {
    let best = 0;
    for (let a = 1; a < nActions; a++) if (q[r * nActions + a]! > q[r * nActions + best]!) best = a;
    out[r] = best;
  }
  return out;
}

/** Q-values (rows x nActions) of the defended network, averaged over `samples` stochastic passes. */
export function defendedQ(net: QNetwork, defense: Defense, x: Float32Array | Uint8Array, rows: number, rng: Rng, samples = 1): Float32Array {
  const pass = defendedForward(net, defense, x, rows, rng, { samples });
  return meanQ(pass.q, rows, pass.copies, net.nActions);
}

/**
 * The greedy action (an index into the agent's action set) per example: argmax of
 * the defended Q-values. With samples = 1 this is what the deployed agent does:
 * one stochastic pass per decision.
 */
export function greedyActions(net: QNetwork, defense: Defense, x: Float32Array | Uint8Array, rows: number, rng: Rng, samples = 1): Int32Array {
  return argmaxRows(defendedQ(net, defense, x, rows, rng, samples), rows, net.nActions);
}
