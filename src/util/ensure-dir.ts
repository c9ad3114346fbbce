import { existsSync, mkdirSync, statSync } from 'node:fs';
import { dirname } from 'node:path';

/**
 * `mkdir -p` that always ends: Node 20's recursive mkdirSync spins forever under some
 * parents (/proc, for one), so the missing folders are made one at a time, top down.
 * Throws the system error (ENOTDIR, EACCES, ENOENT...) of the first one that fails.
 */
export function ensureDir(dir: string): void {
  const missing: string[] = [];
  let up = dir;
  while (!existsSync(up)) {
    missing.push(up);
    if (dirname(up) === up) break;
    up = dirname(up);
  }
  if (existsSync(up) && !statSync(up).isDirectory()) {
    throw Object.assign(new Error(`${up} is not a folder`), { code: 'ENOTDIR' });
  }
  for (const d of missing.reverse()) mkdirSync(d);
}
