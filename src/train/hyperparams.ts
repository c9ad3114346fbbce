/**
 * Every knob of the DQN trainer in one typed object (CleanRL style), with defaults.
 *
 * The defaults follow CleanRL's dqn_atari (Adam 1e-4, batch 32, gamma 0.99, one update
 * every 4 agent steps, target network copied every 1000 steps, epsilon 1 -> 0.01 over
 * the first 10% of the run), with Double DQN targets and the Huber loss (as
 * Stable-Baselines3). Two of CleanRL's settings are sized for 10M-step runs, so here they
 * scale down with shorter runs: the replay buffer holds min(1M, total steps) frames and
 * learning starts after min(80k, 5% of the run) steps. That makes the same defaults work
 * for a 10M-step Atari run and for a 100k-step run on our own game.
 */
import { z } from 'zod';
import { UserError } from '../cli/errors.js';

const posInt = z.number().int().positive();

export const architectureSchema = z.union([
  z.literal('nature'),
  z
    .object({
      /** Conv layers (valid padding), each followed by a ReLU. */
      convs: z.array(z.object({ filters: posInt, kernel: posInt, stride: posInt }).strict()).min(1),
      /** Hidden dense layers after the flatten, each followed by a ReLU. */
      hidden: z.array(posInt),
    })
    .strict(),
]);
export type Architecture = z.infer<typeof architectureSchema>;

export const hyperparamsSchema = z
  .object({
    architecture: architectureSchema,
    learningRate: z.number().positive(),
    adamEps: z.number().positive(),
    gamma: z.number().min(0).max(1),
    batchSize: posInt,
    /** Frames the replay buffer holds; null: min(1M, total steps). */
    bufferSize: posInt.nullable(),
    /** Agent steps of random actions before the first update; null: min(80k, 5% of the run). */
    learningStarts: z.number().int().nonnegative().nullable(),
    /** One gradient update every this many agent steps. */
    trainFrequency: posInt,
    /** Copy the online network into the target network every this many agent steps. */
    targetUpdateInterval: posInt,
    double: z.boolean(),
    maxGradNorm: z.number().positive().nullable(),
    epsilonStart: z.number().min(0).max(1),
    epsilonEnd: z.number().min(0).max(1),
    /** Fraction of the run over which epsilon falls linearly from start to end. */
    explorationFraction: z.number().min(0).max(1),
    /** Rewards clipped to -1, 0, 1 for learning (the curves report the raw return). */
    clipRewards: z.boolean(),
    /** A lost life ends bootstrapping (the game goes on), as CleanRL's EpisodicLifeEnv. */
    lifeLossTerminal: z.boolean(),
    /** Greedy evaluation every this many agent steps (0: never), over this many episodes. */
    evalInterval: z.number().int().nonnegative(),
    evalEpisodes: posInt,
    evalEpsilon: z.number().min(0).max(1),
    /** Write a checkpoint at the first episode end after every this many agent steps. */
    checkpointInterval: posInt,
  })
  .strict();

export type Hyperparams = z.infer<typeof hyperparamsSchema>;

export const DEFAULT_HYPERPARAMS: Hyperparams = {
  architecture: 'nature',
  learningRate: 1e-4,
  adamEps: 1e-8,
  gamma: 0.99,
  batchSize: 32,
  bufferSize: null,
  learningStarts: null,
  trainFrequency: 4,
  targetUpdateInterval: 1000,
  double: true,
  maxGradNorm: null,
  epsilonStart: 1,
  epsilonEnd: 0.01,
  explorationFraction: 0.1,
  clipRewards: true,
  lifeLossTerminal: true,
  evalInterval: 10_000,
  evalEpisodes: 5,
  evalEpsilon: 0,
  checkpointInterval: 10_000,
};

/** The hyperparameters with the run-size-dependent defaults filled in. */
export interface ResolvedHyperparams extends Hyperparams {
  bufferSize: number;
  learningStarts: number;
}

export function resolveHyperparams(h: Hyperparams, totalSteps: number): ResolvedHyperparams {
  return {
    ...h,
    bufferSize: h.bufferSize ?? Math.max(1000, Math.min(1_000_000, totalSteps)),
    learningStarts: h.learningStarts ?? Math.min(80_000, Math.floor(totalSteps * 0.05)),
  };
}

/** Linear epsilon schedule: start -> end over explorationFraction of the run, then end. */
export function epsilonAt(h: Hyperparams, step: number, totalSteps: number): number {
  const span = h.explorationFraction * totalSteps;
  if (span <= 0) return h.epsilonEnd;
  const f = Math.min(1, step / span);
  return h.epsilonStart + f * (h.epsilonEnd - h.epsilonStart);
}

/** Defaults overridden by a partial object (e.g. from --hparams); `source` is named in errors. */
export function parseHyperparams(overrides: unknown, source: string): Hyperparams {
  const r = hyperparamsSchema.partial().strict().safeParse(overrides ?? {});
  if (!r.success) {
    const issue = r.error.issues[0]!;
    const where = issue.path.length > 0 ? ` at '${issue.path.join('.')}'` : '';
    throw new UserError(`${source}: invalid hyperparameters${where}: ${issue.message}.`);
  }
  return { ...DEFAULT_HYPERPARAMS, ...r.data };
}
