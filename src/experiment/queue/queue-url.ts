// The --queue flag: a Redis URL, checked before anything connects (this file loads no
// Redis client, so commands can check their flags without loading BullMQ).
import { UserError } from '../../cli/errors.js';

/** Defaults of the queue's settings (flags of batch --queue and worker). */
export const QUEUE_DEFAULTS = {
  /** Tries per job. */
  attempts: 3,
  /** Seconds before the first retry; doubled for each further one. */
  retryDelayS: 30,
  /** Seconds a job's lock lasts without renewal (and how often workers look for stalled jobs). */
  stallTimeoutS: 30,
} as const;

/** The URL checked: redis:// or rediss:// with a host; a UserError naming the flag otherwise. */
export function parseQueueUrl(value: string, flag = '--queue'): string {
  let url: URL | undefined;
  try {
    url = new URL(value);
  } catch {
    url = undefined;
  }
  const db = url?.pathname.replace(/^\//, '') ?? '';
  if (!url || !['redis:', 'rediss:'].includes(url.protocol) || url.hostname === '' || !/^\d*$/.test(db)) {
    throw new UserError(`${flag} must be a Redis URL such as redis://HOST:6379 (or redis://HOST:6379/DB for database DB), not '${value}'`);
  }
  return value;
}

/** The Redis database number of a URL (redis://HOST:PORT/DB; 0 without one). */
export function dbOf(url: string): number {
  return Number(new URL(url).pathname.replace(/^\//, '') || 0);
}

/** The URL without a password, for messages. */
export function shownUrl(url: string): string {
  const u = new URL(url);
  if (u.password) u.password = '***';
  return u.toString().replace(/\/$/, '');
}

