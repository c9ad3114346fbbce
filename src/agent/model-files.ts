/**
 * A tfjs LayersModel on disk in the standard layout (`model.json` + weight
 * shards), read and written over node:fs. Plain @tensorflow/tfjs has no file://
 * handler in Node, so these stand in for tfjs-node's.
 *
 * Reading checks everything a damaged or hand-edited directory can get wrong and
 * names the file: missing model.json or shards, shard paths leaving the
 * directory, byte lengths that differ from the manifest, weights whose names or
 * shapes do not fit the topology.
 */
import * as tf from '@tensorflow/tfjs';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { UserError } from '../cli/errors.js';

export const MODEL_JSON = 'model.json';
/** Single shard, named as tfjs converters name them. */
export const WEIGHTS_FILE = 'group1-shard1of1.bin';

const BYTES_PER_VALUE: Readonly<Record<string, number>> = { float32: 4, int32: 4 };

/** Write `model.json` and the weights into `dir` (which must exist). Returns the file names. */
export async function writeModelFiles(dir: string, model: tf.LayersModel): Promise<string[]> {
  let artifacts: tf.io.ModelArtifacts | undefined;
  await model.save(
    tf.io.withSaveHandler(async (a) => {
      artifacts = a;
      return { modelArtifactsInfo: tf.io.getModelArtifactsInfoForJSON(a) };
    }),
  );
  if (!artifacts?.weightData || !artifacts.weightSpecs) throw new Error('tfjs returned no weights to save');
  const data = tf.io.CompositeArrayBuffer.join(artifacts.weightData);
  const json: tf.io.ModelJSON = {
    modelTopology: artifacts.modelTopology as object,
    format: artifacts.format,
    generatedBy: artifacts.generatedBy,
    convertedBy: null,
    weightsManifest: [{ paths: [WEIGHTS_FILE], weights: artifacts.weightSpecs }],
  };
  await writeFile(join(dir, MODEL_JSON), JSON.stringify(json));
  await writeFile(join(dir, WEIGHTS_FILE), new Uint8Array(data));
  return [MODEL_JSON, WEIGHTS_FILE];
}

/** Read and check `dir/model.json` and its shards, then build the model with its weights. */
export async function readModelFiles(dir: string): Promise<tf.LayersModel> {
  const file = join(dir, MODEL_JSON);
  if (!existsSync(file)) throw new UserError(`${file} is missing; an agent directory needs model.json and its weight files.`);
  let json: tf.io.ModelJSON;
  try {
    json = JSON.parse(readFileSync(file, 'utf8')) as tf.io.ModelJSON;
  } catch (e) {
    throw new UserError(`${file}: not valid JSON (${(e as Error).message}).`);
  }
  if (typeof json !== 'object' || json === null || typeof json.modelTopology !== 'object' || json.modelTopology === null) {
    throw new UserError(`${file}: no 'modelTopology'; is this a TensorFlow.js layers model?`);
  }
  if (!Array.isArray(json.weightsManifest)) throw new UserError(`${file}: no 'weightsManifest' listing the weight files.`);

  const specs: tf.io.WeightsManifestEntry[] = [];
  const chunks: Uint8Array[] = [];
  for (const group of json.weightsManifest) {
    const groupSpecs = Array.isArray(group?.weights) ? group.weights : [];
    let expected = 0;
    for (const w of groupSpecs) {
      const size = BYTES_PER_VALUE[w.dtype];
      if (!size || w.quantization || !Array.isArray(w.shape)) {
        throw new UserError(`${file}: weight '${w.name}' is quantized or of unsupported type '${w.dtype}'; only float32/int32 weights are read.`);
      }
      expected += size * w.shape.reduce((a, b) => a * b, 1);
    }
    let actual = 0;
    const paths: unknown[] = Array.isArray(group?.paths) ? group.paths : [];
    for (const p of paths) {
      const shard = shardPath(dir, p, file);
      actual += statSync(shard).size;
      chunks.push(readFileSync(shard));
    }
    if (actual !== expected) {
      const names = paths.map(String).join(', ');
      const what = actual < expected ? 'truncated' : 'longer than expected';
      throw new UserError(`${join(dir, names)}: weight data is ${what} (${actual} bytes, ${MODEL_JSON} declares ${expected}).`);
    }
    specs.push(...groupSpecs);
  }

  let model: tf.LayersModel;
  try {
    model = await tf.models.modelFromJSON({ modelTopology: json.modelTopology } as tf.io.ModelJSON);
  } catch (e) {
    throw new UserError(`${file}: cannot build the network from its topology (${(e as Error).message}).`);
  }
  checkWeightsFitModel(model, specs, file);
  const weights = tf.io.decodeWeights(concat(chunks), specs);
  model.loadWeights(weights, true);
  Object.values(weights).forEach((t) => t.dispose());
  return model;
}

/**
 * The files of the model in `dir`: model.json, then the weight shards its manifest lists
 * (relative to `dir`). A missing or unreadable model.json, or a shard outside the folder or
 * missing, is a UserError naming the file.
 */
export function modelFileNames(dir: string): string[] {
  const file = join(dir, MODEL_JSON);
  if (!existsSync(file)) throw new UserError(`${file} is missing; an agent directory needs model.json and its weight files.`);
  let json: tf.io.ModelJSON;
  try {
    json = JSON.parse(readFileSync(file, 'utf8')) as tf.io.ModelJSON;
  } catch (e) {
    throw new UserError(`${file}: not valid JSON (${(e as Error).message}).`);
  }
  if (!Array.isArray(json?.weightsManifest)) throw new UserError(`${file}: no 'weightsManifest' listing the weight files.`);
  const names = [MODEL_JSON];
  for (const group of json.weightsManifest) {
    const paths: unknown[] = Array.isArray(group?.paths) ? group.paths : [];
    for (const p of paths) names.push(relative(dir, shardPath(dir, p, file)));
  }
  return names;
}

/** A shard must be a file inside `dir`. */
function shardPath(dir: string, p: unknown, file: string): string {
  const path = typeof p === 'string' ? join(dir, p) : '';
  const rel = relative(dir, path);
  if (!path || rel.startsWith('..') || rel === '' || rel.includes('\0')) {
    throw new UserError(`${file}: weight file path ${JSON.stringify(p)} must name a file inside the agent directory.`);
  }
  if (!existsSync(path)) throw new UserError(`${path} is missing (listed in ${MODEL_JSON}).`);
  return path;
}

function checkWeightsFitModel(model: tf.LayersModel, specs: tf.io.WeightsManifestEntry[], file: string): void {
  const byName = new Map(specs.map((s) => [s.name, s]));
  for (const w of model.weights) {
    const s = byName.get(w.originalName);
    if (!s) throw new UserError(`${file}: the weights manifest has no entry for '${w.originalName}'.`);
    if (s.shape.length !== w.shape.length || s.shape.some((d, i) => d !== w.shape[i])) {
      throw new UserError(
        `${file}: weight '${w.originalName}' has shape [${s.shape.join(', ')}] but the network needs [${w.shape.join(', ')}].`,
      );
    }
    byName.delete(w.originalName);
  }
  const extra = [...byName.keys()];
  if (extra.length > 0) throw new UserError(`${file}: the weights manifest lists weights the network does not have: ${extra.join(', ')}.`);
}

function concat(chunks: Uint8Array[]): ArrayBuffer {
  const total = chunks.reduce((a, c) => a + c.length, 0);
  const out = new Uint8Array(total);
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.length;
  }
  return out.buffer;
}
