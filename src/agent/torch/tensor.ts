/**
 * Tensors read from a PyTorch checkpoint: a storage (raw bytes of one dtype) and
 * a strided view into it (offset, sizes, strides in elements), as
 * `torch._utils._rebuild_tensor_v2` describes them. Values are converted to float32.
 */
import { UserError } from '../../cli/errors.js';

export type TorchDtype =
  | 'float32' | 'float64' | 'float16' | 'bfloat16'
  | 'int64' | 'int32' | 'int16' | 'int8' | 'uint64' | 'uint32' | 'uint16' | 'uint8' | 'bool';

/** PyTorch's legacy storage class names (still what torch.save writes) -> dtype. */
export const STORAGE_DTYPES: Readonly<Record<string, TorchDtype>> = {
  FloatStorage: 'float32',
  DoubleStorage: 'float64',
  HalfStorage: 'float16',
  BFloat16Storage: 'bfloat16',
  LongStorage: 'int64',
  IntStorage: 'int32',
  ShortStorage: 'int16',
  CharStorage: 'int8',
  ByteStorage: 'uint8',
  BoolStorage: 'bool',
  UntypedStorage: 'uint8', // untyped storages are byte arrays
};

/**
 * `torch.<name>` dtype objects, passed to `_rebuild_tensor_v3` (the form torch
 * uses for dtypes without a legacy storage class: an UntypedStorage plus a dtype).
 * Names mapped to undefined are recognised but cannot be converted.
 */
export const TORCH_DTYPES: Readonly<Record<string, TorchDtype | undefined>> = {
  float32: 'float32', float64: 'float64', float16: 'float16', bfloat16: 'bfloat16',
  int64: 'int64', int32: 'int32', int16: 'int16', int8: 'int8',
  uint64: 'uint64', uint32: 'uint32', uint16: 'uint16', uint8: 'uint8', bool: 'bool',
  float8_e5m2: undefined, float8_e4m3fn: undefined, float8_e5m2fnuz: undefined, float8_e4m3fnuz: undefined,
  float8_e8m0fnu: undefined, float4_e2m1fn_x2: undefined, complex32: undefined,
  bits8: undefined, bits16: undefined, bits1x8: undefined, bits2x4: undefined, bits4x2: undefined,
};

const ITEM_SIZE: Readonly<Record<TorchDtype, number>> = {
  float32: 4, float64: 8, float16: 2, bfloat16: 2,
  int64: 8, int32: 4, int16: 2, int8: 1, uint64: 8, uint32: 4, uint16: 2, uint8: 1, bool: 1,
};

/** One storage of the archive (`data/<key>`). */
export interface TorchStorage {
  readonly key: string;
  readonly dtype: TorchDtype;
  /** Number of elements of `dtype`. */
  readonly numel: number;
  readonly bytes: Uint8Array;
  readonly littleEndian: boolean;
}

/** A dense, row-major float32 copy of a checkpoint tensor. */
export interface TorchTensor {
  /** The dtype it had in the checkpoint. */
  readonly dtype: TorchDtype;
  readonly shape: readonly number[];
  readonly data: Float32Array;
}

/** Larger tensors are refused (a stride-0 view could otherwise ask for any size); Nature DQN has 1.7M weights. */
export const MAX_TENSOR_ELEMENTS = 2 ** 28;

export function itemSize(dtype: TorchDtype): number {
  return ITEM_SIZE[dtype];
}

/** View an untyped (byte) storage as elements of `dtype`. */
export function reinterpretStorage(s: TorchStorage, dtype: TorchDtype): TorchStorage {
  return { ...s, dtype, numel: Math.floor(s.bytes.length / ITEM_SIZE[dtype]) };
}

/** Materialise `storage[offset + sum(i_k * stride_k)]` as a contiguous float32 tensor. */
export function rebuildTensor(
  file: string,
  storage: TorchStorage,
  offset: number,
  shape: readonly number[],
  stride: readonly number[],
): TorchTensor {
  const bad = (why: string): never => {
    throw new UserError(`${file}: tensor in storage ${storage.key} is malformed (${why}).`);
  };
  if (shape.length !== stride.length) bad('sizes and strides differ in length');
  const ints = [offset, ...shape, ...stride];
  if (!ints.every((v) => Number.isSafeInteger(v) && v >= 0)) bad('negative or non-integer size, stride or offset');
  const numel = shape.reduce((a, b) => a * b, 1);
  if (numel > MAX_TENSOR_ELEMENTS) bad(`${numel} elements is more than the ${MAX_TENSOR_ELEMENTS} this reader accepts`);
  if (numel > 0) {
    const last = shape.reduce((acc, n, k) => acc + (n - 1) * stride[k]!, offset);
    if (last >= storage.numel) bad(`view reaches element ${last} of a storage of ${storage.numel}`);
  }
  const read = elementReader(storage);
  const out = new Float32Array(numel);
  // Odometer over the multi-index, tracking the storage position incrementally.
  const idx = new Array<number>(shape.length).fill(0);
  let src = offset;
  for (let i = 0; i < numel; i++) {
    out[i] = read(src);
    for (let k = shape.length - 1; k >= 0; k--) {
      idx[k]!++;
      src += stride[k]!;
      if (idx[k]! < shape[k]!) break;
      src -= idx[k]! * stride[k]!;
      idx[k] = 0;
    }
  }
  return { dtype: storage.dtype, shape: [...shape], data: out };
}

function elementReader(s: TorchStorage): (i: number) => number {
  const v = new DataView(s.bytes.buffer, s.bytes.byteOffset, s.bytes.byteLength);
  const le = s.littleEndian;
  switch (s.dtype) {
    case 'float32': return (i) => v.getFloat32(4 * i, le);
    case 'float64': return (i) => v.getFloat64(8 * i, le);
    case 'float16': return (i) => halfToFloat(v.getUint16(2 * i, le));
    case 'bfloat16': return (i) => bfloat16ToFloat(v.getUint16(2 * i, le));
    case 'int64': return (i) => Number(v.getBigInt64(8 * i, le));
    case 'int32': return (i) => v.getInt32(4 * i, le);
    case 'int16': return (i) => v.getInt16(2 * i, le);
    case 'int8': return (i) => v.getInt8(i);
    case 'uint64': return (i) => Number(v.getBigUint64(8 * i, le));
    case 'uint32': return (i) => v.getUint32(4 * i, le);
    case 'uint16': return (i) => v.getUint16(2 * i, le);
    case 'uint8': return (i) => v.getUint8(i);
    case 'bool': return (i) => (v.getUint8(i) !== 0 ? 1 : 0);
  }
}

/** IEEE 754 binary16 -> number. */
export function halfToFloat(h: number): number {
  const sign = h & 0x8000 ? -1 : 1;
  const exp = (h >> 10) & 0x1f;
  const frac = h & 0x3ff;
  if (exp === 0) return sign * frac * 2 ** -24; // zero / subnormal
  if (exp === 0x1f) return frac ? NaN : sign * Infinity;
  return sign * (1 + frac / 1024) * 2 ** (exp - 15);
}

const bf16Scratch = new DataView(new ArrayBuffer(4));
/** bfloat16 is the upper half of a float32. */
export function bfloat16ToFloat(b: number): number {
  bf16Scratch.setUint32(0, b << 16, false);
  return bf16Scratch.getFloat32(0, false);
}
