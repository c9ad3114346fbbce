// Agent steps/s through sap-rl's ale-py bridge vs the same ale-py stepped directly in Python
// (ale_py's Gymnasium AtariEnv, v5 settings, grey observations), same games, same run.
// Usage: npm run bench:env-bridge [-- --steps N --rounds R]
// SAP_RL_BRIDGE_SPIN_US (default 1000) sets the bridge's polling budget; 0 measures pure blocking I/O.
import { spawnSync } from 'node:child_process';
import { AtariEnv } from '../src/env/atari-env.js';
import { pythonExecutable } from '../src/env/python.js';

const GAMES = ['pong', 'breakout', 'space_invaders'];
const arg = (name: string, fallback: number): number => {
  const i = process.argv.indexOf(name);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
};
const STEPS = arg('--steps', 4000);
// Rounds alternate ours / reference; medians resist the noise of a shared machine.
const ROUNDS = arg('--rounds', 3);
const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

async function ours(game: string): Promise<number> {
  const env = await AtariEnv.create({ game, backend: 'ale-py' });
  await env.reset(0);
  for (let i = 0; i < 200; i++) await env.step(i % env.actionSet.length); // warm-up
  const t0 = performance.now();
  for (let i = 0; i < STEPS; i++) {
    const s = await env.step((i * 7) % env.actionSet.length);
    if (s.terminated || s.truncated) await env.reset();
  }
  const seconds = (performance.now() - t0) / 1000;
  await env.close();
  return STEPS / seconds;
}

function reference(game: string): number {
  const script = `
import time, gymnasium as gym, ale_py
gym.register_envs(ale_py)
env = gym.make("ALE/${game.split('_').map((w) => w[0]!.toUpperCase() + w.slice(1)).join('')}-v5", obs_type="grayscale")
env.reset(seed=0)
n = env.action_space.n
for i in range(200): env.step(i % n)
t0 = time.perf_counter()
for i in range(${STEPS}):
    obs, r, term, trunc, info = env.step((i * 7) % n)
    if term or trunc: env.reset()
print(${STEPS} / (time.perf_counter() - t0))
`;
  const res = spawnSync(pythonExecutable(), ['-c', script], { encoding: 'utf8' });
  if (res.status !== 0) throw new Error(`reference failed: ${res.stderr}`);
  return Number(res.stdout.trim().split('\n').pop());
}

console.log(`env-bridge bench: ${STEPS} agent steps (frameskip 4, sticky 0.25) per run, median of ${ROUNDS} alternating runs`);
console.log('game            ours steps/s   ale-py direct   ratio');
for (const game of GAMES) {
  const a: number[] = [];
  const b: number[] = [];
  for (let r = 0; r < ROUNDS; r++) {
    a.push(await ours(game));
    b.push(reference(game));
  }
  const [ma, mb] = [median(a), median(b)];
  console.log(`${game.padEnd(15)} ${ma.toFixed(0).padStart(12)} ${mb.toFixed(0).padStart(15)} ${(ma / mb).toFixed(2).padStart(7)}`);
}
console.log('target: ratio >= 0.80');
