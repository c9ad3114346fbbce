/**
 * An agent directory (`agents/<name>/`): `agent.json` (see agent-spec.ts) plus a
 * tfjs LayersModel (`model.json` + weights, see model-files.ts).
 */
import type * as tf from '@tensorflow/tfjs';
import { existsSync, readFileSync } from 'node:fs';
import { mkdir, mkdtemp, open, rename, rm, writeFile } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { UserError } from '../cli/errors.js';
import { parseAgentSpec, type AgentSpec } from './agent-spec.js';
import { readModelFiles, writeModelFiles, MODEL_JSON } from './model-files.js';
import { fusedActivationLayers } from './relu-layers.js';
import { ensureTf } from './tf-backend.js';

export const AGENT_JSON = 'agent.json';

export interface Agent {
  readonly dir: string;
  readonly spec: AgentSpec;
  /** Input N x height x width x frameStack (0..255 values), output N x actions.length Q-values. */
  readonly model: tf.LayersModel;
}

/** Load and validate an agent directory. Every problem is a UserError naming the file. */
export async function loadAgent(dir: string): Promise<Agent> {
  await ensureTf();
  if (!existsSync(dir)) throw new UserError(`${dir}: no such agent directory.`);
  const specFile = join(dir, AGENT_JSON);
  if (!existsSync(specFile)) throw new UserError(`${specFile} is missing; every agent directory needs one.`);
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(specFile, 'utf8'));
  } catch (e) {
    throw new UserError(`${specFile}: not valid JSON (${(e as Error).message}).`);
  }
  const spec = parseAgentSpec(json, specFile);
  const model = await readModelFiles(dir);
  try {
    checkModelMatchesSpec(model, spec, dir);
  } catch (e) {
    model.dispose();
    throw e;
  }
  return { dir, spec, model };
}

/** The network's shapes and structure must match what agent.json declares. */
export function checkModelMatchesSpec(model: tf.LayersModel, spec: AgentSpec, dir: string): void {
  const modelFile = join(dir, MODEL_JSON);
  const specFile = join(dir, AGENT_JSON);
  const { frameStack, height, width } = spec.observation;
  const inShape = model.inputs.length === 1 ? model.inputs[0]!.shape : undefined;
  const wantIn = [null, height, width, frameStack];
  if (!inShape || inShape.length !== 4 || inShape.some((d, i) => d !== wantIn[i])) {
    throw new UserError(
      `${modelFile}: the network takes input [${fmt(inShape)}] but ${specFile} declares N x ${height} x ${width} x ${frameStack} (NHWC).`,
    );
  }
  const outShape = model.outputs.length === 1 ? model.outputs[0]!.shape : undefined;
  if (!outShape || outShape.length !== 2 || outShape[1] !== spec.actions.length) {
    throw new UserError(
      `${modelFile}: the network outputs [${fmt(outShape)}] Q-values but ${specFile} lists ${spec.actions.length} actions.`,
    );
  }
  const fused = fusedActivationLayers(model);
  if (fused.length > 0) {
    const f = fused[0]!;
    throw new UserError(
      `${modelFile}: layer '${f.layer}' applies '${f.activation}' inside itself; activations must be separate layers so defenses can wrap them.`,
    );
  }
}

export interface SaveAgentOptions {
  /** Replace an existing agent at `dir`; otherwise an existing directory is an error. */
  readonly overwrite?: boolean;
  /** More files to place in the folder (e.g. a training curve), written with the rest. */
  readonly extraFiles?: Readonly<Record<string, string | Uint8Array>>;
}

/**
 * Save atomically: everything is written (and fsynced) into a temporary sibling
 * directory that is then renamed to `dir`, so a crash never leaves a half-written agent.
 */
export async function saveAgent(dir: string, model: tf.LayersModel, spec: AgentSpec, opts: SaveAgentOptions = {}): Promise<void> {
  await ensureTf();
  const target = resolve(dir);
  const specFile = join(target, AGENT_JSON);
  const checked = parseAgentSpec(spec, specFile);
  checkModelMatchesSpec(model, checked, target);
  if (existsSync(target) && !opts.overwrite) {
    throw new UserError(`${dir} already exists; choose another --out, or pass --overwrite to replace it.`);
  }

  const parent = dirname(target);
  await mkdir(parent, { recursive: true });
  const tmp = await mkdtemp(join(parent, `.${basename(target)}.tmp-`));
  try {
    const files = await writeModelFiles(tmp, model);
    await writeFile(join(tmp, AGENT_JSON), JSON.stringify(checked, null, 2) + '\n');
    const extra = Object.entries(opts.extraFiles ?? {});
    for (const [name, data] of extra) await writeFile(join(tmp, name), data);
    for (const f of [...files, AGENT_JSON, ...extra.map(([name]) => name)]) await fsyncPath(join(tmp, f));
    if (existsSync(target)) {
      // Move the old agent aside first; rename cannot replace a non-empty directory.
      const old = `${tmp}.old`;
      await rename(target, old);
      await rename(tmp, target);
      await rm(old, { recursive: true, force: true });
    } else {
      await rename(tmp, target);
    }
    await fsyncPath(parent);
  } catch (e) {
    await rm(tmp, { recursive: true, force: true });
    throw e;
  }
}

async function fsyncPath(path: string): Promise<void> {
  const h = await open(path, 'r');
  try {
    await h.sync();
  } finally {
    await h.close();
  }
}

function fmt(shape: readonly (number | null)[] | undefined): string {
  return shape ? shape.map((d) => (d === null ? 'N' : String(d))).join(', ') : '?';
}
