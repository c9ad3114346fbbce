// Agent steps/s of the attacked episode loop on Pong (Nature-DQN, perturb stack, lambda 2):
// dense + FGSM and SAP-100 + FGSM with EOT-10, ours (ale-py backend, our preprocessing,
// our attack) vs a reference loop in PyTorch + Gymnasium (AtariPreprocessing, 4-frame
// stack) with the same weights, same run. Targets (issue 5): dense >= 0.67x, SAP >= 1.0x.
// Usage: npm run bench:loop [-- --steps N]
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { importCleanRL } from '../src/agent/import-cleanrl.js';
import { QNetwork } from '../src/agent/q-network.js';
import { initTf } from '../src/agent/tf-backend.js';
import { parseAttackConfig } from '../src/attack/index.js';
import { dense, parseDefense, Xoshiro128, type Defense } from '../src/defense/index.js';
import { AtariEnv } from '../src/env/atari-env.js';
import { AtariPreprocessing } from '../src/env/preprocess/atari-preprocessing.js';
import { pythonExecutable } from '../src/env/python.js';
import { TORCH_NATURE_CNN, TORCH_SAP, writeRandomCleanRLCheckpoint } from './torch-reference.js';
import { greedyAction } from '../src/experiment/episode.js';
import { perturbStack } from '../src/attack/index.js';

const i = process.argv.indexOf('--steps');
const STEPS = i > 0 ? Number(process.argv[i + 1]) : 300;
const LAMBDA = 2;

const TORCH_LOOP = TORCH_NATURE_CNN + TORCH_SAP + String.raw`
import sys, time, numpy as np, torch, torch.nn as nn, torch.nn.functional as F, gymnasium as gym, ale_py
from gymnasium.wrappers import AtariPreprocessing, FrameStackObservation
ckpt, steps, mode = sys.argv[1], int(sys.argv[2]), sys.argv[3]
torch.set_num_threads(1)
gym.register_envs(ale_py)
net = nature(6)
net.load_state_dict({k[len("network."):]: v for k, v in torch.load(ckpt).items()})
def forward(x, defended):
    h = x / 255.0
    for layer in net:
        h = layer(h)
        if defended and isinstance(layer, nn.ReLU): h = sap(h)
    return h
def fgsm(x, defended, k):
    xx = x.repeat(k, 1, 1, 1).requires_grad_(True)
    q = forward(xx, defended)
    label = q.mean(0, keepdim=True).argmax(1)
    g, = torch.autograd.grad(F.cross_entropy(q, label.expand(k)), xx)
    return (x + ${LAMBDA} * g.sum(0, keepdim=True).sign()).clamp(0, 255).round()
env = FrameStackObservation(AtariPreprocessing(gym.make("ALE/Pong-v5", frameskip=1)), 4)
obs, _ = env.reset(seed=0)
defended, k = (mode == "sap"), (10 if mode == "sap" else 1)
t0 = time.perf_counter()
for _ in range(steps):
    x = torch.from_numpy(np.asarray(obs, dtype=np.float32)).unsqueeze(0)
    adv = fgsm(x, defended, k)
    with torch.no_grad():
        a = int(forward(adv, defended).argmax(1))
    obs, r, term, trunc, _ = env.step(a)
    if term or trunc: obs, _ = env.reset()
print(steps / (time.perf_counter() - t0))
`;

async function ours(ckptAgentDir: string, defense: Defense): Promise<number> {
  const { loadAgent } = await import('../src/agent/agent-store.js');
  const agent = await loadAgent(ckptAgentDir);
  const net = QNetwork.fromModel(agent.model, ckptAgentDir);
  const env = await AtariEnv.create({ game: 'pong', backend: 'ale-py' });
  const pp = new AtariPreprocessing(env);
  const attack = parseAttackConfig({ attack: 'fgsm', lambda: LAMBDA, eot: 10 });
  const rng = new Xoshiro128(1);
  await pp.reset(0);
  const t0 = performance.now();
  for (let s = 0; s < STEPS; s++) {
    const seen = perturbStack(net, defense, pp.observation(), 1, attack, rng);
    const r = await pp.step(greedyAction(net, defense, seen, rng));
    if (r.terminated || r.truncated) await pp.reset();
  }
  const rate = STEPS / ((performance.now() - t0) / 1000);
  await env.close();
  agent.model.dispose();
  return rate;
}

const dir = mkdtempSync(join(tmpdir(), 'sap-rl-bench-loop-'));
try {
  const ckpt = join(dir, 'pong.cleanrl_model');
  writeRandomCleanRLCheckpoint(ckpt, 6);
  const tf = await initTf();
  await importCleanRL(ckpt, { game: 'pong', out: join(dir, 'agent') });
  console.log(`loop bench: Pong, ${STEPS} agent steps, perturb stack, lambda ${LAMBDA}; ours on tfjs ${tf.name}, PyTorch on 1 thread`);
  console.log('setting                 ours steps/s   PyTorch steps/s   ratio   target');
  for (const [label, defense, mode, target] of [
    ['dense + FGSM', dense, 'dense', 0.67],
    ['SAP-100 + FGSM EOT-10', parseDefense('sap:1.0'), 'sap', 1.0],
  ] as const) {
    const a = await ours(join(dir, 'agent'), defense);
    const b = Number(execFileSync(pythonExecutable(), ['-c', TORCH_LOOP, ckpt, String(STEPS), mode], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).trim().split('\n').pop());
    console.log(`${label.padEnd(23)} ${a.toFixed(1).padStart(12)} ${b.toFixed(1).padStart(17)} ${(a / b).toFixed(2).padStart(7)}   >= ${target}`);
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
