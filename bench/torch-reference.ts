// The PyTorch side shared by the benches: the Nature CNN as CleanRL's dqn_atari builds it,
// SAP as a PyTorch user would write it (torch.multinomial), and a random-weight CleanRL
// checkpoint for our side to import. Python source strings, prepended to each bench's script.
import { execFileSync } from 'node:child_process';
import { pythonExecutable } from '../src/env/python.js';

/** `nature(n)`: the Nature CNN with n actions (input 4 x 84 x 84, values already scaled). */
export const TORCH_NATURE_CNN = String.raw`
import torch, torch.nn as nn
def nature(n):
    return nn.Sequential(nn.Conv2d(4, 32, 8, stride=4), nn.ReLU(), nn.Conv2d(32, 64, 4, stride=2), nn.ReLU(),
                         nn.Conv2d(64, 64, 3, stride=1), nn.ReLU(), nn.Flatten(), nn.Linear(3136, 512), nn.ReLU(),
                         nn.Linear(512, n))
`;

/** `sap(h, tau=1.0)`: SAP (Dhillon et al. 2018), multinomial draws with replacement, keep and rescale. */
export const TORCH_SAP = String.raw`
import torch
def sap(h, tau=1.0):
    flat = h.flatten(1)
    p = flat / flat.sum(1, keepdim=True).clamp_min(1e-30)
    r = max(1, round(tau * flat.shape[1]))
    idx = torch.multinomial(p, r, replacement=True)
    keep = torch.zeros_like(flat).scatter_(1, idx, 1.0)
    scale = -1.0 / torch.expm1(r * torch.log1p(-p))
    return (flat * (keep * torch.nan_to_num(scale, posinf=0.0)).detach()).view_as(h)
`;

/** Saves a CleanRL dqn_atari checkpoint (state_dict keys "network.N.weight") of a Nature CNN with random weights. */
export function writeRandomCleanRLCheckpoint(path: string, nActions: number, seed = 0): void {
  const script = `${TORCH_NATURE_CNN}
import sys
torch.manual_seed(${seed})
net = nature(${nActions})
torch.save({"network." + k: v for k, v in net.state_dict().items()}, sys.argv[1])`;
  execFileSync(pythonExecutable(), ['-c', script, path], { stdio: ['ignore', 'pipe', 'pipe'] });
}
