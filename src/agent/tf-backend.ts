/**
 * Chooses the TensorFlow.js backend.
 *
 * - `wasm` (default): @tensorflow/tfjs-backend-wasm, WASM+SIMD on one thread, or with
 *   `threads` > 1 its multi-threaded build, which tfjs does not start under Node by itself
 *   (src/agent/wasm-threads.ts does). `sap-rl train` uses threads; `play` runs one
 *   single-threaded backend per episode worker instead.
 * - `cpu`: the pure-JS kernels; used when wasm cannot start and no backend was named.
 * - `tensorflow`: the native TensorFlow bindings of @tensorflow/tfjs-node-gpu or
 *   @tensorflow/tfjs-node, when the user has installed one (they are optional and
 *   imported at run time; their version must match @tensorflow/tfjs).
 */
import { availableParallelism } from 'node:os';
import * as tf from '@tensorflow/tfjs';
import { UserError } from '../cli/errors.js';
import { MAX_THREADS, startThreadedWasm, ThreadedWasmUnavailable } from './wasm-threads.js';

export const TF_BACKENDS = ['wasm', 'cpu', 'tensorflow'] as const;
export type TfBackendName = (typeof TF_BACKENDS)[number];

export interface TfBackendInfo {
  readonly name: TfBackendName;
  /** Human-readable detail, e.g. "WebAssembly, SIMD, 1 thread" or "@tensorflow/tfjs-node-gpu". */
  readonly detail: string;
  /** Milliseconds spent in initTf (module import + backend start). */
  readonly initMs: number;
  /** XNNPACK threads of the wasm backend (1 for the other backends, which manage their own). */
  readonly threads: number;
  /** Set when no backend was named and wasm failed, so cpu is used instead. */
  readonly fallbackReason?: string;
}

const NATIVE_PACKAGES = ['@tensorflow/tfjs-node-gpu', '@tensorflow/tfjs-node'] as const;

let active: TfBackendInfo | undefined;

/** The backend initTf chose, or undefined before the first call. */
export function activeTfBackend(): TfBackendInfo | undefined {
  return active;
}

/** Initialise tfjs once with the default backend unless initTf already ran. */
export async function ensureTf(): Promise<TfBackendInfo> {
  return active ?? initTf();
}

/** XNNPACK scales well to a few threads on the trainer's batch-32 update; beyond 4 it barely helps. */
export const DEFAULT_WASM_THREADS_CAP = 4;

/** One wasm thread per core, at most DEFAULT_WASM_THREADS_CAP (what `sap-rl train` uses). */
export function defaultWasmThreads(): number {
  return Math.max(1, Math.min(availableParallelism(), DEFAULT_WASM_THREADS_CAP));
}

export interface TfInitOptions {
  /**
   * Threads for the wasm backend (default 1). More than 1 starts the multi-threaded build
   * (src/agent/wasm-threads.ts); its results are bit-identical to one thread's.
   */
  readonly threads?: number;
}

/**
 * Select a backend. Without `name`: wasm, falling back to cpu. A named backend
 * that cannot start is a UserError. Calling again with the same name is a no-op
 * (the first call's thread count stays: a wasm backend cannot restart in one process).
 */
export async function initTf(name?: TfBackendName, opts: TfInitOptions = {}): Promise<TfBackendInfo> {
  if (name !== undefined && !(TF_BACKENDS as readonly string[]).includes(name)) {
    throw new UserError(`--tf-backend: unknown backend '${String(name)}'; choose one of ${TF_BACKENDS.join(', ')}.`);
  }
  const wanted = name ?? 'wasm';
  const settled = active && (active.name === wanted || (name === undefined && active.fallbackReason));
  if (active && settled && tf.getBackend() === active.name) return active;

  // tfjs prints a "you are running in Node, install tfjs-node" banner on first use; prod mode
  // only silences such warnings.
  tf.enableProdMode();
  const start = performance.now();
  const done = (n: TfBackendName, detail: string, fallbackReason?: string, threads = 1): TfBackendInfo => {
    active = { name: n, detail, threads, initMs: performance.now() - start, ...(fallbackReason ? { fallbackReason } : {}) };
    return active;
  };

  switch (wanted) {
    case 'tensorflow': {
      const pkg = await importNative();
      if (!(await tf.setBackend('tensorflow'))) {
        throw new UserError(`--tf-backend tensorflow: ${pkg} is installed but its backend failed to start.`);
      }
      return done('tensorflow', pkg);
    }
    case 'cpu':
      await setOrThrow('cpu');
      return done('cpu', 'JavaScript kernels');
    default: {
      try {
        const { detail, threads } = await startWasm(opts.threads ?? 1);
        return done('wasm', detail, undefined, threads);
      } catch (e) {
        if (name === 'wasm') throw e;
        await setOrThrow('cpu');
        return done('cpu', 'JavaScript kernels', (e as Error).message);
      }
    }
  }
}

async function startWasm(threads: number): Promise<{ detail: string; threads: number }> {
  if (!Number.isInteger(threads) || threads < 1 || threads > MAX_THREADS) {
    throw new UserError(`--tf-threads: expected a whole number from 1 to ${MAX_THREADS}, got ${threads}.`);
  }
  // Importing the package registers the 'wasm' backend; its Node build finds the
  // .wasm files next to itself (node_modules/@tensorflow/tfjs-backend-wasm/dist/).
  await import('@tensorflow/tfjs-backend-wasm');
  let note = '';
  if (threads > 1) {
    try {
      const n = await startThreadedWasm(threads);
      return { detail: `WebAssembly, SIMD, ${n} threads`, threads: n };
    } catch (e) {
      if (!(e instanceof ThreadedWasmUnavailable)) {
        throw new UserError(`--tf-threads ${threads}: the multi-threaded wasm backend failed to start (${(e as Error).message}); use --tf-threads 1.`);
      }
      note = ` (${e.message})`;
    }
  }
  await setOrThrow('wasm');
  const simd = await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT');
  return { detail: `WebAssembly${simd ? ', SIMD' : ''}, 1 thread${note}`, threads: 1 };
}

async function setOrThrow(backend: 'wasm' | 'cpu'): Promise<void> {
  let ok = false;
  try {
    ok = await tf.setBackend(backend);
  } catch {
    ok = false;
  }
  if (!ok) throw new UserError(`--tf-backend ${backend}: the TensorFlow.js '${backend}' backend failed to start.`);
  await tf.ready();
}

/** Import the first installed native package (which registers the 'tensorflow' backend). */
async function importNative(): Promise<string> {
  for (const pkg of NATIVE_PACKAGES) {
    try {
      // A variable specifier keeps TypeScript from requiring the optional package at build time.
      const specifier: string = pkg;
      await import(specifier);
      return pkg;
    } catch (e) {
      if (isMissingPackage(e, pkg)) continue;
      throw new UserError(`--tf-backend tensorflow: ${pkg} is installed but failed to load (${(e as Error).message}).`);
    }
  }
  throw new UserError(
    '--tf-backend tensorflow needs the native TensorFlow bindings: run `npm install @tensorflow/tfjs-node@4.22.0` ' +
      '(or @tensorflow/tfjs-node-gpu@4.22.0 for CUDA) in the sap-rl directory, or choose --tf-backend wasm.',
  );
}

function isMissingPackage(e: unknown, pkg: string): boolean {
  const err = e as { code?: string; message?: string };
  return (
    (err.code === 'ERR_MODULE_NOT_FOUND' || err.code === 'MODULE_NOT_FOUND') &&
    typeof err.message === 'string' &&
    err.message.includes(pkg)
  );
}
