/**
 * Kernels that make training on @tensorflow/tfjs-backend-wasm practical.
 *
 * tfjs-backend-wasm 4.22 has no Conv2DBackpropFilter (so no conv layer can learn on it),
 * its Conv2DBackpropInput is a naive loop (~10x a forward conv of the same size), and its
 * BatchMatMul with a transposed operand, which every dense layer's gradient uses, is
 * 10-20x slower than the plain product. Each kernel here is rewritten in terms of the
 * backend's own fast XNNPACK kernels (Conv2D, BatchMatMul) plus cheap data movement:
 *
 * - Conv2DBackpropFilter: dW[kh,kw,c,o] = sum over b,i,j of x[b, s*i+kh, s*j+kw, c] dy[b,i,j,o]
 *   is ONE stride-1 convolution, dilated by the stride, of x with batch and channels swapped
 *   ([C, H, W, B]) by dy used as the filter ([OH, OW, B, O]); its output is [C, KH', KW', O].
 * - Conv2DBackpropInput: the sub-pixel ("phase") form of src/agent/phase-conv.ts: all phases
 *   of dx are the output channels of one stride-1 convolution of dy (padded) with a
 *   re-arranged, flipped kernel.
 * - BatchMatMul with transposeA/transposeB: transpose explicitly, then the plain product.
 *
 * Registered once per process by `registerWasmTrainKernels()` (the trainer calls it); other
 * backends are untouched. Tested against the cpu backend's kernels (test/agent/wasm-train-kernels.test.ts).
 */
import * as tf from '@tensorflow/tfjs';
import { phaseKernel, phasesToSpace } from './phase-conv.js';

type Info = tf.TensorInfo;
type Attrs = Record<string, unknown>;
interface WasmBackend {
  typedArrayFromHeap(t: Info): Float32Array;
  makeOutput(shape: number[], dtype: 'float32'): Info;
  disposeData(dataId: object): boolean;
}
type KernelFn = (args: { inputs: Record<string, Info>; backend: WasmBackend; attrs: Attrs }) => Info;

const BACKEND = 'wasm';
let registered = false;

/** The original wasm kernel functions we compose (captured before any override). */
const base: Record<string, KernelFn> = {};

function kernel(name: string): KernelFn {
  const k = base[name];
  if (!k) throw new Error(`wasm kernel ${name} is missing`);
  return k;
}

/** Runs a base kernel; `free` lists intermediate results to dispose afterwards. */
function run(backend: WasmBackend, name: string, inputs: Record<string, Info>, attrs: Attrs = {}): Info {
  return kernel(name)({ inputs, backend, attrs });
}

function dispose(backend: WasmBackend, ...infos: Info[]): void {
  for (const t of infos) backend.disposeData(t.dataId);
}

/** Register the kernels on the wasm backend (idempotent; a no-op without the wasm backend). */
export function registerWasmTrainKernels(): void {
  if (registered) return;
  for (const name of ['Conv2D', 'BatchMatMul', 'Transpose', 'PadV2', 'Slice']) {
    const cfg = tf.getKernel(name, BACKEND);
    if (!cfg) return; // the wasm backend is not loaded in this process
    base[name] = cfg.kernelFunc as unknown as KernelFn;
  }
  const register = (kernelName: string, kernelFunc: KernelFn) => {
    const old = tf.getKernel(kernelName, BACKEND);
    if (old) tf.unregisterKernel(kernelName, BACKEND);
    // The original's setupFunc (cwrap of its wasm export) must still run if the backend starts later.
    tf.registerKernel({ kernelName, backendName: BACKEND, kernelFunc: kernelFunc as unknown as tf.KernelFunc, ...(old?.setupFunc ? { setupFunc: old.setupFunc } : {}) });
  };
  register('Conv2DBackpropFilter', conv2dBackpropFilter);
  register('Conv2DBackpropInput', conv2dBackpropInput);
  register('BatchMatMul', batchMatMul);
  registered = true;
}

interface ConvGeometry {
  b: number;
  ih: number;
  iw: number;
  ic: number;
  kh: number;
  kw: number;
  oc: number;
  oh: number;
  ow: number;
  sh: number;
  sw: number;
  pad: { top: number; bottom: number; left: number; right: number };
}

function geometry(xShape: number[], filterShape: number[], attrs: Attrs): ConvGeometry {
  if (attrs['dataFormat'] !== undefined && attrs['dataFormat'] !== 'NHWC') {
    throw new Error(`conv gradient on wasm: only NHWC is supported, not ${String(attrs['dataFormat'])}`);
  }
  const info = tf.backend_util.computeConv2DInfo(
    xShape as [number, number, number, number],
    filterShape as [number, number, number, number],
    attrs['strides'] as number | [number, number],
    1,
    attrs['pad'] as 'valid' | 'same' | number,
    attrs['dimRoundingMode'] as 'floor' | 'round' | 'ceil' | undefined,
  );
  return {
    b: info.batchSize,
    ih: info.inHeight,
    iw: info.inWidth,
    ic: info.inChannels,
    kh: info.filterHeight,
    kw: info.filterWidth,
    oc: info.outChannels,
    oh: info.outHeight,
    ow: info.outWidth,
    sh: info.strideHeight,
    sw: info.strideWidth,
    pad: { top: info.padInfo.top, bottom: info.padInfo.bottom, left: info.padInfo.left, right: info.padInfo.right },
  };
}

const padded = (g: ConvGeometry) => g.pad.top + g.pad.bottom + g.pad.left + g.pad.right > 0;

const conv2dBackpropFilter: KernelFn = ({ inputs, backend, attrs }) => {
  const { x, dy } = inputs as { x: Info; dy: Info };
  const g = geometry(x.shape, attrs['filterShape'] as number[], attrs);
  const free: Info[] = [];
  let xp = x;
  if (padded(g)) {
    const p = g.pad;
    xp = run(backend, 'PadV2', { x }, { paddings: [[0, 0], [p.top, p.bottom], [p.left, p.right], [0, 0]], constantValue: 0 });
    free.push(xp);
  }
  const xt = run(backend, 'Transpose', { x: xp }, { perm: [3, 1, 2, 0] }); // C, H, W, B
  const dyt = run(backend, 'Transpose', { x: dy }, { perm: [1, 2, 0, 3] }); // OH, OW, B, O
  free.push(xt, dyt);
  // Output [C, H - sh (OH - 1), W - sw (OW - 1), O]: at least KH x KW, more when the stride leaves rows unused.
  let r = run(backend, 'Conv2D', { x: xt, filter: dyt }, { strides: [1, 1], pad: 'valid', dilations: [g.sh, g.sw], dataFormat: 'NHWC' });
  free.push(r);
  if (r.shape[1] !== g.kh || r.shape[2] !== g.kw) {
    r = run(backend, 'Slice', { x: r }, { begin: [0, 0, 0, 0], size: [g.ic, g.kh, g.kw, g.oc] });
    free.push(r);
  }
  const out = run(backend, 'Transpose', { x: r }, { perm: [1, 2, 0, 3] }); // KH, KW, C, O
  dispose(backend, ...free);
  return out;
};

const conv2dBackpropInput: KernelFn = ({ inputs, backend, attrs }) => {
  const { dy, filter } = inputs as { dy: Info; filter: Info };
  const g = geometry(attrs['inputShape'] as number[], filter.shape, attrs);
  const mh = Math.ceil(g.kh / g.sh);
  const mw = Math.ceil(g.kw / g.sw);
  const qh = Math.ceil((g.ih + g.pad.top + g.pad.bottom) / g.sh);
  const qw = Math.ceil((g.iw + g.pad.left + g.pad.right) / g.sw);
  const v = phaseKernelInfo(backend, filter, g, mh, mw);
  const gp = run(backend, 'PadV2', { x: dy }, { paddings: [[0, 0], [mh - 1, qh - g.oh], [mw - 1, qw - g.ow], [0, 0]], constantValue: 0 });
  const z = run(backend, 'Conv2D', { x: gp, filter: v }, { strides: [1, 1], pad: 'valid', dilations: [1, 1], dataFormat: 'NHWC' });
  // Depth-to-space and the crop of the padding in one JS pass (the wasm DepthToSpace kernel is
  // slower than the convolution itself).
  const out = backend.makeOutput([g.b, g.ih, g.iw, g.ic], 'float32');
  phasesToSpace(backend.typedArrayFromHeap(z), backend.typedArrayFromHeap(out), g.b, qh, qw, g.sh, g.sw, g.ih, g.iw, g.ic, 1, g.pad.top, g.pad.left);
  dispose(backend, v, gp, z);
  return out;
};

/** The phase kernel of `filter` (src/agent/phase-conv.ts) as a new heap tensor. */
function phaseKernelInfo(backend: WasmBackend, filter: Info, g: ConvGeometry, mh: number, mw: number): Info {
  const out = backend.makeOutput([mh, mw, g.oc, g.sh * g.sw * g.ic], 'float32');
  const v = backend.typedArrayFromHeap(out);
  v.fill(0);
  // Views are taken after makeOutput, which may grow (and so move) the heap.
  phaseKernel(backend.typedArrayFromHeap(filter), g.kh, g.kw, g.sh, g.sw, g.ic, g.oc, v);
  return out;
}

const batchMatMul: KernelFn = (args) => {
  const { inputs, backend, attrs } = args;
  const transposeA = attrs['transposeA'] === true;
  const transposeB = attrs['transposeB'] === true;
  if (!transposeA && !transposeB) return kernel('BatchMatMul')(args);
  const free: Info[] = [];
  const t = (x: Info): Info => {
    const r = run(backend, 'Transpose', { x }, { perm: transposePerm(x.shape.length) });
    free.push(r);
    return r;
  };
  const mm = (a: Info, b: Info): Info => run(backend, 'BatchMatMul', { a, b }, { transposeA: false, transposeB: false });
  const a = inputs['a']!;
  const b = inputs['b']!;
  let out: Info;
  if (transposeA && transposeB) {
    out = mm(t(a), t(b));
  } else if (transposeB) {
    // A (m x k) B^T (B: n x k). Either transpose B (n k) and let XNNPACK pack it as the right
    // operand (n k again), or compute (B A^T)^T: transpose A (m k), pack A^T (m k), transpose
    // the m x n result. The second wins when B is the big one (a dense layer's input gradient).
    const [m, k] = a.shape.slice(-2) as [number, number];
    const n = b.shape[b.shape.length - 2]!;
    if (2 * m * k + m * n < 2 * n * k) {
      const r = mm(b, t(a));
      free.push(r);
      out = run(backend, 'Transpose', { x: r }, { perm: transposePerm(r.shape.length) });
    } else {
      out = mm(a, t(b));
    }
  } else {
    out = mm(t(a), b); // A^T B: transposing A is never worse than the alternative (B^T A)^T
  }
  dispose(backend, ...free);
  return out;
};

function transposePerm(rank: number): number[] {
  const perm = [...Array(rank).keys()];
  perm[rank - 2] = rank - 1;
  perm[rank - 1] = rank - 2;
  return perm;
}
