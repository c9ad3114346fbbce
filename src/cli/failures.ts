// Printing failed episode jobs grouped by their error, with a few keys of each.
import type { JobFailure } from '../experiment/failures-file.js';

export function printFailures(failures: readonly JobFailure[], write: (line: string) => void = (l) => console.error(l)): void {
  const byError = new Map<string, string[]>();
  for (const f of failures) byError.set(f.error.message, [...(byError.get(f.error.message) ?? []), f.key]);
  write(`${failures.length} episode job${failures.length > 1 ? 's' : ''} failed:`);
  for (const [message, keys] of byError) {
    write(`  ${keys.length} x ${message}`);
    for (const key of keys.slice(0, 3)) write(`      ${key}`);
    if (keys.length > 3) write(`      ... and ${keys.length - 3} more`);
  }
}
