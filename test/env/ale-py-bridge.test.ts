import { expect } from 'chai';
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { UserError } from '../../src/cli/errors.js';
import { AtariEnv } from '../../src/env/atari-env.js';
import { AlePyBackend, AlePyError } from '../../src/env/backends/ale-py.js';
import { makeTempDir, removeTempDir, requirePython } from '../helpers/python.js';

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function waitForExit(pid: number): Promise<boolean> {
  for (let i = 0; i < 100 && alive(pid); i++) await new Promise((r) => setTimeout(r, 50));
  return !alive(pid);
}

describe('the ale-py bridge', function () {
  before(function () {
    requirePython(this, 'ale_py');
  });

  it('says clearly when the Python it uses has no ale-py', async function () {
    const bare = spawnSync('python3', ['-c', 'import ale_py']);
    if (bare.error || bare.status === 0) this.skip(); // needs a python3 without ale-py
    const err = await new AlePyBackend({ python: 'python3' }).hello().catch((e: unknown) => e);
    expect(err).to.be.instanceOf(UserError);
    expect((err as Error).message).to.match(/needs the Python package ale-py.*cannot import ale_py.*npm run oracle:setup/);
  });

  it('says clearly when the Python cannot be started', async () => {
    const err = await new AlePyBackend({ python: '/nonexistent/python3' }).hello().catch((e: unknown) => e);
    expect(err).to.be.instanceOf(UserError);
    expect((err as Error).message).to.match(/cannot start \/nonexistent\/python3 for the ale-py backend/);
  });

  it('turns an error raised in Python into a clear error, and keeps working', async () => {
    const err = await AtariEnv.create({ game: 'pong', backend: 'ale-py', mode: 99 }).catch((e: unknown) => e);
    expect(err).to.be.instanceOf(UserError);
    expect((err as Error).message).to.equal('mode 99 is not available for this game; its mode values are 0, 1');
    const backend = new AlePyBackend();
    await backend.hello();
    const bad = await backend.load({ rom: '/nonexistent.bin', seed: 0, repeatActionProbability: 0, maxFramesPerEpisode: 0 }).catch((e: unknown) => e);
    expect(bad).to.be.instanceOf(AlePyError);
    const env = await AtariEnv.create({ game: 'pong', backend: 'ale-py', backendInstance: backend });
    await env.reset(1);
    expect((await env.step(0)).lives).to.equal(0);
    await env.close();
  });

  it('fails (never hangs) when the Python process dies mid-run', async () => {
    const backend = new AlePyBackend();
    const env = await AtariEnv.create({ game: 'breakout', backend: 'ale-py', backendInstance: backend });
    await env.reset(3);
    await env.step(1);
    process.kill(backend.pid!, 'SIGKILL');
    await waitForExit(backend.pid!);
    const err = await env.step(1).catch((e: unknown) => e);
    expect(err).to.be.instanceOf(AlePyError);
    expect((err as Error).message).to.match(/stopped/);
  });

  it('leaves no Python process behind when Node exits without close()', async () => {
    const dir = makeTempDir();
    try {
      const script = join(dir, 'leak.mjs');
      const envUrl = new URL('../../src/env/atari-env.js', import.meta.url).href;
      writeFileSync(
        script,
        `import { AtariEnv } from '${envUrl}';
const env = await AtariEnv.create({ game: 'pong', backend: 'ale-py' });
await env.reset(0);
await env.step(1);
console.log(env.backend.pid);`,
      );
      const res = spawnSync(process.execPath, [script], { encoding: 'utf8' });
      expect(res.status, res.stderr).to.equal(0);
      const pid = Number(res.stdout.trim());
      expect(pid).to.be.greaterThan(0);
      expect(await waitForExit(pid), 'the bridge process exited').to.equal(true);
    } finally {
      removeTempDir(dir);
    }
  });
});
