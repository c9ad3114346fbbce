// The results CSV: one row per finished episode, the same schema for `play`, `batch`
// and `collect`, so any of them can be summarised and plotted together.

export const RESULT_COLUMNS = [
  'time',
  'game',
  'agent',
  'defense',
  'defense_param',
  'attack',
  'lambda',
  'eot',
  'pgd_steps',
  'pgd_alpha',
  'perturb',
  'seed',
  'episode',
  'max_frames',
  'reward',
  'agent_steps',
  'frames',
  'truncated',
  'seconds',
  'env_backend',
  'tf_backend',
  'sap_rl_version',
] as const;

export type ResultColumn = (typeof RESULT_COLUMNS)[number];

export interface ResultRow {
  /** ISO time the episode ended. */
  time: string;
  game: string;
  /** Agent folder name. */
  agent: string;
  /** Defense name: dense, sap, dropout, rna... */
  defense: string;
  /** Its parameter (tau, p, sigma), empty for dense. */
  defense_param: string;
  attack: string;
  lambda: number;
  eot: number;
  /** PGD iterations; 0 for the other attacks. */
  pgd_steps: number;
  /** PGD step in pixels (the default one resolved); 0 for the other attacks. */
  pgd_alpha: number;
  perturb: string;
  seed: number;
  episode: number;
  /** The episode frame limit it was played under (ALE's max_num_frames_per_episode). */
  max_frames: number;
  /** The game's own (unclipped) return. */
  reward: number;
  agent_steps: number;
  frames: number;
  truncated: boolean;
  seconds: number;
  env_backend: string;
  tf_backend: string;
  sap_rl_version: string;
}

/** The columns that identify one episode of a sweep: equal keys = the same episode. */
export const KEY_COLUMNS = [
  'game', 'agent', 'defense', 'defense_param', 'attack', 'lambda', 'eot', 'pgd_steps', 'pgd_alpha', 'perturb', 'seed', 'episode',
  'max_frames',
] as const;

export function episodeKey(row: Pick<ResultRow, (typeof KEY_COLUMNS)[number]>): string {
  return KEY_COLUMNS.map((c) => String(row[c])).join('|');
}
