/**
 * Training checkpoints: everything `sap-rl train --resume` needs to continue bit for bit.
 *
 * A checkpoint is a folder `checkpoint/` in the run's work folder with
 *   meta.json    counters, RNG state, the run's identity (to refuse a mismatched resume),
 *                and where each array lies in the two binary files;
 *   tensors.bin  float32 weights of the online and target networks and Adam's moments;
 *   replay.bin   the replay buffer's arrays.
 * It is written into a fresh sibling folder, fsynced, and renamed over the old one, so a
 * crash leaves either the old or the new checkpoint, never a mix.
 */
import { closeSync, existsSync, fsyncSync, openSync, readFileSync, renameSync, rmSync, writeFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { UserError } from '../cli/errors.js';
import { ensureDir } from '../util/ensure-dir.js';
import type { ReplayState } from './replay-buffer.js';

export const CHECKPOINT_VERSION = 1;

export interface ArrayRef {
  name: string;
  kind: 'f32' | 'f64' | 'i32' | 'u8';
  offset: number;
  length: number;
  shape?: number[];
}

/** The run a checkpoint belongs to; a resume must match it exactly. */
export interface RunIdentity {
  game: string;
  backend: string;
  seed: number;
  totalSteps: number;
  hyperparams: unknown;
}

export interface TrainCounters {
  step: number;
  episode: number;
  updates: number;
  evals: number;
  /** xoshiro128** state words of the trainer's generator. */
  rng: [number, number, number, number];
  adamStep: number;
  /** Returns of the last episodes (for the progress display). */
  recentReturns: number[];
}

export interface CheckpointData {
  identity: RunIdentity;
  counters: TrainCounters;
  online: Float32Array[];
  target: Float32Array[];
  adamM: Float32Array[];
  adamV: Float32Array[];
  shapes: number[][];
  replay: ReplayState;
}

type Typed = Float32Array | Float64Array | Int32Array | Uint8Array;

function kindOf(a: Typed): ArrayRef['kind'] {
  if (a instanceof Float32Array) return 'f32';
  if (a instanceof Float64Array) return 'f64';
  if (a instanceof Int32Array) return 'i32';
  return 'u8';
}

/** Writes arrays one after another (each 8-byte aligned) and returns where each went. */
function writeArrays(file: string, arrays: [string, Typed][]): ArrayRef[] {
  const fd = openSync(file, 'w');
  const refs: ArrayRef[] = [];
  let offset = 0;
  const zeros = new Uint8Array(8);
  try {
    for (const [name, a] of arrays) {
      const pad = (8 - (offset % 8)) % 8;
      if (pad) writeSync(fd, zeros, 0, pad);
      offset += pad;
      const bytes = new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
      // Large arrays in chunks: writeSync may write less than asked.
      for (let done = 0; done < bytes.length; ) done += writeSync(fd, bytes, done, Math.min(bytes.length - done, 1 << 28));
      refs.push({ name, kind: kindOf(a), offset, length: a.length });
      offset += bytes.length;
    }
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  return refs;
}

function readArray(buf: Buffer, ref: ArrayRef, file: string): Typed {
  const ctor = { f32: Float32Array, f64: Float64Array, i32: Int32Array, u8: Uint8Array }[ref.kind];
  const end = ref.offset + ref.length * ctor.BYTES_PER_ELEMENT;
  if (end > buf.length) throw new UserError(`${file} is truncated; delete the checkpoint folder and train again without --resume.`);
  // Copy out of the file buffer into an aligned array of our own.
  const out = new ctor(ref.length);
  new Uint8Array(out.buffer).set(buf.subarray(ref.offset, end));
  return out;
}

export function saveCheckpoint(dir: string, data: CheckpointData): void {
  const tmp = `${dir}.tmp-${process.pid}`;
  rmSync(tmp, { recursive: true, force: true });
  ensureDir(tmp);
  const tensors: [string, Typed][] = [
    ...data.online.map((a, i): [string, Typed] => [`online/${i}`, a]),
    ...data.target.map((a, i): [string, Typed] => [`target/${i}`, a]),
    ...data.adamM.map((a, i): [string, Typed] => [`adam_m/${i}`, a]),
    ...data.adamV.map((a, i): [string, Typed] => [`adam_v/${i}`, a]),
  ];
  const r = data.replay;
  const replay: [string, Typed][] = [
    ['frames', r.frames],
    ['actions', r.actions],
    ['rewards', r.rewards],
    ['dones', r.dones],
    ['acted', r.acted],
    ['episodeStart', r.episodeStart],
  ];
  const meta = {
    version: CHECKPOINT_VERSION,
    identity: data.identity,
    counters: data.counters,
    shapes: data.shapes,
    replay: { capacity: r.capacity, frameSize: r.frameSize, stack: r.stack, written: r.written },
    tensors: writeArrays(join(tmp, 'tensors.bin'), tensors),
    replayArrays: writeArrays(join(tmp, 'replay.bin'), replay),
    date: new Date().toISOString(),
  };
  const metaFile = join(tmp, 'meta.json');
  writeFileSync(metaFile, JSON.stringify(meta, null, 1) + '\n');
  const fd = openSync(metaFile, 'r');
  fsyncSync(fd);
  closeSync(fd);
  const old = `${dir}.old-${process.pid}`;
  if (existsSync(dir)) renameSync(dir, old);
  renameSync(tmp, dir);
  rmSync(old, { recursive: true, force: true });
}

export function checkpointExists(dir: string): boolean {
  return existsSync(join(dir, 'meta.json'));
}

export function loadCheckpoint(dir: string): CheckpointData {
  const metaFile = join(dir, 'meta.json');
  let meta: {
    version: number;
    identity: RunIdentity;
    counters: TrainCounters;
    shapes: number[][];
    replay: { capacity: number; frameSize: number; stack: number; written: number };
    tensors: ArrayRef[];
    replayArrays: ArrayRef[];
  };
  try {
    meta = JSON.parse(readFileSync(metaFile, 'utf8'));
  } catch (e) {
    throw new UserError(`${metaFile} cannot be read (${(e as Error).message}); delete ${dir} and train again without --resume.`);
  }
  if (meta.version !== CHECKPOINT_VERSION) throw new UserError(`${metaFile}: checkpoint format ${meta.version}, this sap-rl reads ${CHECKPOINT_VERSION}.`);
  const tFile = join(dir, 'tensors.bin');
  const rFile = join(dir, 'replay.bin');
  const tBuf = readFileSync(tFile);
  const group = (prefix: string) => meta.tensors.filter((t) => t.name.startsWith(prefix)).map((t) => readArray(tBuf, t, tFile) as Float32Array);
  const rBuf = readFileSync(rFile);
  const rep = Object.fromEntries(meta.replayArrays.map((ref) => [ref.name, readArray(rBuf, ref, rFile)]));
  return {
    identity: meta.identity,
    counters: meta.counters,
    shapes: meta.shapes,
    online: group('online/'),
    target: group('target/'),
    adamM: group('adam_m/'),
    adamV: group('adam_v/'),
    replay: {
      ...meta.replay,
      frames: rep['frames'] as Uint8Array,
      actions: rep['actions'] as Int32Array,
      rewards: rep['rewards'] as Float32Array,
      dones: rep['dones'] as Uint8Array,
      acted: rep['acted'] as Uint8Array,
      episodeStart: rep['episodeStart'] as Float64Array,
    },
  };
}
