// The `sap-rl batch` config: a YAML file with a list of runs (a game and an agent each)
// that share defaults (defenses, attacks, lambdas, seeds, episodes...). It is validated
// with zod; the first problem becomes one sentence naming the file and the field's path
// (e.g. `runs[0].lambdas[2]`). Paths in the file are relative to the file.
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { parse as parseYaml, YAMLParseError } from 'yaml';
import { z } from 'zod';
import { TF_BACKENDS } from '../agent/tf-backend.js';
import { ATTACKS } from '../attack/index.js';
import { GAMES, findGame } from '../atari/games/index.js';
import { UserError } from '../cli/errors.js';
import { parseDefense } from '../defense/index.js';
import { BACKEND_NAMES } from '../env/backend.js';
import { DEFAULT_BACKEND } from '../env/backends/index.js';
import { PERTURB_MODES } from './episode.js';

const must = (what: string) => ({ invalid_type_error: `must be ${what}`, required_error: `is missing (${what})` });
const int = (what: string, min: number, max = Number.MAX_SAFE_INTEGER) =>
  z.number(must(what)).int(`must be ${what}`).min(min, `must be ${what}`).max(max, `must be ${what}`);
const oneOf = <T extends string>(values: readonly [T, ...T[]]) =>
  z.enum(values, { errorMap: () => ({ message: `must be one of ${values.join(', ')}` }) });
const list = <T extends z.ZodTypeAny>(item: T, what: string) =>
  z.array(item, must(`a list of ${what}`)).min(1, `must list at least one of ${what}`);
const path = (what: string) => z.string(must(what)).min(1, `must be ${what}`);

const defenseSpec = z.string(must('a defense such as dense or sap:1.0')).superRefine((spec, ctx) => {
  try {
    parseDefense(spec, 'defense');
  } catch (e) {
    ctx.addIssue({ code: z.ZodIssueCode.custom, message: (e as Error).message.replace(/^defense: /, 'is not a defense: ').replace(/\.$/, '') });
  }
});

/** `fgsm`, or `{ name: pgd, eot: 10, steps: 20, alpha: 0.5 }`. */
const attackSchema = z.preprocess(
  (v) => (typeof v === 'string' ? { name: v } : v),
  z
    .object(
      {
        name: oneOf(ATTACKS),
        eot: int('an integer number of samples per gradient in 1..1000', 1, 1000).optional(),
        steps: int('an integer number of PGD steps in 1..10000', 1, 10000).optional(),
        alpha: z
          .number(must('a PGD step in pixels, > 0 and <= 255'))
          .gt(0, 'must be a PGD step in pixels, > 0 and <= 255')
          .max(255, 'must be a PGD step in pixels, > 0 and <= 255')
          .optional(),
      },
      must('an attack name (none, fgsm, pgd, noise) or a mapping with name, eot, steps, alpha'),
    )
    .strict(),
);

/** What a run can set, and `defaults` gives every run. */
const settingsShape = {
  defenses: list(defenseSpec, 'defenses (dense, sap:TAU, dropout:P, rna:SIGMA)').optional(),
  attacks: list(attackSchema, 'attacks (none, fgsm, pgd, noise)').optional(),
  lambdas: list(z.number(must('a number of pixels in 0..255')).min(0, 'must be a number of pixels in 0..255').max(255, 'must be a number of pixels in 0..255'), 'lambdas').optional(),
  seeds: list(int('an integer seed >= 0', 0, 2 ** 32 - 1), 'seeds').optional(),
  episodes: int('an integer number of episodes per seed and setting, >= 1', 1).optional(),
  perturb: oneOf(PERTURB_MODES as readonly ['frame', 'stack']).optional(),
  backend: oneOf(BACKEND_NAMES as unknown as readonly ['js', 'ale-py']).optional(),
  'max-frames': int('an integer number of frames >= 1', 1).optional(),
};
const settingsSchema = z.object(settingsShape, must('a mapping of settings shared by every run')).strict();

const runSchema = z
  .object(
    {
      game: z
        .string(must(`a game id (${GAMES.map((g) => g.id).join(', ')})`))
        .refine((g) => findGame(g) !== undefined, `must be a supported game (${GAMES.map((g) => g.id).join(', ')})`),
      agent: path('the agent folder, relative to this file'),
      ...settingsShape,
    },
    must('a mapping with game, agent and optional settings'),
  )
  .strict();

const configSchema = z
  .object(
    {
      out: path('the results CSV, relative to this file').optional(),
      'tf-backend': oneOf(TF_BACKENDS).optional(),
      'rom-dir': path('a folder of ROMs, relative to this file').optional(),
      workers: int('an integer number of worker threads >= 1', 1).optional(),
      defaults: settingsSchema.optional(),
      runs: list(runSchema, 'runs (each with game and agent)'),
    },
    must("a mapping with a 'runs' list"),
  )
  .strict();

export type RawBatchConfig = z.infer<typeof configSchema>;
export type RawRun = z.infer<typeof runSchema>;
export type RawAttack = z.infer<typeof attackSchema>;

/** The settings a run gets when neither it nor `defaults` sets them (those of `sap-rl play`). */
export const BUILTIN_DEFAULTS = {
  defenses: ['dense', 'sap:1.0'],
  attacks: [{ name: 'fgsm' }] as RawAttack[],
  lambdas: [0, 1, 2, 4, 8],
  seeds: [0],
  episodes: 10,
  perturb: 'stack',
  backend: DEFAULT_BACKEND,
  'max-frames': 108_000,
} as const;

const FIELDS: Record<string, readonly string[]> = {
  top: Object.keys(configSchema.shape),
  settings: Object.keys(settingsShape),
  run: Object.keys(runSchema.shape),
  attack: ['name', 'eot', 'steps', 'alpha'],
};

/** `runs[0].lambdas[2]` */
export function formatPath(p: readonly (string | number)[]): string {
  return p.map((k, i) => (typeof k === 'number' ? `[${k}]` : i === 0 ? k : `.${k}`)).join('');
}

function valueAt(input: unknown, p: readonly (string | number)[]): unknown {
  let v = input;
  for (const k of p) v = v !== null && typeof v === 'object' ? (v as Record<string | number, unknown>)[k] : undefined;
  return v;
}

function show(v: unknown): string {
  const s = typeof v === 'string' ? `'${v}'` : JSON.stringify(v) ?? String(v);
  return s.length > 40 ? `${s.slice(0, 37)}...` : s;
}

function fieldsAt(p: readonly (string | number)[]): readonly string[] {
  if (p.length === 0) return FIELDS['top']!;
  if (p.includes('attacks')) return FIELDS['attack']!;
  if (p[0] === 'defaults') return FIELDS['settings']!;
  return FIELDS['run']!;
}

/** One sentence for the first problem zod found. */
export function describeIssue(issue: z.ZodIssue, input: unknown): string {
  const where = issue.path.length ? formatPath(issue.path) : 'the config';
  if (issue.code === z.ZodIssueCode.unrecognized_keys) {
    const keys = issue.keys.map((k) => `'${k}'`).join(', ');
    return `${where} has unknown field${issue.keys.length > 1 ? 's' : ''} ${keys}; the fields there are ${fieldsAt(issue.path).join(', ')}`;
  }
  const value = valueAt(input, issue.path);
  if (value === undefined) return `${where} ${issue.message.startsWith('is missing') ? issue.message : `is missing (it ${issue.message})`}`;
  if (issue.code === z.ZodIssueCode.custom && issue.message.startsWith('is not')) return `${where} ${issue.message}`;
  return `${where} ${issue.message}, not ${show(value)}`;
}

/** Reads and validates a config file; every problem is a UserError naming the file and the field. */
export function readBatchConfig(file: string): RawBatchConfig {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new UserError(`config ${file} cannot be read (${(err as NodeJS.ErrnoException).code ?? err}); give the path of a YAML sweep file`);
  }
  let input: unknown;
  try {
    input = parseYaml(text);
  } catch (err) {
    if (err instanceof YAMLParseError) throw new UserError(`${file}: not valid YAML: ${err.message.split('\n')[0]!.replace(/:$/, '')}`);
    throw err;
  }
  const r = configSchema.safeParse(input);
  if (!r.success) throw new UserError(`${file}: ${describeIssue(r.error.issues[0]!, input)}`);
  return r.data;
}

/** A run with its defaults filled in; paths resolved against the config's folder. */
export interface ResolvedRun {
  /** Where it came from in the file, e.g. `runs[2]`. */
  readonly where: string;
  /** The game id as written and canonical. */
  readonly gameAsWritten: string;
  readonly game: string;
  readonly agentAsWritten: string;
  /** Absolute agent folder. */
  readonly agentDir: string;
  readonly defenses: readonly string[];
  readonly attacks: readonly RawAttack[];
  readonly lambdas: readonly number[];
  readonly seeds: readonly number[];
  readonly episodes: number;
  readonly perturb: 'frame' | 'stack';
  readonly backend: 'js' | 'ale-py';
  readonly maxFrames: number;
}

export function resolveRuns(cfg: RawBatchConfig, file: string): ResolvedRun[] {
  const base = dirname(resolve(file));
  const d = { ...BUILTIN_DEFAULTS, ...stripUndefined(cfg.defaults ?? {}) };
  return cfg.runs.map((run, i) => {
    const s = { ...d, ...stripUndefined(run) };
    return {
      where: `runs[${i}]`,
      gameAsWritten: run.game,
      game: findGame(run.game)!.id,
      agentAsWritten: run.agent,
      agentDir: resolve(base, run.agent),
      defenses: s.defenses.map((spec) => parseDefense(spec).spec),
      attacks: s.attacks,
      lambdas: s.lambdas,
      seeds: s.seeds,
      episodes: s.episodes,
      perturb: s.perturb,
      backend: s.backend,
      maxFrames: s['max-frames'],
    };
  });
}

function stripUndefined<T extends object>(o: T): { [K in keyof T]-?: Exclude<T[K], undefined> } {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as { [K in keyof T]-?: Exclude<T[K], undefined> };
}
