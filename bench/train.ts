// Agent steps/s of DQN training (environment + epsilon-greedy acting + one Double DQN update of
// batch 32 every 4 steps, Nature CNN, Adam, Huber loss, target network) on Breakout:
// `sap-rl train`'s loop (our emulator, tfjs wasm with one XNNPACK thread per core, as
// `sap-rl train` runs by default) vs a CleanRL-style loop in PyTorch + Gymnasium on ale-py,
// same run. Both first take `--warmup` random steps (replay
// fill, no updates), then the measured steps at epsilon 0.05. PyTorch runs once on 1 thread
// (like for like) and once with its default threads (what CleanRL does). Target (issue 6): >= 0.5x.
// Usage: npm run bench:train [-- --steps 2000 --warmup 1000]
import { execFileSync } from 'node:child_process';
import { cpus } from 'node:os';
import { buildNatureCnn } from '../src/agent/nature-cnn.js';
import { defaultWasmThreads, initTf } from '../src/agent/tf-backend.js';
import { pythonExecutable } from '../src/env/python.js';
import { TORCH_NATURE_CNN } from './torch-reference.js';
import { parseHyperparams } from '../src/train/hyperparams.js';
import { train } from '../src/train/trainer.js';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const arg = (name: string, dflt: number) => {
  const i = process.argv.indexOf(name);
  return i > 0 ? Number(process.argv[i + 1]) : dflt;
};
const STEPS = arg('--steps', 2000);
const WARMUP = arg('--warmup', 1000);
if (WARMUP % 250 !== 0 || STEPS % 250 !== 0) throw new Error('--steps and --warmup must be multiples of 250');

const TORCH_LOOP = TORCH_NATURE_CNN + String.raw`
import sys, time, numpy as np, torch, torch.nn as nn, torch.nn.functional as F, gymnasium as gym, ale_py
from gymnasium.wrappers import AtariPreprocessing, FrameStackObservation
warm, steps, threads = int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3])
if threads > 0: torch.set_num_threads(threads)
gym.register_envs(ale_py)
env = FrameStackObservation(AtariPreprocessing(gym.make("ALE/Breakout-v5", frameskip=1)), 4)
n = env.action_space.n
q, target = nature(n), nature(n)
target.load_state_dict(q.state_dict())
opt = torch.optim.Adam(q.parameters(), lr=1e-4, eps=1e-8)
size = warm + steps + 1
obs_buf = np.zeros((size, 4, 84, 84), np.uint8); next_buf = np.zeros_like(obs_buf)
act_buf = np.zeros(size, np.int64); rew_buf = np.zeros(size, np.float32); done_buf = np.zeros(size, np.float32)
rng = np.random.default_rng(0)
obs, _ = env.reset(seed=0)
t0 = None
for t in range(1, warm + steps + 1):
    if t == warm + 1: t0 = time.perf_counter()
    if t <= warm or rng.random() < 0.05:
        a = int(rng.integers(n))
    else:
        with torch.no_grad():
            a = int(q(torch.from_numpy(np.asarray(obs)).unsqueeze(0).float() / 255.0).argmax(1))
    nxt, r, term, trunc, _ = env.step(a)
    i = t - 1
    obs_buf[i] = obs; next_buf[i] = nxt; act_buf[i] = a; rew_buf[i] = np.sign(r); done_buf[i] = float(term)
    obs = nxt
    if term or trunc: obs, _ = env.reset()
    if t > warm and t % 4 == 0:
        idx = rng.integers(0, t, 32)
        o = torch.from_numpy(obs_buf[idx]).float() / 255.0
        nx = torch.from_numpy(next_buf[idx]).float() / 255.0
        with torch.no_grad():
            pick = q(nx).argmax(1, keepdim=True)
            y = torch.from_numpy(rew_buf[idx]) + 0.99 * target(nx).gather(1, pick).squeeze(1) * (1 - torch.from_numpy(done_buf[idx]))
        old = q(o).gather(1, torch.from_numpy(act_buf[idx]).view(-1, 1)).squeeze(1)
        loss = F.smooth_l1_loss(old, y)
        opt.zero_grad(); loss.backward(); opt.step()
    if t % 1000 == 0: target.load_state_dict(q.state_dict())
print(steps / (time.perf_counter() - t0))
`;

async function ours(): Promise<number> {
  const dir = mkdtempSync(join(tmpdir(), 'sap-rl-bench-train-'));
  let tStart = 0;
  let tEnd = 0;
  try {
    const res = await train(
      {
        game: 'breakout',
        backend: 'js',
        totalSteps: WARMUP + STEPS,
        seed: 0,
        hyperparams: parseHyperparams(
          { learningStarts: WARMUP, epsilonStart: 0.05, epsilonEnd: 0.05, evalInterval: 0, checkpointInterval: 1e9, bufferSize: WARMUP + STEPS + 1 },
          'bench',
        ),
        checkpointDir: join(dir, 'ckpt'),
        resume: false,
        buildModel: (nActions, seed) => buildNatureCnn({ nActions, scaleInside: true, seed }),
      },
      {
        onProgress: (p) => {
          if (p.step === WARMUP && tStart === 0) tStart = performance.now();
          if (p.step === WARMUP + STEPS && tEnd === 0) tEnd = performance.now();
        },
      },
    );
    res.model.dispose();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return STEPS / ((tEnd - tStart) / 1000);
}

function torch(threads: number): number {
  const out = execFileSync(pythonExecutable(), ['-c', TORCH_LOOP, String(WARMUP), String(STEPS), String(threads)], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  return Number(out.trim().split('\n').pop());
}

const tf = await initTf(undefined, { threads: defaultWasmThreads() });
console.log(`train bench: Breakout, ${WARMUP} warm-up + ${STEPS} measured agent steps, Nature CNN, batch 32, 1 update / 4 steps`);
console.log(`ours: js emulator, tfjs ${tf.name} (${tf.detail}); PyTorch ${cpus().length} cores available`);
const a = await ours();
const b1 = torch(1);
const bAll = torch(0);
console.log('                          steps/s   ours / it');
console.log(`ours (sap-rl train)    ${a.toFixed(1).padStart(10)}`);
console.log(`PyTorch, 1 thread      ${b1.toFixed(1).padStart(10)}   ${(a / b1).toFixed(2)}x`);
console.log(`PyTorch, default       ${bAll.toFixed(1).padStart(10)}   ${(a / bAll).toFixed(2)}x   (target >= 0.5x)`);
