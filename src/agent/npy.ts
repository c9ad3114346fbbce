/**
 * NumPy's .npy format (numpy.lib.format): the magic "\x93NUMPY", a version byte
 * pair, the header length (uint16 LE in version 1, uint32 LE in 2 and 3), an
 * ASCII (version 3: UTF-8) Python dict literal
 *   {'descr': '|u1', 'fortran_order': False, 'shape': (2, 4, 84, 84), }
 * padded with spaces to a multiple of 64 bytes and ended by '\n', then the raw
 * array data in C order. Only the dtypes sap-rl exchanges are read and written.
 */
import { readFileSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { UserError } from '../cli/errors.js';

const MAGIC = [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59]; // \x93NUMPY

const DTYPES = {
  uint8: { descr: ['|u1', '<u1', 'u1'], bytes: 1 },
  float32: { descr: ['<f4'], bytes: 4 },
} as const;
export type NpyDtype = keyof typeof DTYPES;

export interface NpyArray {
  readonly dtype: NpyDtype;
  readonly shape: readonly number[];
  readonly data: Uint8Array | Float32Array;
}

/** Parse .npy bytes; `file` is named in errors. */
export function parseNpy(bytes: Uint8Array, file: string): NpyArray {
  const bad = (why: string): UserError => new UserError(`${file}: not a readable .npy file (${why}).`);
  if (bytes.length < 10 || MAGIC.some((b, i) => bytes[i] !== b)) throw bad('no \\x93NUMPY magic at the start');
  const major = bytes[6]!;
  if (major < 1 || major > 3) throw bad(`format version ${major}.${bytes[7]} is not 1, 2 or 3`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const headerStart = major === 1 ? 10 : 12;
  if (bytes.length < headerStart) throw bad('truncated header');
  const headerLen = major === 1 ? view.getUint16(8, true) : view.getUint32(8, true);
  const dataStart = headerStart + headerLen;
  if (bytes.length < dataStart) throw bad('truncated header');
  const header = new TextDecoder(major === 3 ? 'utf-8' : 'latin1').decode(bytes.subarray(headerStart, dataStart));

  const descr = /'descr'\s*:\s*'([^']*)'/.exec(header)?.[1];
  const fortran = /'fortran_order'\s*:\s*(True|False)/.exec(header)?.[1];
  const shapeText = /'shape'\s*:\s*\(([^)]*)\)/.exec(header)?.[1];
  if (descr === undefined || fortran === undefined || shapeText === undefined) throw bad(`header ${JSON.stringify(header.trim())} lacks descr, fortran_order or shape`);
  if (fortran === 'True') throw new UserError(`${file}: the array is stored in Fortran order; save it with numpy.ascontiguousarray first.`);
  const shape = shapeText
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '')
    .map(Number);
  if (shape.some((d) => !Number.isSafeInteger(d) || d < 0)) throw bad(`shape (${shapeText}) is not a tuple of sizes`);
  const dtype = (Object.keys(DTYPES) as NpyDtype[]).find((k) => (DTYPES[k].descr as readonly string[]).includes(descr));
  if (!dtype) throw new UserError(`${file}: dtype '${descr}' is not supported; sap-rl reads uint8 ('|u1') and little-endian float32 ('<f4') arrays.`);

  const count = shape.reduce((a, b) => a * b, 1);
  const byteLength = count * DTYPES[dtype].bytes;
  if (bytes.length - dataStart < byteLength) {
    throw new UserError(`${file}: truncated: shape (${shape.join(', ')}) needs ${byteLength} data bytes, the file has ${bytes.length - dataStart}.`);
  }
  // A copy into a plain Uint8Array at offset 0 (Buffer.slice would share memory, at any alignment).
  const raw = new Uint8Array(byteLength);
  raw.set(bytes.subarray(dataStart, dataStart + byteLength));
  const data = dtype === 'uint8' ? raw : new Float32Array(raw.buffer, 0, count);
  return { dtype, shape, data };
}

export function readNpy(file: string): NpyArray {
  let bytes: Uint8Array;
  try {
    bytes = readFileSync(file);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new UserError(code === 'ENOENT' ? `${file}: no such file.` : `${file}: cannot read it (${(e as Error).message}).`);
  }
  return parseNpy(bytes, file);
}

/** Encode an array as .npy version 1.0 bytes. */
export function encodeNpy(array: NpyArray): Uint8Array {
  const count = array.shape.reduce((a, b) => a * b, 1);
  if (count !== array.data.length) throw new RangeError(`shape (${array.shape.join(', ')}) holds ${count} values, data has ${array.data.length}`);
  const shape = array.shape.length === 1 ? `(${array.shape[0]},)` : `(${array.shape.join(', ')})`;
  let header = `{'descr': '${DTYPES[array.dtype].descr[0]}', 'fortran_order': False, 'shape': ${shape}, }`;
  const total = Math.ceil((10 + header.length + 1) / 64) * 64;
  header = header.padEnd(total - 10 - 1, ' ') + '\n';
  const data = new Uint8Array(array.data.buffer, array.data.byteOffset, array.data.byteLength);
  const out = new Uint8Array(total + data.length);
  out.set(MAGIC, 0);
  out[6] = 1;
  out[7] = 0;
  new DataView(out.buffer).setUint16(8, header.length, true);
  out.set(new TextEncoder().encode(header), 10);
  out.set(data, total);
  return out;
}

export async function writeNpy(file: string, array: NpyArray): Promise<void> {
  try {
    await writeFile(file, encodeNpy(array));
  } catch (e) {
    throw new UserError(`${file}: cannot write it (${(e as Error).message}).`);
  }
}
