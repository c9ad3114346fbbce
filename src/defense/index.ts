/**
 * The defenses, parsed from the specs users write: `dense`, `sap:TAU` (`sap` =
 * `sap:1.0`, SAP-100), `dropout:P`, `rna:SIGMA`.
 */
import { UserError } from '../cli/errors.js';
import type { Defense } from './defense.js';
import { dense } from './dense.js';
import { Dropout } from './dropout.js';
import { RandomNoisyActivations } from './rna.js';
import { Sap } from './sap.js';

export type { Defense } from './defense.js';
export { dense } from './dense.js';
export { Sap, sapScale, sapDraws } from './sap.js';
export { Dropout } from './dropout.js';
export { RandomNoisyActivations } from './rna.js';
export { Xoshiro128, type Rng } from '../util/rng.js';
export { defendedForward, defendedQ, greedyActions, argmaxRows, meanQ } from './policy.js';

const USAGE = 'use dense, sap:TAU (e.g. sap:1.0), dropout:P (0 <= P < 1) or rna:SIGMA (>= 0)';

/** Parse one defense spec; `flag` (e.g. "--defense") is named in errors. */
export function parseDefense(spec: string, flag = '--defense'): Defense {
  const s = spec.trim().toLowerCase();
  const [name, arg, extra] = s.split(':');
  const bad = (why: string): UserError => new UserError(`${flag}: ${why} in '${spec}'; ${USAGE}.`);
  if (extra !== undefined) throw bad('too many ":"');
  const value = (): number => {
    if (arg === undefined || arg.trim() === '') throw bad(`${name} needs a parameter`);
    const v = Number(arg);
    if (!Number.isFinite(v)) throw bad(`'${arg}' is not a number`);
    return v;
  };
  switch (name) {
    case 'dense':
    case 'none':
      if (arg !== undefined) throw bad('dense takes no parameter');
      return dense;
    case 'sap': {
      const tau = arg === undefined ? 1 : value();
      if (tau <= 0) throw bad('the SAP draw ratio TAU must be > 0');
      return new Sap(tau);
    }
    case 'dropout': {
      const p = value();
      if (p < 0 || p >= 1) throw bad('the dropout probability must be in [0, 1)');
      return new Dropout(p);
    }
    case 'rna': {
      const sigma = value();
      if (sigma < 0) throw bad('the noise scale SIGMA must be >= 0');
      return new RandomNoisyActivations(sigma);
    }
    default:
      throw new UserError(`${flag}: unknown defense '${spec}'; ${USAGE}.`);
  }
}

/** A comma-separated list of defense specs, e.g. "dense,sap:1.0". */
export function parseDefenses(list: string, flag = '--defense'): Defense[] {
  const parts = list.split(',').filter((p) => p.trim() !== '');
  if (parts.length === 0) throw new UserError(`${flag}: no defense given; ${USAGE}.`);
  return parts.map((p) => parseDefense(p, flag));
}
