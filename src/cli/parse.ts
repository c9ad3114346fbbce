// Flag parsers: each bad value is a UserError naming the flag and what it accepts.
import { UserError } from './errors.js';

export function parseIntFlag(value: string, flag: string, min = -Infinity, max = Infinity): number {
  const n = Number(value);
  if (!/^-?\d+$/.test(value.trim()) || !Number.isSafeInteger(n) || n < min || n > max) {
    const range = max === Infinity ? `>= ${min}` : `in ${min}..${max}`;
    throw new UserError(`${flag} must be an integer ${range}, not '${value}'`);
  }
  return n;
}

export function parseProbability(value: string, flag: string): number {
  const p = Number(value);
  if (value.trim() === '' || !Number.isFinite(p) || p < 0 || p > 1) {
    throw new UserError(`${flag} must be a probability between 0 and 1, not '${value}'`);
  }
  return p;
}

/** A comma-separated list of ALE action ids (0..17). */
export function parseActions(value: string, flag: string): number[] {
  return value.split(',').map((part) => parseIntFlag(part.trim(), flag, 0, 17));
}

/** A duration in seconds (> 0, fractions allowed), returned in milliseconds. */
export function parseSecondsFlag(value: string, flag: string): number {
  const s = Number(value);
  if (value.trim() === '' || !Number.isFinite(s) || s <= 0) throw new UserError(`${flag} must be a number of seconds > 0, not '${value}'`);
  return Math.round(s * 1000);
}
