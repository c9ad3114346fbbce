// Removes the previous build so that deleted sources (and their tests) leave no stale output.
import { rmSync } from 'node:fs';
rmSync(new URL('../dist', import.meta.url), { recursive: true, force: true });
