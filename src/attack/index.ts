/**
 * Observation attacks: one entry point, `perturb`, for the experiment loop and
 * the CLI, and the parsers for the flags that configure it.
 *
 * Observations are NHWC batches of stacked frames with pixel values 0..255
 * (Uint8Array, or Float32Array holding integers); lambda is in pixel units.
 * The result is uint8 (see toPixels): what the env would hand the agent.
 */
import type { QNetwork } from '../agent/q-network.js';
import { UserError } from '../cli/errors.js';
import type { Defense } from '../defense/defense.js';
import type { Rng } from '../util/rng.js';
import { fgsmPixels } from './fgsm.js';
import { DEFAULT_EOT } from './gradient.js';
import { randomSignNoise } from './noise.js';
import { DEFAULT_PGD_STEPS, defaultPgdAlpha, pgd } from './pgd.js';
import { asFloat, toPixels, type PerturbTarget } from './pixels.js';

export { fgsm, fgsmPixels, type FgsmOptions } from './fgsm.js';
export { pgd, defaultPgdAlpha, DEFAULT_PGD_STEPS, type PgdOptions } from './pgd.js';
export { randomSignNoise } from './noise.js';
export { lossGradient, crossEntropyGrad, DEFAULT_EOT, type LossGradient, type GradientOptions } from './gradient.js';
export { inputGradient } from './input-gradient.js';
export { toPixels, type PerturbTarget } from './pixels.js';

export const ATTACKS = ['none', 'fgsm', 'pgd', 'noise'] as const;
export type AttackName = (typeof ATTACKS)[number];

export interface AttackConfig {
  readonly name: AttackName;
  /** L-inf budget in pixels (8 = 8/255 of the range). */
  readonly lambda: number;
  /** Samples per gradient for stochastic defenses. */
  readonly eot: number;
  readonly pgdSteps: number;
  /** PGD step in pixels. */
  readonly pgdAlpha: number;
}

export function parseAttackName(value: string, flag = '--attack'): AttackName {
  const v = value.trim().toLowerCase();
  if ((ATTACKS as readonly string[]).includes(v)) return v as AttackName;
  throw new UserError(`${flag}: unknown attack '${value}'; use ${ATTACKS.join(', ')}.`);
}

/** Number flags: each bad value is a UserError naming the flag. */
function num(value: string | number, flag: string, check: (v: number) => boolean, what: string): number {
  const v = typeof value === 'number' ? value : value.trim() === '' ? NaN : Number(value);
  if (!Number.isFinite(v) || !check(v)) throw new UserError(`${flag} must be ${what}, not '${value}'.`);
  return v;
}

export interface AttackFlags {
  readonly attack: string;
  readonly lambda: string | number;
  readonly eot?: string | number;
  readonly pgdSteps?: string | number;
  readonly pgdAlpha?: string | number;
}

/** Validate the attack flags (--attack, --lambda, --eot, --pgd-steps, --pgd-alpha) into a config. */
export function parseAttackConfig(flags: AttackFlags): AttackConfig {
  const name = parseAttackName(flags.attack);
  const lambda = num(flags.lambda, '--lambda', (v) => v >= 0 && v <= 255, 'a number of pixels in 0..255');
  const eot = num(flags.eot ?? DEFAULT_EOT, '--eot', (v) => Number.isInteger(v) && v >= 1 && v <= 1000, 'an integer in 1..1000');
  const pgdSteps = num(flags.pgdSteps ?? DEFAULT_PGD_STEPS, '--pgd-steps', (v) => Number.isInteger(v) && v >= 1 && v <= 10000, 'an integer in 1..10000');
  const pgdAlpha =
    flags.pgdAlpha === undefined ? defaultPgdAlpha(lambda, pgdSteps) : num(flags.pgdAlpha, '--pgd-alpha', (v) => v > 0 && v <= 255, 'a step in pixels, > 0');
  return { name, lambda, eot, pgdSteps, pgdAlpha };
}

/**
 * Attack `rows` observations (NHWC, rows x H x W x C) of the defended network.
 * `target` 'newest' changes only the last channel (the newest frame of the
 * stack; the three older frames stay as given), 'stack' changes all of them.
 * Returns the attacked observations as uint8.
 */
export function perturb(
  net: QNetwork,
  defense: Defense,
  obs: Uint8Array | Float32Array,
  rows: number,
  attack: AttackConfig,
  rng: Rng,
  target: PerturbTarget = 'stack',
): Uint8Array {
  if (obs.length !== rows * net.inputSize) {
    throw new RangeError(`perturb: expected ${rows} x ${net.inputShape.join(' x ')} values, got ${obs.length}`);
  }
  const { lambda, eot } = attack;
  if (attack.name === 'fgsm' && lambda > 0) return fgsmPixels(net, defense, obs, rows, lambda, rng, { eot, target });
  let adv: Float32Array;
  if (attack.name === 'none' || lambda === 0) adv = asFloat(obs);
  else if (attack.name === 'pgd') adv = pgd(net, defense, obs, rows, lambda, rng, { eot, target, steps: attack.pgdSteps, alpha: attack.pgdAlpha });
  else adv = randomSignNoise(obs, net.inputShape[2], lambda, rng, target);
  return toPixels(obs, adv, lambda);
}

/** `--perturb stack`: the whole stacked observation is attacked. */
export function perturbStack(net: QNetwork, defense: Defense, obs: Uint8Array | Float32Array, rows: number, attack: AttackConfig, rng: Rng): Uint8Array {
  return perturb(net, defense, obs, rows, attack, rng, 'stack');
}

/**
 * `--perturb frame`: only the newest frame (last channel) is attacked, the older
 * frames (already perturbed when they were new) stay fixed. The loop keeps the
 * returned newest frame in its stack.
 */
export function perturbNewestFrame(net: QNetwork, defense: Defense, obs: Uint8Array | Float32Array, rows: number, attack: AttackConfig, rng: Rng): Uint8Array {
  return perturb(net, defense, obs, rows, attack, rng, 'newest');
}
