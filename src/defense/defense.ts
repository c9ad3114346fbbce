/**
 * A defense is a transform applied after every ReLU of a Q-network (see
 * src/agent/q-network.ts for how the network runs it). Each defense lives in its
 * own file and is parsed from a spec such as `sap:1.0` (see index.ts).
 */
import type { Rng } from '../util/rng.js';

export interface Defense {
  /** Canonical spec, e.g. "dense", "sap:1", "dropout:0.1" (what results record). */
  readonly spec: string;
  readonly name: 'dense' | 'sap' | 'dropout' | 'rna';
  /** tau for SAP, p for dropout, sigma for RNA; undefined for dense. */
  readonly param: number | undefined;
  /** Whether two forward passes can differ (then attacks average gradients over EOT samples). */
  readonly stochastic: boolean;
  /**
   * apply() overwrites every value of `mul` (it is 0 wherever h = 0 anyway), so the
   * network need not fill in the ReLU mask first.
   */
  readonly writesMul?: boolean;
  /**
   * Transform one ReLU layer's output in place: `rows` x `size` values h >= 0 (units
   * of conv feature maps flattened). When `mul` is given, multiply into it the
   * derivative of the transform w.r.t. h, which the backward pass treats as a
   * constant (masks, scales and noise are held fixed). Rows come in runs of
   * `repeat` identical rows (EOT copies of one example), which a defense may use
   * to share work. Every random draw comes from `rng`.
   */
  apply(h: Float32Array, rows: number, size: number, rng: Rng, mul: Float32Array | null, repeat: number): void;
}
