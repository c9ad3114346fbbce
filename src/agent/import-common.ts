/** Steps shared by the importers: read the file, convert, describe, save. */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { UserError } from '../cli/errors.js';
import { AGENT_FORMAT_VERSION, type AgentSpec } from './agent-spec.js';
import { saveAgent, type Agent } from './agent-store.js';
import { gameId, minimalActions } from './minimal-actions.js';
import { natureCnnFromTorch, type TorchNatureCnnKeys } from './torch-nature-cnn.js';
import type { StateDict } from './torch/state-dict.js';
import { ensureTf } from './tf-backend.js';

export interface ImportOptions {
  /** Game id, e.g. "pong" (selects the minimal action set). */
  readonly game: string;
  /** Agent directory to create. */
  readonly out: string;
  /** Replace an existing agent directory. */
  readonly overwrite?: boolean;
}

export function readCheckpoint(file: string): Uint8Array {
  if (!existsSync(file) || !statSync(file).isFile()) throw new UserError(`${file}: no such checkpoint file.`);
  return readFileSync(file);
}

export interface ConvertedCheckpoint {
  readonly file: string;
  readonly bytes: Uint8Array;
  readonly stateDict: StateDict;
  readonly keys: TorchNatureCnnKeys;
  readonly format: 'cleanrl' | 'sb3';
  readonly formatName: string;
  readonly scaleInside: boolean;
}

/** Convert a Nature-CNN state_dict into an agent directory and return the saved agent. */
export async function saveImportedAgent(c: ConvertedCheckpoint, opts: ImportOptions): Promise<Agent> {
  await ensureTf();
  const game = gameId(opts.game);
  const actions = minimalActions(game);
  const { model, frameStack } = natureCnnFromTorch(c.stateDict, c.keys, {
    file: c.file,
    formatName: c.formatName,
    game,
    actions,
    scaleInside: c.scaleInside,
  });
  const spec: AgentSpec = {
    formatVersion: AGENT_FORMAT_VERSION,
    game,
    actions,
    observation: { frameStack, height: 84, width: 84, layout: 'NHWC', scaleInside: c.scaleInside },
    provenance: {
      kind: 'imported',
      source: resolve(c.file),
      format: c.format,
      date: new Date().toISOString(),
      sourceSha256: createHash('sha256').update(c.bytes).digest('hex'),
    },
    cleanScore: null,
  };
  try {
    await saveAgent(opts.out, model, spec, { overwrite: opts.overwrite ?? false });
  } catch (e) {
    model.dispose();
    throw e;
  }
  return { dir: opts.out, spec, model };
}
