// `sap-rl play`: every (defense, lambda) setting for N episodes, one results row per
// episode as it ends. Each episode is an EpisodeJob run by runJob (the same runner as
// `sap-rl batch`), in this thread or, with workers > 1, in the worker-thread pool.
// Finished episodes already in the output file are skipped, so an interrupted run resumes.
import type { AttackConfig } from '../attack/index.js';
import type { TfBackendName } from '../agent/tf-backend.js';
import { ensureTf } from '../agent/tf-backend.js';
import { UserError } from '../cli/errors.js';
import type { Defense } from '../defense/index.js';
import type { BackendName } from '../env/backend.js';
import { requireGame } from '../env/roms.js';
import { ResultsFile } from '../report/results-file.js';
import { episodeKey, type ResultRow } from '../report/results-schema.js';
import type { EpisodeResult, PerturbMode, StepView } from './episode.js';
import { JobCache } from './job-cache.js';
import { jobKey, runJob, type EpisodeJob, type JobError } from './job.js';
import { runPool, type PoolHandlers, type WorkerPool } from './pool.js';

/** The attack of every setting: its lambda comes from `lambdas`, PGD's step defaults to 2.5 * lambda / steps. */
export type PlayAttack = Omit<AttackConfig, 'lambda' | 'pgdAlpha'> & { readonly pgdAlpha?: number | undefined };

export interface PlayConfig {
  game?: string | undefined;
  agentDir: string;
  defenses: Defense[];
  attack: PlayAttack;
  lambdas: number[];
  episodes: number;
  seed: number;
  perturb: PerturbMode;
  backend: BackendName;
  out: string;
  romDir?: string | undefined;
  /** ALE's episode frame limit (default 108000). */
  maxFrames?: number | undefined;
  /** 1 (default): in this thread; more: that many worker threads. */
  workers?: number | undefined;
  /** The tfjs backend of the worker threads (this thread's is set by initTf). */
  tfBackend?: TfBackendName | undefined;
  /** Worker threads to play in, kept by the caller between calls (then `workers` and `tfBackend` are the pool's). */
  pool?: WorkerPool | undefined;
}

export interface PlayHooks {
  /** Called before each episode that will be played (not for skipped ones); `index` episodes are finished or skipped. */
  onEpisodeStart?(info: { defense: Defense; lambda: number; episode: number; index: number; total: number }): void;
  onEpisodeEnd?(row: ResultRow, result: EpisodeResult): void;
  /** Every agent step (only when the episodes run in this thread). */
  onStep?(view: StepView): void;
}

/** The jobs of a play grid, in its order: defense, lambda, episode. */
export function playJobs(cfg: PlayConfig, game: string): EpisodeJob[] {
  const jobs: EpisodeJob[] = [];
  for (const defense of cfg.defenses) {
    for (const lambda of cfg.lambdas) {
      for (let episode = 0; episode < cfg.episodes; episode++) {
        jobs.push({
          game,
          agentDir: cfg.agentDir,
          defense: defense.spec,
          attack: cfg.attack.name,
          lambda,
          eot: cfg.attack.eot,
          pgdSteps: cfg.attack.pgdSteps,
          ...(cfg.attack.pgdAlpha !== undefined ? { pgdAlpha: cfg.attack.pgdAlpha } : {}),
          perturb: cfg.perturb,
          seed: cfg.seed,
          episode,
          backend: cfg.backend,
          maxFrames: cfg.maxFrames ?? 108_000,
          ...(cfg.romDir !== undefined ? { romDir: cfg.romDir } : {}),
        });
      }
    }
  }
  return jobs;
}

/** Plays the whole grid; returns every row of the output file for these settings (old and new). */
export async function runPlay(cfg: PlayConfig, hooks: PlayHooks = {}): Promise<ResultRow[]> {
  return runPlayJobs(cfg, (game) => playJobs(cfg, game), hooks);
}

/**
 * Plays the jobs `jobsFor(game)` makes (the game checked against the agent first) with the
 * settings of `cfg`; returns their rows, old and new, in the jobs' order.
 */
export async function runPlayJobs(cfg: PlayConfig, jobsFor: (game: string) => EpisodeJob[], hooks: PlayHooks = {}): Promise<ResultRow[]> {
  await ensureTf();
  const cache = new JobCache();
  let results: ResultsFile | undefined;
  try {
    const { agent } = await cache.agent(cfg.agentDir);
    const game = requireGame(cfg.game ?? agent.spec.game);
    if (game.id !== agent.spec.game) {
      throw new UserError(`--agent ${cfg.agentDir} plays ${agent.spec.game}, not ${game.id} (--game); pass an agent trained on ${game.id}`);
    }
    const jobs = jobsFor(game.id);
    if (jobs.length === 0) return [];
    await cache.prepare(jobs[0]!); // the env and the action set, checked before the results file exists
    results = ResultsFile.open(cfg.out);
    const rows = cfg.pool || (cfg.workers ?? 1) > 1 ? await playInPool(cfg, jobs, results, hooks) : await playHere(cfg, jobs, cache, results, hooks);
    return jobs.map((j) => rows.get(jobKey(j))!);
  } finally {
    results?.close();
    await cache.close();
  }
}

type Rows = Map<string, ResultRow>;

function oldRows(results: ResultsFile): Rows {
  return new Map(results.existing.map((r) => [episodeKey(r), r]));
}

function startInfo(cfg: PlayConfig, job: EpisodeJob, index: number, total: number) {
  const defense = cfg.defenses.find((d) => d.spec === job.defense)!;
  return { defense, lambda: job.lambda, episode: job.episode, index, total };
}

async function playHere(cfg: PlayConfig, jobs: EpisodeJob[], cache: JobCache, results: ResultsFile, hooks: PlayHooks): Promise<Rows> {
  const rows = oldRows(results);
  let index = 0;
  for (const job of jobs) {
    const key = jobKey(job);
    if (!rows.has(key)) {
      hooks.onEpisodeStart?.(startInfo(cfg, job, index, jobs.length));
      let result: EpisodeResult | undefined;
      const row = await runJob(job, cache, { onStep: hooks.onStep, onResult: (r) => (result = r) });
      results.append(row);
      rows.set(key, row);
      hooks.onEpisodeEnd?.(row, result!);
    }
    index++;
  }
  return rows;
}

async function playInPool(cfg: PlayConfig, jobs: EpisodeJob[], results: ResultsFile, hooks: PlayHooks): Promise<Rows> {
  const rows = oldRows(results);
  const pending = jobs.filter((j) => !rows.has(jobKey(j)));
  let index = jobs.length - pending.length;
  const failed: JobError[] = [];
  const handlers: PoolHandlers = {
    onStart: (job) => hooks.onEpisodeStart?.(startInfo(cfg, job, index, jobs.length)),
    onDone: (job, row) => {
      results.append(row);
      rows.set(jobKey(job), row);
      index++;
      hooks.onEpisodeEnd?.(row, { reward: row.reward, agentSteps: row.agent_steps, frames: row.frames, truncated: row.truncated, seconds: row.seconds });
    },
    onFailed: (_job, error) => failed.push(error),
  };
  if (cfg.pool) await cfg.pool.run(pending, handlers);
  else await runPool(pending, { workers: cfg.workers ?? 1, tfBackend: cfg.tfBackend, ...handlers });
  const first = failed[0];
  if (first) throw first.user ? new UserError(first.message) : new Error(`an episode failed: ${first.message}\n${first.stack ?? ''}`);
  return rows;
}
