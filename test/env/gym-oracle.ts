// Runs Gymnasium's ale_py environments (the oracle) on a fixed action sequence and returns
// what they saw, for the differential tests of AtariEnv and the preprocessing pipeline.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { makeTempDir, removeTempDir, runPython } from '../helpers/python.js';

export interface OracleStep {
  reward: number;
  terminated: boolean;
  truncated: boolean;
  lives: number;
  episodeFrameNumber: number;
}

export interface OracleRun {
  steps: OracleStep[];
  /** One observation per reset and per step, in order (reset obs first), flattened. */
  observations: Uint8Array;
  observationSize: number;
}

export interface OracleConfig {
  /** ALE/<envName>-v5 */
  envName: string;
  seed: number;
  /** Indices into the env's action set; the run stops after `episodes` episodes or when they run out. */
  actions: number[];
  episodes: number;
  /** `v5`: the plain env (observation: palette-index screen via ale.getScreen);
   *  `preprocessed`: frameskip=1 + AtariPreprocessing + FrameStackObservation(4). */
  kind: 'v5' | 'preprocessed';
  noopMax?: number;
  terminalOnLifeLoss?: boolean;
}

export function runGymOracle(cfg: OracleConfig): OracleRun {
  const dir = makeTempDir();
  try {
    writeFileSync(join(dir, 'cfg.json'), JSON.stringify(cfg));
    runPython(
      `
import json, sys, numpy as np, gymnasium as gym, ale_py
from gymnasium.wrappers import AtariPreprocessing, FrameStackObservation
gym.register_envs(ale_py)
d = sys.argv[1]
cfg = json.load(open(d + "/cfg.json"))
if cfg["kind"] == "v5":
    env = gym.make(f"ALE/{cfg['envName']}-v5")
    ale = env.unwrapped.ale
    obs_of = lambda o: ale.getScreen().reshape(-1)
else:
    env = gym.make(f"ALE/{cfg['envName']}-v5", frameskip=1)
    env = AtariPreprocessing(env, noop_max=cfg.get("noopMax", 30), frame_skip=4, screen_size=84,
                             terminal_on_life_loss=cfg.get("terminalOnLifeLoss", False), grayscale_obs=True)
    env = FrameStackObservation(env, 4)
    obs_of = lambda o: np.asarray(o, dtype=np.uint8).reshape(-1)
steps, obs = [], []
o, _ = env.reset(seed=cfg["seed"])
obs.append(obs_of(o))
episodes = 0
for a in cfg["actions"]:
    o, r, term, trunc, info = env.step(a)
    steps.append({"reward": float(r), "terminated": bool(term), "truncated": bool(trunc),
                  "lives": int(info["lives"]), "episodeFrameNumber": int(info["episode_frame_number"])})
    obs.append(obs_of(o))
    if term or trunc:
        episodes += 1
        if episodes == cfg["episodes"]:
            break
        o, _ = env.reset()
        obs.append(obs_of(o))
np.stack(obs).astype(np.uint8).tofile(d + "/obs.bin")
json.dump({"steps": steps, "size": int(obs[0].size)}, open(d + "/steps.json", "w"))
`,
      { args: [dir] },
    );
    const { steps, size } = JSON.parse(readFileSync(join(dir, 'steps.json'), 'utf8')) as { steps: OracleStep[]; size: number };
    return { steps, observations: new Uint8Array(readFileSync(join(dir, 'obs.bin'))), observationSize: size };
  } finally {
    removeTempDir(dir);
  }
}
