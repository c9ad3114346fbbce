/**
 * Runs Python snippets in the oracle virtual environment (PyTorch, ale-py, ...)
 * for differential tests, with the interpreter sap-rl uses (src/env/python.ts).
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PACKAGE_ROOT } from '../../src/version.js';
import { pythonExecutable } from '../../src/env/python.js';

/** The oracle interpreter: the one sap-rl itself uses ($SAP_RL_PYTHON, .venv, python3). */
export function findPython(): string {
  return pythonExecutable();
}

const moduleCheck = new Map<string, string | undefined>();

/** Why `module` cannot be imported by the oracle interpreter, or undefined when it can. */
export function pythonModuleMissing(module: string): string | undefined {
  if (moduleCheck.has(module)) return moduleCheck.get(module);
  const python = findPython();
  let reason: string | undefined;
  const r = spawnSync(python, ['-c', `import ${module}`], { encoding: 'utf8', timeout: 120_000 });
  if (r.status !== 0) {
    const why = r.error?.message ?? (r.stderr.trim().split('\n').pop() || `exit code ${r.status}`);
    reason = `${python} cannot import ${module}: ${why} (run \`npm run oracle:setup\` to create ${join(PACKAGE_ROOT, '.venv')})`;
  }
  moduleCheck.set(module, reason);
  return reason;
}

/**
 * Skip the current suite/test (with a printed reason) unless the oracle Python
 * can import every module. Call from `before` / `it` with a function (not arrow) `this`.
 */
export function requirePython(ctx: Mocha.Context, ...modules: string[]): void {
  for (const m of modules) {
    const reason = pythonModuleMissing(m);
    if (reason) {
      console.log(`      skipped: ${reason}`);
      ctx.skip();
    }
  }
}

/**
 * Run a Python snippet with `cwd` as working directory; extra `args` land in sys.argv[1:].
 * Returns stdout. Throws with the snippet's stderr on failure.
 */
export function runPython(code: string, opts: { cwd?: string; args?: readonly string[]; timeoutMs?: number } = {}): string {
  const python = findPython();
  try {
    return execFileSync(python, ['-c', code, ...(opts.args ?? [])], {
      cwd: opts.cwd,
      encoding: 'utf8',
      timeout: opts.timeoutMs ?? 300_000,
      maxBuffer: 64 * 1024 * 1024,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
  } catch (e) {
    const err = e as { stderr?: string; message: string };
    throw new Error(`Python snippet failed: ${err.stderr?.trim() || err.message}`);
  }
}

/** A fresh temporary directory; remove it with `removeTempDir`. */
export function makeTempDir(prefix = 'sap-rl-test-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

export function removeTempDir(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
}
