// One episode job: a plain, serialisable description of one episode of a sweep, its
// stable key (the results row's episodeKey), and `runJob`, the one function that plays
// it. `sap-rl play`, the local worker-thread pool of `sap-rl batch` and a queue worker
// all run episodes through `runJob`, each with its own JobCache of loaded agents and envs.
import { basename, resolve } from 'node:path';
import type { AttackConfig, AttackName } from '../attack/index.js';
import { defaultPgdAlpha } from '../attack/index.js';
import { activeTfBackend, ensureTf } from '../agent/tf-backend.js';
import { UserError } from '../cli/errors.js';
import { parseDefense, Xoshiro128, type Defense } from '../defense/index.js';
import type { BackendName } from '../env/backend.js';
import { episodeKey, type KEY_COLUMNS, type ResultRow } from '../report/results-schema.js';
import { VERSION } from '../version.js';
import type { JobCache } from './job-cache.js';
import { runEpisode, type EpisodeResult, type PerturbMode, type StepView } from './episode.js';
import { episodeEnvSeed, episodeNoiseSeed } from './seeds.js';

/** Everything needed to play one episode; JSON- and structured-clone-safe. */
export interface EpisodeJob {
  /** Canonical game id (GameSpec.id), e.g. "pong". */
  readonly game: string;
  /** Absolute path of the agent folder. */
  readonly agentDir: string;
  /** Canonical defense spec (Defense.spec), e.g. "dense", "sap:1". */
  readonly defense: string;
  readonly attack: AttackName;
  /** Perturbation size in pixels. */
  readonly lambda: number;
  /** Samples per gradient against a stochastic defense (rows record 1 for deterministic ones). */
  readonly eot: number;
  readonly pgdSteps: number;
  /** PGD step in pixels; absent: 2.5 * lambda / pgdSteps. */
  readonly pgdAlpha?: number | undefined;
  readonly perturb: PerturbMode;
  /** Base seed of the run; with `episode` it fixes the game's randomness. */
  readonly seed: number;
  readonly episode: number;
  readonly backend: BackendName;
  /** ALE's episode frame limit (108000 in ALE v5). */
  readonly maxFrames: number;
  /** Extra folder searched first for ROMs. */
  readonly romDir?: string | undefined;
}

type KeyFields = Pick<ResultRow, (typeof KEY_COLUMNS)[number]>;

/** The name results record for an agent folder (its last path component). */
export function agentName(agentDir: string): string {
  return basename(resolve(agentDir));
}

/** The columns of the results row that identify this job's episode. */
export function jobKeyFields(job: EpisodeJob): KeyFields {
  const defense = parseDefense(job.defense);
  return {
    game: job.game,
    agent: agentName(job.agentDir),
    defense: defense.name,
    defense_param: defense.param === undefined ? '' : String(defense.param),
    attack: job.attack,
    lambda: job.lambda,
    eot: defense.stochastic ? job.eot : 1,
    pgd_steps: job.attack === 'pgd' ? job.pgdSteps : 0,
    pgd_alpha: job.attack === 'pgd' ? jobAttack(job).pgdAlpha : 0,
    perturb: job.perturb,
    seed: job.seed,
    episode: job.episode,
    max_frames: job.maxFrames,
  };
}

/** The job's stable key: the episodeKey of the row it writes (what resuming compares). */
export function jobKey(job: EpisodeJob): string {
  return episodeKey(jobKeyFields(job));
}

/** The attack of a job, with PGD's default step for its lambda. */
export function jobAttack(job: EpisodeJob): AttackConfig {
  return {
    name: job.attack,
    lambda: job.lambda,
    eot: job.eot,
    pgdSteps: job.pgdSteps,
    pgdAlpha: job.pgdAlpha ?? defaultPgdAlpha(job.lambda, job.pgdSteps),
  };
}

/**
 * A job's expected cost relative to a clean dense episode of the same game, for handing out
 * the longest jobs first: per agent step one forward pass of each defense sample, plus a
 * forward and a backward pass of each sample per gradient step when the attack runs.
 * Only the order of the work depends on it, never a result.
 */
export function jobCost(job: EpisodeJob): number {
  const samples = parseDefense(job.defense).stochastic ? Math.max(1, job.eot) : 1;
  const attacked = job.attack !== 'none' && job.lambda > 0;
  const gradients = !attacked || job.attack === 'noise' ? 0 : job.attack === 'pgd' ? job.pgdSteps : 1;
  return 1 + 2 * samples * gradients;
}

export interface RunJobHooks {
  onStep?(view: StepView): void;
  /** The whole result, for callers that want more than the row. */
  onResult?(result: EpisodeResult): void;
}

/**
 * Plays the job's episode and returns its finished results row. The defense's and the
 * attack's draws come from a generator seeded by (seed, episode, setting), the game's from
 * (seed, episode): the result depends on the job alone, not on what the cache ran before.
 */
export async function runJob(job: EpisodeJob, cache: JobCache, hooks: RunJobHooks = {}): Promise<ResultRow> {
  await ensureTf();
  const { net, pp } = await cache.prepare(job);
  const defense: Defense = parseDefense(job.defense);
  const attack = jobAttack(job);
  const fields = jobKeyFields(job);
  const setting = `${defense.spec}|${attack.name}|${job.lambda}|${fields.eot}|${job.perturb}`;
  const rng = new Xoshiro128(episodeNoiseSeed(job.seed, job.episode, setting));
  const res = await runEpisode(pp, net, { defense, attack, perturb: job.perturb }, episodeEnvSeed(job.seed, job.episode), rng, hooks.onStep);
  hooks.onResult?.(res);
  return {
    time: new Date().toISOString(),
    ...fields,
    reward: res.reward,
    agent_steps: res.agentSteps,
    frames: res.frames,
    truncated: res.truncated,
    seconds: Math.round(res.seconds * 1000) / 1000,
    env_backend: job.backend,
    tf_backend: activeTfBackend()?.name ?? '',
    sap_rl_version: VERSION,
  };
}

/** Why a job failed, as it travels between threads, processes or a queue. */
export interface JobError {
  /** One sentence for UserErrors; the message otherwise. */
  readonly message: string;
  /** Whether the user can fix it (a UserError: missing ROM, corrupt agent...) rather than a bug. */
  readonly user: boolean;
  /** The stack of an unexpected error (absent for UserErrors). */
  readonly stack?: string | undefined;
}

export function describeJobError(err: unknown): JobError {
  if (err instanceof Error) {
    const user = err instanceof UserError;
    return { message: err.message, user, ...(user ? {} : { stack: err.stack }) };
  }
  return { message: String(err), user: false };
}
