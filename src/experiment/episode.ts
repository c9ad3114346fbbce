// One attacked episode: the agent acts greedily on what the adversary lets it see.
//   perturb 'stack': at every step the whole stacked observation is attacked;
//   perturb 'frame': each new frame is attacked once, as it enters the stack (the older
//   frames keep the perturbation they got when they were new).
import type { QNetwork } from '../agent/q-network.js';
import { perturbNewestFrame, perturbStack, type AttackConfig } from '../attack/index.js';
import { argmaxRows, defendedQ, type Defense, type Rng } from '../defense/index.js';
import type { AtariPreprocessing } from '../env/preprocess/atari-preprocessing.js';

export type PerturbMode = 'frame' | 'stack';
export const PERTURB_MODES: readonly PerturbMode[] = ['frame', 'stack'];

export interface EpisodeSetting {
  defense: Defense;
  attack: AttackConfig;
  perturb: PerturbMode;
}

export interface EpisodeResult {
  /** The game's own return (never clipped). */
  reward: number;
  agentSteps: number;
  frames: number;
  truncated: boolean;
  seconds: number;
}

export interface StepView {
  /** The observation before the attack (NHWC uint8; in frame mode the stack already holds the perturbed frames). */
  clean: Uint8Array;
  /** What the agent saw. */
  seen: Uint8Array;
  /** The newest frame as the env made it, never perturbed (H x W uint8), in both modes. */
  cleanFrame: Uint8Array;
  /** The newest frame of `seen` (H x W uint8). */
  seenFrame: Uint8Array;
  /** The agent's action index... */
  action: number;
  /** ...and the ALE action id it stands for. */
  aleAction: number;
  /** The reward so far in this episode, this step's included. */
  reward: number;
}

/** Channel `c` of an NHWC observation with `depth` channels. */
function channel(obs: Uint8Array, depth: number, c: number): Uint8Array {
  const out = new Uint8Array(obs.length / depth);
  for (let p = 0, i = c; p < out.length; p++, i += depth) out[p] = obs[i]!;
  return out;
}

const attacks = (a: AttackConfig): boolean => a.name !== 'none' && a.lambda > 0;

/** The greedy action of the defended network (one stochastic pass, as deployed). */
export function greedyAction(net: QNetwork, defense: Defense, obs: Uint8Array, rng: Rng): number {
  return argmaxRows(defendedQ(net, defense, obs, 1, rng), 1, net.nActions)[0]!;
}

/** Attacks the newest frame of the stack in place (perturb 'frame'). */
function perturbNewest(env: AtariPreprocessing, net: QNetwork, setting: EpisodeSetting, rng: Rng, fill: boolean): void {
  const obs = env.observation();
  const adv = perturbNewestFrame(net, setting.defense, obs, 1, setting.attack, rng);
  const depth = env.stack.depth;
  const newest = env.stack.frame(depth - 1);
  for (let p = 0; p < newest.length; p++) newest[p] = adv[p * depth + depth - 1]!;
  if (fill) env.stack.fill(newest); // after reset the stack holds copies of one frame
}

export async function runEpisode(
  env: AtariPreprocessing,
  net: QNetwork,
  setting: EpisodeSetting,
  envSeed: number,
  rng: Rng,
  onStep?: (view: StepView) => void,
): Promise<EpisodeResult> {
  const t0 = performance.now();
  const attacking = attacks(setting.attack);
  await env.reset(envSeed);
  if (attacking && setting.perturb === 'frame') perturbNewest(env, net, setting, rng, true);
  let reward = 0;
  let agentSteps = 0;
  let frames = 0;
  let truncated = false;
  for (;;) {
    const clean = env.observation();
    const seen = attacking && setting.perturb === 'stack' ? perturbStack(net, setting.defense, clean, 1, setting.attack, rng) : clean;
    const action = greedyAction(net, setting.defense, seen, rng);
    const cleanFrame = env.frame.slice(); // env.frame is overwritten by the step
    const s = await env.step(action);
    reward += s.rawReward;
    agentSteps++;
    frames = s.episodeFrameNumber;
    if (onStep) {
      const depth = env.stack.depth;
      onStep({ clean, seen, cleanFrame, seenFrame: channel(seen, depth, depth - 1), action, aleAction: env.env.actionSet[action]!, reward });
    }
    if (s.terminated || s.truncated) {
      truncated = s.truncated && !s.terminated;
      break;
    }
    if (attacking && setting.perturb === 'frame') perturbNewest(env, net, setting, rng, false);
  }
  return { reward, agentSteps, frames, truncated, seconds: (performance.now() - t0) / 1000 };
}
