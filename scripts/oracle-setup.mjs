// npm run oracle:setup — creates .venv with the reference implementations the tests compare
// against (ale-py with its ROMs, Gymnasium, PyTorch CPU, OpenCV). Safe to run again: an
// existing .venv that already imports everything is left alone.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const venv = join(root, '.venv');
const python = join(venv, 'bin', 'python');
const packages = ['ale-py', 'gymnasium', 'torch', 'opencv-python-headless'];
const check = 'import ale_py, gymnasium, torch, cv2';

function run(cmd, args) {
  console.log(`$ ${cmd} ${args.join(' ')}`);
  const res = spawnSync(cmd, args, { stdio: 'inherit' });
  if (res.error) throw new Error(`cannot run ${cmd}: ${res.error.message}`);
  return res.status ?? 1;
}

if (existsSync(python) && spawnSync(python, ['-c', check]).status === 0) {
  console.log(`oracle venv ready: ${venv}`);
  process.exit(0);
}
const base = process.env.SAP_RL_BASE_PYTHON ?? 'python3';
if (!existsSync(python) && run(base, ['-m', 'venv', venv]) !== 0) {
  console.error(`oracle:setup: \`${base} -m venv ${venv}\` failed; install Python 3.9+ with venv support (Debian: apt-get install python3-venv)`);
  process.exit(1);
}
// --retries 0 --timeout 2: fail fast on package indexes that are out of reach (see design.md).
if (run(python, ['-m', 'pip', 'install', '--retries', '0', '--timeout', '2', ...packages]) !== 0 ||
    run(python, ['-c', check]) !== 0) {
  console.error(`oracle:setup: installing ${packages.join(' ')} into ${venv} failed; see pip's messages above`);
  process.exit(1);
}
console.log(`oracle venv ready: ${venv}`);
