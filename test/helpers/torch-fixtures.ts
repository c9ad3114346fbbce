/**
 * Real PyTorch checkpoints for the importer tests, built by the oracle venv with
 * the same module and parameter names as CleanRL's dqn_atari and SB3's DQN
 * CnnPolicy, plus 100 random uint8 observations (N x 4 x 84 x 84) and the Q-values
 * PyTorch computes for them. All fixtures are made by one Python process
 * (importing torch takes seconds).
 */
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { runPython } from './python.js';

export const N_OBS = 100;

const SCRIPT = String.raw`
import json, sys, os, zipfile, io
import numpy as np
import torch
import torch.nn as nn

def nature_convs():
    return [nn.Conv2d(4, 32, 8, stride=4), nn.ReLU(),
            nn.Conv2d(32, 64, 4, stride=2), nn.ReLU(),
            nn.Conv2d(64, 64, 3, stride=1), nn.ReLU(), nn.Flatten()]

def spread(module):
    # Larger weights than the default init so Q-values are O(1), not O(0.01).
    with torch.no_grad():
        for p in module.parameters():
            p.mul_(3.0)

def save_obs_and_q(d, seed, forward):
    rng = np.random.default_rng(seed)
    obs = rng.integers(0, 256, size=(${N_OBS}, 4, 84, 84), dtype=np.uint8)
    with torch.no_grad():
        q = forward(torch.from_numpy(obs)).numpy().astype(np.float32)
    obs.tofile(os.path.join(d, 'obs.u8'))
    q.tofile(os.path.join(d, 'q.f32'))
    return float(np.abs(q).max())

class CleanRLQNetwork(nn.Module):
    # As in CleanRL's dqn_atari.py (class QNetwork).
    def __init__(self, n):
        super().__init__()
        self.network = nn.Sequential(*nature_convs(), nn.Linear(3136, 512), nn.ReLU(), nn.Linear(512, n))
    def forward(self, x):
        return self.network(x / 255.0)

def cleanrl(d, n, seed):
    q_network = CleanRLQNetwork(n)
    spread(q_network)
    torch.save(q_network.state_dict(), os.path.join(d, 'agent.cleanrl_model'))
    return save_obs_and_q(d, seed, lambda x: q_network(x.float()))

class NatureCNN(nn.Module):
    # stable_baselines3.common.torch_layers.NatureCNN
    def __init__(self):
        super().__init__()
        self.cnn = nn.Sequential(*nature_convs())
        self.linear = nn.Sequential(nn.Linear(3136, 512), nn.ReLU())
    def forward(self, x):
        return self.linear(self.cnn(x))

class SB3QNetwork(nn.Module):
    # stable_baselines3.dqn.policies.QNetwork with net_arch=[]
    def __init__(self, n, normalize):
        super().__init__()
        self.normalize = normalize
        self.features_extractor = NatureCNN()
        self.q_net = nn.Sequential(nn.Linear(512, n))
    def forward(self, obs):
        x = obs.float() / 255.0 if self.normalize else obs.float()
        return self.q_net(self.features_extractor(x))

class DQNPolicy(nn.Module):
    def __init__(self, n, normalize):
        super().__init__()
        self.q_net = SB3QNetwork(n, normalize)
        self.q_net_target = SB3QNetwork(n, normalize)  # different random weights: must be ignored

def sb3(d, n, seed, normalize):
    policy = DQNPolicy(n, normalize)
    spread(policy.q_net)
    if not normalize:
        with torch.no_grad():
            policy.q_net.features_extractor.cnn[0].weight.mul_(1 / 255.0)
    buf = io.BytesIO()
    torch.save(policy.state_dict(), buf)
    data = {
        'policy_class': {':type:': "<class 'abc.ABCMeta'>", ':serialized:': 'gAWV', '__module__': 'stable_baselines3.dqn.policies'},
        'action_space': {':type:': "<class 'gymnasium.spaces.discrete.Discrete'>", ':serialized:': 'gAWV', 'n': str(n), 'start': '0'},
        'policy_kwargs': {} if normalize else {'normalize_images': False},
    }
    with zipfile.ZipFile(os.path.join(d, 'agent.zip'), 'w', zipfile.ZIP_DEFLATED) as z:
        z.writestr('data', json.dumps(data, indent=4))
        z.writestr('pytorch_variables.pth', b'')
        z.writestr('policy.pth', buf.getvalue())
        z.writestr('_stable_baselines3_version', '2.3.2')
    return save_obs_and_q(d, seed, lambda x: policy.q_net(x))

results = []
for job in json.loads(sys.argv[1]):
    torch.manual_seed(job['seed'])
    if job['kind'] == 'cleanrl':
        results.append(cleanrl(job['dir'], job['n'], job['seed']))
    else:
        results.append(sb3(job['dir'], job['n'], job['seed'], job['normalize']))
print(json.dumps(results))
`;

export interface FixtureJob {
  readonly kind: 'cleanrl' | 'sb3';
  /** Number of actions (network outputs). */
  readonly n: number;
  readonly seed: number;
  /** SB3 only: policy_kwargs.normalize_images (default true). */
  readonly normalize?: boolean;
}

export interface QFixture {
  readonly checkpoint: string;
  /** N x 4 x 84 x 84 uint8, as PyTorch takes them. */
  readonly obs: Uint8Array;
  /** N x nActions PyTorch Q-values. */
  readonly q: Float32Array;
  readonly qAbsMax: number;
}

/** Build each job's checkpoint in `root/<index>/`. */
export function makeFixtures(root: string, jobs: readonly FixtureJob[]): QFixture[] {
  const withDirs = jobs.map((j, i) => {
    const dir = join(root, `fixture-${i}`);
    mkdirSync(dir, { recursive: true });
    return { ...j, normalize: j.normalize ?? true, dir };
  });
  const out = runPython(SCRIPT, { args: [JSON.stringify(withDirs)] });
  const maxima = JSON.parse(out.trim().split('\n').pop()!) as number[];
  return withDirs.map((j, i) => {
    const qBytes = readFileSync(join(j.dir, 'q.f32'));
    return {
      checkpoint: join(j.dir, j.kind === 'cleanrl' ? 'agent.cleanrl_model' : 'agent.zip'),
      obs: new Uint8Array(readFileSync(join(j.dir, 'obs.u8'))),
      q: new Float32Array(qBytes.buffer.slice(qBytes.byteOffset, qBytes.byteOffset + qBytes.byteLength)),
      qAbsMax: maxima[i]!,
    };
  });
}

/** N x C x H x W uint8 -> N x H x W x C float32 (what our tfjs models take). */
export function nchwToNhwc(obs: Uint8Array, n: number, c: number, h: number, w: number): Float32Array {
  const out = new Float32Array(obs.length);
  for (let i = 0; i < n; i++)
    for (let ch = 0; ch < c; ch++)
      for (let y = 0; y < h; y++)
        for (let x = 0; x < w; x++) out[((i * h + y) * w + x) * c + ch] = obs[((i * c + ch) * h + y) * w + x]!;
  return out;
}
