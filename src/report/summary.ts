// Per-setting summaries of episode rewards: mean, sample standard deviation and a 95%
// confidence interval for the mean from Student's t distribution.
import type { ResultRow } from './results-schema.js';

// Two-sided 95% quantiles t_{0.975, df} for df = 1..30 (standard tables).
const T975 = [
  12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228, 2.201, 2.179, 2.16, 2.145, 2.131, 2.12, 2.11, 2.101,
  2.093, 2.086, 2.08, 2.074, 2.069, 2.064, 2.06, 2.056, 2.052, 2.048, 2.045, 2.042,
];

/** t_{0.975, df}; beyond the table, the Cornish-Fisher expansion around the normal quantile. */
export function tQuantile975(df: number): number {
  if (df < 1) return NaN;
  if (df <= 30) return T975[Math.round(df) - 1]!;
  const z = 1.959963984540054;
  const z3 = z ** 3;
  const z5 = z ** 5;
  return z + (z3 + z) / (4 * df) + (5 * z5 + 16 * z3 + 3 * z) / (96 * df * df);
}

export interface Stats {
  n: number;
  mean: number;
  std: number;
  /** Half-width of the 95% CI of the mean (NaN for n < 2). */
  ci95: number;
}

export function stats(values: readonly number[]): Stats {
  const n = values.length;
  const mean = n ? values.reduce((a, b) => a + b, 0) / n : NaN;
  const std = n > 1 ? Math.sqrt(values.reduce((a, v) => a + (v - mean) ** 2, 0) / (n - 1)) : n === 1 ? 0 : NaN;
  const ci95 = n > 1 ? (tQuantile975(n - 1) * std) / Math.sqrt(n) : NaN;
  return { n, mean, std, ci95 };
}

export interface SettingSummary extends Stats {
  game: string;
  agent: string;
  defense: string;
  attack: string;
  lambda: number;
  eot: number;
  perturb: string;
}

/** The defense as written on the command line: dense, sap:1.0, dropout:0.1... */
export function defenseLabel(row: Pick<ResultRow, 'defense' | 'defense_param'>): string {
  return row.defense_param === '' ? row.defense : `${row.defense}:${row.defense_param}`;
}

/** Groups rows by setting (game, agent, defense, attack, lambda, eot, perturb), in first-seen order. */
export function summarise(rows: readonly ResultRow[]): SettingSummary[] {
  const groups = new Map<string, { row: ResultRow; rewards: number[] }>();
  for (const r of rows) {
    const key = [r.game, r.agent, defenseLabel(r), r.attack, r.lambda, r.eot, r.perturb].join('|');
    let g = groups.get(key);
    if (!g) groups.set(key, (g = { row: r, rewards: [] }));
    g.rewards.push(r.reward);
  }
  return [...groups.values()].map(({ row, rewards }) => ({
    game: row.game,
    agent: row.agent,
    defense: defenseLabel(row),
    attack: row.attack,
    lambda: row.lambda,
    eot: row.eot,
    perturb: row.perturb,
    ...stats(rewards),
  }));
}
