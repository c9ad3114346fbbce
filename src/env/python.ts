// Finding the Python that has ale-py: $SAP_RL_PYTHON, then the project's oracle venv
// (`npm run oracle:setup` makes <root>/.venv), then python3 on the PATH.
import { existsSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { PACKAGE_ROOT } from '../version.js';

export function pythonCandidates(): string[] {
  const out: string[] = [];
  if (process.env['SAP_RL_PYTHON']) out.push(process.env['SAP_RL_PYTHON']);
  const venv = join(PACKAGE_ROOT, '.venv', 'bin', 'python');
  if (existsSync(venv)) out.push(venv);
  out.push('python3');
  return out;
}

/** The interpreter sap-rl uses for the ale-py backend. */
export function pythonExecutable(): string {
  return pythonCandidates()[0]!;
}

export interface AlePyProbe {
  python: string;
  /** ale-py's version, or undefined when that Python cannot import it. */
  version?: string;
  /** ale-py's bundled ROM folder. */
  romDir?: string;
  error?: string;
}

let probed: AlePyProbe | undefined;

/**
 * Hands this thread the answer another thread of the same process already has (a worker
 * thread has module state of its own, and asking Python again costs it ~0.5 s of startup).
 */
export function adoptAlePyProbe(probe: AlePyProbe): void {
  probed ??= probe;
}

/** Asks the interpreter (once per thread) whether it has ale-py, and where its ROMs are. */
export function probeAlePy(): AlePyProbe {
  if (probed) return probed;
  const python = pythonExecutable();
  const script =
    'import os, ale_py, json; print(json.dumps({"version": ale_py.__version__, ' +
    '"romDir": os.path.join(os.path.dirname(ale_py.__file__), "roms")}))';
  const res = spawnSync(python, ['-c', script], { encoding: 'utf8', timeout: 60_000 });
  if (res.error) {
    probed = { python, error: `cannot run ${python} (${res.error.message})` };
  } else if (res.status !== 0) {
    const lastLine = res.stderr.trim().split('\n').pop() ?? '';
    probed = { python, error: `${python} cannot import ale_py (${lastLine})` };
  } else {
    const lastLine = res.stdout.trim().split('\n').pop() ?? '{}';
    probed = { python, ...(JSON.parse(lastLine) as { version: string; romDir: string }) };
  }
  return probed;
}
