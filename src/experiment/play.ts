// `sap-rl play`: every (defense, lambda) setting for N episodes, one results row per
// episode as it ends. Finished episodes already in the output file are skipped, so an
// interrupted run resumes where it stopped.
import { basename, resolve } from 'node:path';
import { loadAgent } from '../agent/agent-store.js';
import { QNetwork } from '../agent/q-network.js';
import { activeTfBackend, ensureTf } from '../agent/tf-backend.js';
import type { AttackConfig } from '../attack/index.js';
import { UserError } from '../cli/errors.js';
import { Xoshiro128, type Defense } from '../defense/index.js';
import { AtariEnv } from '../env/atari-env.js';
import type { BackendName } from '../env/backend.js';
import { AtariPreprocessing } from '../env/preprocess/atari-preprocessing.js';
import { requireGame } from '../env/roms.js';
import { ResultsFile } from '../report/results-file.js';
import { episodeKey, type ResultRow } from '../report/results-schema.js';
import { VERSION } from '../version.js';
import { runEpisode, type EpisodeResult, type PerturbMode, type StepView } from './episode.js';
import { episodeEnvSeed, episodeNoiseSeed } from './seeds.js';

export interface PlayConfig {
  game?: string | undefined;
  agentDir: string;
  defenses: Defense[];
  /** The attack; its lambda is replaced by each of `lambdas`. */
  attack: AttackConfig;
  lambdas: number[];
  episodes: number;
  seed: number;
  perturb: PerturbMode;
  backend: BackendName;
  out: string;
  romDir?: string | undefined;
  /** ALE's episode frame limit (default 108000). */
  maxFrames?: number | undefined;
}

export interface PlayHooks {
  /** Called before each episode that will be played (not for skipped ones). */
  onEpisodeStart?(info: { defense: Defense; lambda: number; episode: number; index: number; total: number }): void;
  onEpisodeEnd?(row: ResultRow, result: EpisodeResult): void;
  onStep?(view: StepView): void;
}

/** Plays the whole grid; returns every row of the output file for these settings (old and new). */
export async function runPlay(cfg: PlayConfig, hooks: PlayHooks = {}): Promise<ResultRow[]> {
  await ensureTf();
  const agent = await loadAgent(cfg.agentDir);
  let env: AtariEnv | undefined;
  let results: ResultsFile | undefined;
  try {
    const game = requireGame(cfg.game ?? agent.spec.game);
    if (game.id !== agent.spec.game) {
      throw new UserError(`--agent ${cfg.agentDir} plays ${agent.spec.game}, not ${game.id} (--game); pass an agent trained on ${game.id}`);
    }
    const net = QNetwork.fromModel(agent.model, cfg.agentDir);
    env = await AtariEnv.create({ game: game.id, romDir: cfg.romDir, backend: cfg.backend, maxFramesPerEpisode: cfg.maxFrames ?? 108_000 });
    if (env.actionSet.join(',') !== agent.spec.actions.join(',')) {
      throw new UserError(
        `--agent ${cfg.agentDir} acts on actions ${agent.spec.actions.join(',')} but ${game.id} here has ${env.actionSet.join(',')}; the agent does not fit this game`,
      );
    }
    const pp = new AtariPreprocessing(env, { frameStack: agent.spec.observation.frameStack, screenSize: agent.spec.observation.height });
    results = ResultsFile.open(cfg.out); // only now, so that a bad agent or game leaves no file behind
    return await playGrid(cfg, hooks, { gameId: game.id, agentName: basename(resolve(cfg.agentDir)), net, pp, results });
  } finally {
    results?.close();
    await env?.close();
    agent.model.dispose();
  }
}

interface GridContext {
  gameId: string;
  agentName: string;
  net: QNetwork;
  pp: AtariPreprocessing;
  results: ResultsFile;
}

async function playGrid(cfg: PlayConfig, hooks: PlayHooks, ctx: GridContext): Promise<ResultRow[]> {
  const { net, pp, results } = ctx;
  const total = cfg.defenses.length * cfg.lambdas.length * cfg.episodes;
  let index = 0;
  const mine: ResultRow[] = [];
  for (const defense of cfg.defenses) {
    for (const lambda of cfg.lambdas) {
      const attack = { ...cfg.attack, lambda };
      for (let episode = 0; episode < cfg.episodes; episode++, index++) {
        const row: ResultRow = {
          time: '',
          game: ctx.gameId,
          agent: ctx.agentName,
          defense: defense.name,
          defense_param: defense.param === undefined ? '' : String(defense.param),
          attack: attack.name,
          lambda,
          eot: defense.stochastic ? attack.eot : 1,
          perturb: cfg.perturb,
          seed: cfg.seed,
          episode,
          reward: 0,
          agent_steps: 0,
          frames: 0,
          truncated: false,
          seconds: 0,
          env_backend: cfg.backend,
          tf_backend: activeTfBackend()?.name ?? '',
          sap_rl_version: VERSION,
        };
        const key = episodeKey(row);
        const old = results.existing.find((r) => episodeKey(r) === key);
        if (old) {
          mine.push(old);
          continue;
        }
        hooks.onEpisodeStart?.({ defense, lambda, episode, index, total });
        const setting = `${defense.spec}|${attack.name}|${lambda}|${row.eot}|${cfg.perturb}`;
        const rng = new Xoshiro128(episodeNoiseSeed(cfg.seed, episode, setting));
        const res = await runEpisode(pp, net, { defense, attack, perturb: cfg.perturb }, episodeEnvSeed(cfg.seed, episode), rng, hooks.onStep);
        Object.assign(row, {
          time: new Date().toISOString(),
          reward: res.reward,
          agent_steps: res.agentSteps,
          frames: res.frames,
          truncated: res.truncated,
          seconds: Math.round(res.seconds * 1000) / 1000,
        });
        results.append(row);
        mine.push(row);
        hooks.onEpisodeEnd?.(row, res);
      }
    }
  }
  return mine;
}
