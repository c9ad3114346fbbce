/**
 * Starts @tensorflow/tfjs-backend-wasm's multi-threaded build (XNNPACK on a pthread pool) in
 * Node, which the package itself refuses to do (tensorflow/tfjs#3830): its flag
 * WASM_HAS_MULTITHREAD_SUPPORT is hard-wired to false under Node, and its Emscripten glue
 * hands the pthread workers two browser-only things:
 *
 * 1. the worker script as a `blob:` URL, which worker_threads' Worker cannot open, and
 * 2. the Emscripten module's source as a Blob inside the worker's first ('load') message,
 *    which the worker reads back through `importScripts(URL.createObjectURL(blob))`.
 *
 * `BlobWorker` stands in for worker_threads' Worker while the backend starts: it reads both
 * blobs (asynchronously; messages wait in a queue meanwhile), starts a real Worker on the
 * script text (`eval: true`) with the module source in `workerData`, and lets the worker's
 * `importScripts` of a marker name evaluate that source. The module source was cut out of
 * a Rollup bundle, so it names the bundle's imports (`require$$0`... and `commonjsGlobal`);
 * the worker defines those before anything runs.
 *
 * The glue sizes the pool by `os.cpus().length / 2` (hyper-threading), capped by what
 * setThreadsCount asks; `os.cpus` is widened for the start only so that the count asked for
 * is the count used.
 *
 * XNNPACK splits work between threads by output tiles, never inside one dot product, so the
 * results are bit-identical to the single-threaded SIMD build (test/train/trainer.test.ts
 * trains the same agent with 1 and 2 threads). All of this depends on the internals of one release, so
 * it is enabled only for the version it was written against.
 */
import { resolveObjectURL } from 'node:buffer';
import { EventEmitter } from 'node:events';
import os from 'node:os';
import workerThreads from 'node:worker_threads';
import * as tf from '@tensorflow/tfjs';

/** The tfjs-backend-wasm release whose glue this file knows. */
export const THREADED_WASM_VERSION = '4.22.0';

/**
 * The size of the glue's pthread pool (PTHREAD_POOL_SIZE of the build), so the most threads:
 * a pthread beyond the pool would need a worker started while the main thread blocks on the
 * pool, which never comes. initTf refuses more.
 */
export const MAX_THREADS = 8;

/** What the worker's importScripts is asked for instead of the module's blob. */
const MODULE_MARKER = 'sap-rl:wasm-module';

/** Runs in each pthread worker before the glue's own worker script. */
const WORKER_PRELUDE = [
  'globalThis.commonjsGlobal = globalThis;',
  "globalThis['require$$0'] = require('fs');",
  "globalThis['require$$1'] = require('path');",
  "globalThis['require$$3'] = require('perf_hooks');",
  "globalThis['require$$4'] = require('os');",
].join('\n');

/** Runs after it: the module source comes from workerData, other scripts from files. */
const WORKER_POSTLUDE = `
{ const fromFile = importScripts;
  importScripts = (f) => f === '${MODULE_MARKER}' ? (0, eval)(require('worker_threads').workerData.moduleSource) : fromFile(f); }`;

type RealWorkerCtor = typeof workerThreads.Worker;

/**
 * The pthread workers keep the process alive only while the backend starts (the start waits
 * on their messages). After that a pthread parks in Atomics.wait between jobs and the main
 * thread waits for its jobs synchronously, so the workers are unref'd: the process can exit.
 */
const started: workerThreads.Worker[] = [];
let backendReady = false;

function blobWorkerClass(Real: RealWorkerCtor) {
  return class BlobWorker extends EventEmitter {
    private real: InstanceType<RealWorkerCtor> | null = null;
    private readonly queue: [unknown, readonly workerThreads.TransferListItem[] | undefined][] = [];
    private readonly script!: Promise<string>;

    constructor(url: string | URL, options?: workerThreads.WorkerOptions) {
      if (typeof url !== 'string' || !url.startsWith('blob:')) return new Real(url, options) as unknown as BlobWorker;
      super();
      const blob = resolveObjectURL(url);
      if (!blob) throw new Error(`threaded wasm: worker script ${url} is not a live blob URL`);
      this.script = blob.text();
    }

    postMessage(message: unknown, transfer?: readonly workerThreads.TransferListItem[]): void {
      if (this.real) return this.real.postMessage(message, transfer);
      const m = message as { cmd?: string; urlOrBlob?: unknown };
      if (m?.cmd === 'load' && m.urlOrBlob instanceof Blob) {
        void this.start(m.urlOrBlob, { ...m, urlOrBlob: MODULE_MARKER }, transfer).catch((e: unknown) => this.emit('error', e));
        return;
      }
      this.queue.push([message, transfer]);
    }

    private async start(moduleBlob: Blob, load: unknown, transfer?: readonly workerThreads.TransferListItem[]): Promise<void> {
      const [script, moduleSource] = await Promise.all([this.script, moduleBlob.text()]);
      const w = new Real(`${WORKER_PRELUDE}\n${script}\n${WORKER_POSTLUDE}`, { eval: true, workerData: { moduleSource } });
      for (const ev of ['message', 'error', 'exit', 'online']) w.on(ev, (...args: unknown[]) => this.emit(ev, ...args));
      started.push(w);
      if (backendReady) w.unref();
      this.real = w;
      w.postMessage(load, transfer);
      for (const [msg, t] of this.queue.splice(0)) w.postMessage(msg, t);
    }

    // The glue's own ref/unref calls are ignored: `started` and startThreadedWasm decide.
    unref(): void {}

    ref(): void {}

    terminate(): Promise<number> {
      return this.real ? this.real.terminate() : Promise.resolve(0);
    }
  };
}

/** The threaded build cannot be used here at all (as opposed to failing to start). */
export class ThreadedWasmUnavailable extends Error {}

interface WasmModule {
  setThreadsCount(n: number): void;
  getThreadsCount(): number;
  version_wasm: string;
}

/**
 * Selects the threaded wasm backend with `threads` XNNPACK threads. Must run before the wasm
 * backend is first used in this process. Throws (with the reason) when it cannot be used.
 */
export async function startThreadedWasm(threads: number): Promise<number> {
  const wasm = (await import('@tensorflow/tfjs-backend-wasm')) as unknown as WasmModule;
  if (wasm.version_wasm !== THREADED_WASM_VERSION) {
    throw new ThreadedWasmUnavailable(`multi-threaded wasm is only wired up for @tensorflow/tfjs-backend-wasm ${THREADED_WASM_VERSION} (installed: ${wasm.version_wasm})`);
  }
  if (typeof SharedArrayBuffer === 'undefined') throw new ThreadedWasmUnavailable('multi-threaded wasm needs SharedArrayBuffer');
  tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', true);
  wasm.setThreadsCount(threads);
  const mutable = workerThreads as { Worker: RealWorkerCtor };
  const Real = mutable.Worker;
  const realCpus = os.cpus;
  mutable.Worker = blobWorkerClass(Real) as unknown as RealWorkerCtor;
  os.cpus = () => {
    const one = realCpus()[0]!;
    return Array.from({ length: 2 * threads }, () => one);
  };
  try {
    if (!(await tf.setBackend('wasm'))) throw new Error('the threaded wasm backend failed to start');
    await tf.ready();
  } finally {
    backendReady = true;
    for (const w of started) w.unref();
    os.cpus = realCpus;
    mutable.Worker = Real;
  }
  return wasm.getThreadsCount();
}
