/**
 * Reads a PyTorch state_dict written by `torch.save` (the zip format, torch >= 1.6):
 *
 *   <prefix>/data.pkl     the pickled OrderedDict; tensors refer to storages by
 *                         persistent id ('storage', StorageClass, key, location, numel)
 *   <prefix>/data/<key>   raw storage bytes
 *   <prefix>/byteorder    'little' or 'big' (absent in old files: little)
 *
 * The prefix is the file's stem, or 'archive' when saved to a buffer. Tensors are
 * rebuilt by `torch._utils._rebuild_tensor_v2` from a legacy typed storage
 * (torch.FloatStorage, ...) or, for newer dtypes, by `_rebuild_tensor_v3` from a
 * torch.storage.UntypedStorage plus a dtype (torch.uint16, ...). Only the globals
 * a state_dict needs are allowed (see torchGlobal); anything else is refused by
 * the unpickler without being run.
 */
import { unzipSync } from 'fflate';
import { UserError } from '../../cli/errors.js';
import { PyDict, PyTuple, type PyGlobal, unpickle } from './pickle.js';
import {
  STORAGE_DTYPES, TORCH_DTYPES, itemSize, rebuildTensor, reinterpretStorage,
  type TorchDtype, type TorchStorage, type TorchTensor,
} from './tensor.js';

/** Parameter name -> tensor, in checkpoint order. */
export type StateDict = Map<string, TorchTensor>;

/** First integer torch.save wrote in its pre-1.6 (non-zip) format. */
const LEGACY_MAGIC = 0x1950a86a20f9469cfc6cn;

export function isZip(bytes: Uint8Array): boolean {
  return bytes[0] === 0x50 && bytes[1] === 0x4b && bytes[2] === 0x03 && bytes[3] === 0x04;
}

/** Parse `bytes` (the content of `file`, which is only used in messages) as a state_dict. */
export function readStateDict(bytes: Uint8Array, file: string): StateDict {
  if (!isZip(bytes)) return readPlainPickle(bytes, file);

  let entries: Record<string, Uint8Array>;
  try {
    entries = unzipSync(bytes);
  } catch (e) {
    throw new UserError(`${file}: the zip archive is damaged (${(e as Error).message}).`);
  }
  const pkl = Object.keys(entries).find((n) => /^[^/]+\/data\.pkl$/.test(n));
  if (!pkl) throw new UserError(`${file}: not a PyTorch checkpoint (no <name>/data.pkl in the zip).`);
  const prefix = pkl.slice(0, -'data.pkl'.length);

  const order = entries[`${prefix}byteorder`];
  const orderText = order ? Buffer.from(order).toString('ascii').trim() : 'little';
  if (orderText !== 'little' && orderText !== 'big') {
    throw new UserError(`${file}: unknown byte order '${orderText}' in ${prefix}byteorder.`);
  }

  const storages = new Map<string, TorchStorage>();
  const persistentLoad = (pid: unknown): TorchStorage => {
    const p = pid instanceof PyTuple ? pid.items : [];
    const [tag, type, key, , numel] = p;
    const dtype = isStorageType(type) ? STORAGE_DTYPES[type.name] : undefined;
    if (tag !== 'storage' || !dtype || typeof key !== 'string' || typeof numel !== 'number') {
      throw new UserError(`${file}: unexpected persistent id in ${pkl} (not a tensor storage).`);
    }
    const cached = storages.get(key);
    if (cached) return cached;
    const data = entries[`${prefix}data/${key}`];
    if (!data) throw new UserError(`${file}: storage ${prefix}data/${key} is missing from the archive.`);
    if (data.length < numel * itemSize(dtype)) {
      throw new UserError(
        `${file}: storage ${prefix}data/${key} is truncated (${data.length} bytes, expected ${numel * itemSize(dtype)}).`,
      );
    }
    const s: TorchStorage = { key, dtype, numel, bytes: data, littleEndian: orderText === 'little' };
    storages.set(key, s);
    return s;
  };

  const root = unpickle(entries[pkl]!, { file, findGlobal: torchGlobal(file), persistentLoad });
  return toStateDict(root, file);
}

/** A file that is a bare pickle: a legacy torch.save, or not a checkpoint at all (still read safely). */
function readPlainPickle(bytes: Uint8Array, file: string): StateDict {
  if (bytes[0] !== 0x80) throw new UserError(`${file}: not a PyTorch checkpoint (neither a zip archive nor a pickle).`);
  // Only the first pickle is read; a legacy file starts with its magic number.
  const first = unpickle(bytes, { file, findGlobal: torchGlobal(file) });
  if (first === LEGACY_MAGIC) {
    throw new UserError(
      `${file}: this is PyTorch's legacy (pre-1.6) checkpoint format, which is not supported; ` +
        `re-save it with torch.save(torch.load(path), new_path) in torch >= 1.6.`,
    );
  }
  return toStateDict(first, file);
}

function toStateDict(root: unknown, file: string): StateDict {
  if (!(root instanceof PyDict)) {
    throw new UserError(`${file}: the checkpoint does not hold a state_dict (a dict of tensors).`);
  }
  const out: StateDict = new Map();
  for (const [k, v] of root.entries) {
    if (typeof k !== 'string') throw new UserError(`${file}: state_dict key ${String(k)} is not a string.`);
    if (!isTensor(v)) throw new UserError(`${file}: state_dict entry '${k}' is not a tensor.`);
    out.set(k, v);
  }
  return out;
}

interface StorageType extends PyGlobal {
  readonly storageType: true;
}

interface DtypeGlobal extends PyGlobal {
  readonly isDtype: true;
  readonly dtype: TorchDtype | undefined;
}

function isStorageType(v: unknown): v is StorageType {
  return typeof v === 'object' && v !== null && (v as Partial<StorageType>).storageType === true;
}

function isTensor(v: unknown): v is TorchTensor {
  return typeof v === 'object' && v !== null && (v as Partial<TorchTensor>).data instanceof Float32Array;
}

/** The allowlist. Everything else (os.system, builtins.eval, __main__.QNetwork, ...) is refused. */
function torchGlobal(file: string) {
  const tensorArgs = (name: string, args: readonly unknown[], dtype?: TorchDtype): TorchTensor => {
    const [storage, offset, size, stride] = args;
    const ints = (v: unknown): number[] | undefined =>
      v instanceof PyTuple && v.items.every((x) => typeof x === 'number') ? (v.items as number[]) : undefined;
    const shape = ints(size);
    const strides = ints(stride);
    if (!isStorageRef(storage) || typeof offset !== 'number' || !shape || !strides) {
      throw new UserError(`${file}: malformed arguments to torch._utils.${name}.`);
    }
    return rebuildTensor(file, dtype ? reinterpretStorage(storage, dtype) : storage, offset, shape, strides);
  };
  // v3: (untyped storage, offset, size, stride, requires_grad, hooks, dtype[, metadata])
  const tensorV3 = (args: readonly unknown[]): TorchTensor => {
    const d = args[6] as Partial<DtypeGlobal> | undefined;
    if (!d?.isDtype) throw new UserError(`${file}: malformed arguments to torch._utils._rebuild_tensor_v3.`);
    if (!d.dtype) throw new UserError(`${file}: tensors of dtype torch.${d.name} cannot be converted; save the weights as float32.`);
    return tensorArgs('_rebuild_tensor_v3', args, d.dtype);
  };
  const parameter = (args: readonly unknown[]): TorchTensor => {
    if (!isTensor(args[0])) throw new UserError(`${file}: malformed arguments to torch._utils._rebuild_parameter.`);
    return args[0];
  };

  const table = new Map<string, PyGlobal>();
  const add = (module: string, name: string, call?: PyGlobal['call'], extra: object = {}): void => {
    table.set(`${module}.${name}`, { module, name, call, ...extra });
  };
  add('collections', 'OrderedDict', (args) => {
    if (args.length !== 0) throw new UserError(`${file}: OrderedDict built from arguments is not supported.`);
    return new PyDict();
  });
  add('torch._utils', '_rebuild_tensor_v2', (a) => tensorArgs('_rebuild_tensor_v2', a));
  add('torch._utils', '_rebuild_tensor', (a) => tensorArgs('_rebuild_tensor', a));
  add('torch._utils', '_rebuild_tensor_v3', tensorV3);
  add('torch._utils', '_rebuild_parameter', parameter);
  add('torch._utils', '_rebuild_parameter_with_state', parameter);
  for (const name of Object.keys(STORAGE_DTYPES)) add('torch', name, undefined, { storageType: true });
  add('torch.storage', 'UntypedStorage', undefined, { storageType: true });
  for (const [name, dtype] of Object.entries(TORCH_DTYPES)) add('torch', name, undefined, { isDtype: true, dtype });

  return (module: string, name: string): PyGlobal | undefined => table.get(`${module}.${name}`);
}

function isStorageRef(v: unknown): v is TorchStorage {
  return typeof v === 'object' && v !== null && (v as Partial<TorchStorage>).bytes instanceof Uint8Array;
}
