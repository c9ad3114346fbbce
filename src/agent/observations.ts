/**
 * Batches of observations in .npy files, as PyTorch agents store them
 * (N x frames x H x W, "NCHW") or channel-last (N x H x W x frames, "NHWC",
 * what our networks take); the layout is told apart by the shape. A single
 * observation (3 dimensions) is a batch of one.
 */
import { UserError } from '../cli/errors.js';
import type { ObservationSpec } from './agent-spec.js';
import { readNpy, writeNpy } from './npy.js';

export type ObsLayout = 'NCHW' | 'NHWC';

export interface ObservationBatch {
  /** N x H x W x C, uint8. */
  readonly nhwc: Uint8Array;
  readonly n: number;
  /** The layout and shape of the file, so results can be written the same way. */
  readonly layout: ObsLayout;
  readonly shape: readonly number[];
}

export function readObservations(file: string, spec: Pick<ObservationSpec, 'frameStack' | 'height' | 'width'>): ObservationBatch {
  const arr = readNpy(file);
  const { frameStack: c, height: h, width: w } = spec;
  const dims = arr.shape.length === 3 ? [1, ...arr.shape] : arr.shape;
  const want = `N x ${c} x ${h} x ${w} (PyTorch layout) or N x ${h} x ${w} x ${c}`;
  if (dims.length !== 4) throw new UserError(`${file}: shape (${arr.shape.join(', ')}) is not a batch of observations; expected ${want}.`);
  const [n, d1, d2, d3] = dims as [number, number, number, number];
  let layout: ObsLayout;
  if (d1 === c && d2 === h && d3 === w) layout = 'NCHW';
  else if (d1 === h && d2 === w && d3 === c) layout = 'NHWC';
  else throw new UserError(`${file}: shape (${arr.shape.join(', ')}) does not fit this agent's observations; expected ${want}.`);
  if (arr.dtype !== 'uint8') throw new UserError(`${file}: observations must be uint8 pixels (dtype '|u1'), not ${arr.dtype}.`);
  if (n === 0) throw new UserError(`${file}: the batch is empty.`);
  const data = arr.data as Uint8Array;
  return { nhwc: layout === 'NHWC' ? data : nchwToNhwc(data, n, c, h, w), n, layout, shape: arr.shape };
}

/** Write an N x H x W x C uint8 batch in the layout and shape of `like`. */
export async function writeObservations(file: string, nhwc: Uint8Array, like: ObservationBatch, spec: Pick<ObservationSpec, 'frameStack' | 'height' | 'width'>): Promise<void> {
  const { frameStack: c, height: h, width: w } = spec;
  const data = like.layout === 'NHWC' ? nhwc : nhwcToNchw(nhwc, like.n, h, w, c);
  await writeNpy(file, { dtype: 'uint8', shape: like.shape, data });
}

export function nchwToNhwc<T extends Uint8Array | Float32Array>(src: T, n: number, c: number, h: number, w: number): T {
  const out = new (src.constructor as new (len: number) => T)(src.length);
  for (let i = 0; i < n; i++)
    for (let ch = 0; ch < c; ch++)
      for (let p = 0; p < h * w; p++) out[(i * h * w + p) * c + ch] = src[(i * c + ch) * h * w + p]!;
  return out;
}

export function nhwcToNchw<T extends Uint8Array | Float32Array>(src: T, n: number, h: number, w: number, c: number): T {
  const out = new (src.constructor as new (len: number) => T)(src.length);
  for (let i = 0; i < n; i++)
    for (let p = 0; p < h * w; p++)
      for (let ch = 0; ch < c; ch++) out[(i * c + ch) * h * w + p] = src[(i * h * w + p) * c + ch]!;
  return out;
}
