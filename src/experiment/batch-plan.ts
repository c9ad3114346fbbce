// From a validated batch config to the list of episode jobs: every run's defenses x
// attacks x lambdas x seeds x episodes. Checked before anything runs: each agent folder
// exists (or, with skipMissing, its run is left out), and no two jobs share a key.
import { existsSync } from 'node:fs';
import { basename, extname, join, relative, resolve } from 'node:path';
import type { TfBackendName } from '../agent/tf-backend.js';
import { DEFAULT_EOT, DEFAULT_PGD_STEPS } from '../attack/index.js';
import { UserError } from '../cli/errors.js';
import { readBatchConfig, resolveRuns, type ResolvedRun } from './batch-config.js';
import { jobKey, type EpisodeJob } from './job.js';

export interface BatchPlanOptions {
  /** --out (relative to the working directory); overrides the config's `out`. */
  out?: string | undefined;
  /** --rom-dir; overrides the config's `rom-dir`. */
  romDir?: string | undefined;
  /** Leave out runs whose agent folder is missing instead of refusing the config. */
  skipMissing?: boolean | undefined;
}

export interface PlannedRun {
  readonly run: ResolvedRun;
  readonly jobs: number;
}

export interface BatchPlan {
  readonly file: string;
  /** The results CSV (absolute). */
  readonly out: string;
  readonly workers?: number | undefined;
  readonly tfBackend?: TfBackendName | undefined;
  /** Every job of the grid, run by run, episode-major within a run (episode 0 of every setting first). */
  readonly jobs: readonly EpisodeJob[];
  readonly runs: readonly PlannedRun[];
  /** Runs left out because their agent folder is missing (skipMissing). */
  readonly skipped: readonly ResolvedRun[];
}

/** Reads the config and expands it into jobs; a UserError for anything that would fail every job. */
export function planBatch(file: string, opts: BatchPlanOptions = {}): BatchPlan {
  const cfg = readBatchConfig(file);
  const base = resolve(file, '..');
  const romDir = opts.romDir !== undefined ? resolve(opts.romDir) : cfg['rom-dir'] !== undefined ? resolve(base, cfg['rom-dir']) : undefined;
  const all = resolveRuns(cfg, file);
  const missing = all.filter((r) => !existsSync(join(r.agentDir, 'agent.json')));
  if (missing.length > 0 && !opts.skipMissing) throw missingAgent(file, missing);
  const runs = all.filter((r) => !missing.includes(r));
  if (runs.length === 0) throw missingAgent(file, missing, true);

  const jobs: EpisodeJob[] = [];
  const planned: PlannedRun[] = [];
  const seen = new Map<string, string>();
  for (const run of runs) {
    const mine = expandRun(run, romDir);
    for (const job of mine) {
      const key = jobKey(job);
      const other = seen.get(key);
      if (other !== undefined) throw duplicate(file, other, run.where, key);
      seen.set(key, run.where);
    }
    jobs.push(...mine);
    planned.push({ run, jobs: mine.length });
  }
  const out = opts.out !== undefined ? resolve(opts.out) : cfg.out !== undefined ? resolve(base, cfg.out) : join(base, `${basename(file, extname(file))}.csv`);
  return { file, out, workers: cfg.workers, tfBackend: cfg['tf-backend'], jobs, runs: planned, skipped: missing };
}

function expandRun(run: ResolvedRun, romDir: string | undefined): EpisodeJob[] {
  const jobs: EpisodeJob[] = [];
  for (const seed of run.seeds) {
    for (let episode = 0; episode < run.episodes; episode++) {
      for (const defense of run.defenses) {
        for (const attack of run.attacks) {
          for (const lambda of run.lambdas) {
            jobs.push({
              game: run.game,
              agentDir: run.agentDir,
              defense,
              attack: attack.name,
              lambda,
              eot: attack.eot ?? DEFAULT_EOT,
              pgdSteps: attack.steps ?? DEFAULT_PGD_STEPS,
              ...(attack.alpha !== undefined ? { pgdAlpha: attack.alpha } : {}),
              perturb: run.perturb,
              seed,
              episode,
              backend: run.backend,
              maxFrames: run.maxFrames,
              ...(romDir !== undefined ? { romDir } : {}),
            });
          }
        }
      }
    }
  }
  return jobs;
}

function missingAgent(file: string, missing: readonly ResolvedRun[], none = false): UserError {
  const r = missing[0]!;
  const shown = relative(process.cwd(), r.agentDir) || '.';
  const spec = join(shown, 'agent.json');
  const others = missing.length - 1;
  const how =
    `import one with \`sap-rl import cleanrl CHECKPOINT --game ${r.game} --out ${shown}\` ` +
    `(or \`sap-rl import sb3 MODEL.zip ...\` for a Stable-Baselines3 / RL Zoo DQN)`;
  if (none) return new UserError(`${file}: no run has its agent (${r.where}.agent: ${spec} is missing${others > 0 ? `, and ${others} more` : ''}); ${how}`);
  const more = others > 0 ? ` (and ${others} more run${others > 1 ? 's' : ''})` : '';
  return new UserError(`${file}: ${r.where}.agent: ${spec} is missing${more}; ${how}, or pass --skip-missing to run only the agents you have`);
}

function duplicate(file: string, first: string, second: string, key: string): UserError {
  const where = first === second ? `${first} lists the episode ${key} twice` : `${first} and ${second} both give the episode ${key}`;
  return new UserError(
    `${file}: ${where} (the results could not tell them apart: game, agent folder name, defense, attack, lambda, eot, perturb, seed and episode are the same); remove the repeat or rename an agent folder`,
  );
}

