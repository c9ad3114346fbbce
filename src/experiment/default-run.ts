// The embedded default: what `sap-rl play` with no --agent and no --game runs. Our own game
// (Catch, roms/catch.bin) with the agent this project trained on it (agents/catch-dqn, see its
// agent.json for the exact `sap-rl train` command), dense vs SAP-100 under FGSM with EOT over
// lambda, so that a fresh `npm ci && npx sap-rl play` needs no ROM, no Python and no download.
//
// How many episodes: enough for every setting's 95% confidence interval to be narrower than a
// quarter of the clean score (the dense, lambda 0 mean). Settings differ a lot in spread (a
// perfect clean agent has none; one that is half broken has the most), so the run plays
// `episodes` of each, then adds `step` more to every setting whose interval is still too wide,
// until none is or `maxEpisodes` is reached. Which episodes are added depends only on the
// results, which depend only on the seeds: the run stays deterministic.
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { parseDefense } from '../defense/index.js';
import { episodeKey, type ResultRow } from '../report/results-schema.js';
import { summarise, type SettingSummary } from '../report/summary.js';
import { PACKAGE_ROOT } from '../version.js';
import { playJobs, runPlay, runPlayJobs, type PlayConfig, type PlayHooks } from './play.js';
import { WorkerPool } from './pool.js';

export const DEFAULT_RUN = {
  game: 'catch',
  agentDir: join(PACKAGE_ROOT, 'agents', 'catch-dqn'),
  /**
   * Episodes of every (defense, lambda) in the first round: few enough that settings with
   * little spread stop early, enough that the sample standard deviation the first
   * interval rests on is not a fluke of two or three episodes.
   */
  episodes: 8,
  /** Added per round to a setting whose 95% CI is still too wide... */
  step: 4,
  /** ...up to this many episodes. */
  maxEpisodes: 40,
  /** The CI's full width (2 x half-width) must be below this fraction of the clean score. */
  ciWidthFraction: 0.25,
  /** Results and figures, relative to the working directory. */
  out: join('results', 'default', 'catch-dqn.csv'),
  plotDir: join('results', 'default'),
  /** Episodes run in parallel: one worker thread per core. */
  workers: (): number => availableParallelism(),
} as const;

export interface PrecisionOptions {
  readonly step: number;
  readonly maxEpisodes: number;
  readonly ciWidthFraction: number;
}

/** The settings whose 95% CI is at least `fraction` x the clean score wide and may get more episodes. */
export function tooWide(summaries: readonly SettingSummary[], clean: number, o: PrecisionOptions): SettingSummary[] {
  const limit = o.ciWidthFraction * Math.abs(clean);
  return summaries.filter((s) => s.n < o.maxEpisodes && !(2 * s.ci95 < limit));
}

/** The clean score of a run: the mean of the dense, lambda 0 setting (NaN without one). */
export function cleanScore(summaries: readonly SettingSummary[]): number {
  return summaries.find((s) => s.defense === 'dense' && s.lambda === 0)?.mean ?? NaN;
}

/**
 * `runPlay` with `cfg.episodes` per setting, then more episodes for the settings whose CI is
 * still too wide (see above). Returns the rows of every setting, old and new.
 */
export async function runPlayToPrecision(cfg: PlayConfig, o: PrecisionOptions, hooks: PlayHooks = {}): Promise<ResultRow[]> {
  if (cfg.pool || (cfg.workers ?? 1) <= 1) return playToPrecision(cfg, o, hooks);
  // One pool for every round: its threads start once.
  const pool = new WorkerPool({ workers: cfg.workers!, tfBackend: cfg.tfBackend });
  try {
    return await playToPrecision({ ...cfg, pool }, o, hooks);
  } finally {
    await pool.close();
  }
}

async function playToPrecision(cfg: PlayConfig, o: PrecisionOptions, hooks: PlayHooks): Promise<ResultRow[]> {
  const rows = new Map<string, ResultRow>();
  const add = (list: readonly ResultRow[]) => list.forEach((r) => rows.set(episodeKey(r), r));
  add(await runPlay(cfg, hooks));
  for (;;) {
    const summaries = summarise([...rows.values()]);
    const clean = cleanScore(summaries);
    const wide = Number.isFinite(clean) && clean !== 0 ? tooWide(summaries, clean, o) : [];
    if (wide.length === 0) return [...rows.values()];
    // One round: the new episodes of every wide setting together.
    const round = wide.map((s) => ({ ...cfg, defenses: [parseDefense(s.defense)], lambdas: [s.lambda], episodes: Math.min(o.maxEpisodes, s.n + o.step) }));
    add(await runPlayJobs({ ...cfg, defenses: round.flatMap((c) => c.defenses) }, (game) => round.flatMap((c) => playJobs(c, game)), hooks));
  }
}
