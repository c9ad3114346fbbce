/**
 * `agent.json`: what a saved network is for and where it came from.
 *
 * {
 *   "formatVersion": 1,
 *   "game": "pong",
 *   "actions": [0, 1, 3, 4, 11, 12],      // output i of the network is ALE action actions[i]
 *   "observation": { "frameStack": 4, "height": 84, "width": 84, "layout": "NHWC", "scaleInside": true },
 *   "provenance": { "kind": "imported", "format": "cleanrl", "source": "/abs/path/run.cleanrl_model",
 *                   "sourceSha256": "...", "date": "2025-01-01T00:00:00.000Z" },
 *   "cleanScore": { "mean": 20.1, "std": 0.9, "episodes": 30 }   // or null / absent: not measured
 * }
 *
 * Pixels outside the network are always uint8 0..255; `scaleInside` says whether
 * the network divides by 255 itself. `layout` is the layout the tfjs model
 * consumes (N x height x width x frameStack); PyTorch agents take N x frameStack x H x W.
 */
import { z } from 'zod';
import { UserError } from '../cli/errors.js';

export const AGENT_FORMAT_VERSION = 1;

const int = z.number().int();

const observationSchema = z
  .object({
    frameStack: int.positive(),
    height: int.positive(),
    width: int.positive(),
    layout: z.literal('NHWC'),
    scaleInside: z.boolean(),
  })
  .strict();

const provenanceSchema = z
  .object({
    kind: z.enum(['imported', 'trained']),
    /** The file an agent was imported from, or the command that trained it. */
    source: z.string().min(1),
    /** e.g. "cleanrl", "sb3", "sap-rl". */
    format: z.string().min(1),
    /** ISO 8601 date-time. */
    date: z.string().datetime({ offset: true }),
    sourceSha256: z.string().regex(/^[0-9a-f]{64}$/).optional(),
  })
  .strict();

const cleanScoreSchema = z
  .object({ mean: z.number().finite(), std: z.number().finite().nonnegative(), episodes: int.positive() })
  .strict();

export const agentSpecSchema = z
  .object({
    formatVersion: z.literal(AGENT_FORMAT_VERSION),
    game: z.string().regex(/^[a-z0-9][a-z0-9_]*$/, 'a lower-case game id such as "pong" or "space_invaders"'),
    actions: z
      .array(int.min(0).max(17))
      .min(1)
      .refine((a) => new Set(a).size === a.length, 'action ids must not repeat'),
    observation: observationSchema,
    provenance: provenanceSchema,
    cleanScore: cleanScoreSchema.nullable().optional(),
  })
  .strict();

export type AgentSpec = z.infer<typeof agentSpecSchema>;
export type ObservationSpec = AgentSpec['observation'];
export type Provenance = AgentSpec['provenance'];

/** Validate a parsed agent.json; `file` is named in the error. */
export function parseAgentSpec(json: unknown, file: string): AgentSpec {
  const version = (json as { formatVersion?: unknown } | null)?.formatVersion;
  if (typeof version === 'number' && version > AGENT_FORMAT_VERSION) {
    throw new UserError(`${file}: written in agent format ${version} by a newer sap-rl; this one reads format ${AGENT_FORMAT_VERSION}.`);
  }
  const r = agentSpecSchema.safeParse(json);
  if (r.success) return r.data;
  const issue = r.error.issues[0]!;
  const where = issue.path.length > 0 ? ` at '${issue.path.join('.')}'` : '';
  throw new UserError(`${file}: invalid agent description${where}: ${issue.message}.`);
}
