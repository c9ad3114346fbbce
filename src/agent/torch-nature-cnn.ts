/**
 * Builds our tfjs Nature CNN from the weights of a PyTorch Nature CNN.
 *
 * Layout conversions:
 * - conv weights: PyTorch OIHW [out, in, kh, kw] -> tfjs HWIO [kh, kw, in, out];
 * - linear weights: PyTorch [out, in] (y = W x) -> tfjs dense kernel [in, out] (y = x K);
 * - the first linear layer reads the flattened conv features. PyTorch flattens
 *   NCHW (index c*H*W + h*W + w), tfjs flattens NHWC (index (h*W + w)*C + c), so
 *   its input rows are permuted accordingly.
 * The observation changes layout too: the PyTorch agent takes N x 4 x 84 x 84,
 * the tfjs model N x 84 x 84 x 4 (the same frames, channel last).
 */
import * as tf from '@tensorflow/tfjs';
import { UserError } from '../cli/errors.js';
import { buildNatureCnn, natureCnnFeatureShape, NATURE_CNN_LAYERS } from './nature-cnn.js';
import type { StateDict } from './torch/state-dict.js';
import type { TorchTensor } from './torch/tensor.js';

/** State-dict key prefixes (without `.weight` / `.bias`) of the five parametrised layers. */
export interface TorchNatureCnnKeys {
  readonly convs: readonly [string, string, string];
  readonly hidden: string;
  readonly out: string;
}

export interface FromTorchOptions {
  /** The checkpoint, named in errors. */
  readonly file: string;
  /** e.g. "CleanRL", named in errors. */
  readonly formatName: string;
  readonly game: string;
  /** The game's action set; the network must have one output per action. */
  readonly actions: readonly number[];
  /** Whether the PyTorch agent divides its input by 255 inside. */
  readonly scaleInside: boolean;
  readonly height?: number;
  readonly width?: number;
}

export interface FromTorchResult {
  readonly model: tf.Sequential;
  readonly frameStack: number;
}

export function natureCnnFromTorch(sd: StateDict, keys: TorchNatureCnnKeys, opts: FromTorchOptions): FromTorchResult {
  const { file, height = 84, width = 84 } = opts;
  const get = (key: string): TorchTensor => {
    const t = sd.get(key);
    if (!t) {
      const found = [...sd.keys()].slice(0, 6).join(', ');
      throw new UserError(
        `${file}: no '${key}' in the state_dict (it has ${found || 'no tensors'}${sd.size > 6 ? ', ...' : ''}); ` +
          `is this a ${opts.formatName} Nature-CNN DQN checkpoint?`,
      );
    }
    return t;
  };

  const conv1 = get(`${keys.convs[0]}.weight`);
  const out = get(`${keys.out}.weight`);
  const frameStack = conv1.shape.length === 4 ? conv1.shape[1]! : 0;
  const nOut = out.shape.length === 2 ? out.shape[0]! : 0;
  if (nOut !== opts.actions.length) {
    throw new UserError(
      `${file}: the network has ${nOut} outputs but ${opts.game}'s minimal action set has ${opts.actions.length} actions ` +
        `([${opts.actions.join(', ')}]); check --game.`,
    );
  }

  const model = buildNatureCnn({ nActions: nOut, scaleInside: opts.scaleInside, frameStack, height, width });
  try {
    const [fh, fw, fc] = natureCnnFeatureShape(height, width);
    keys.convs.forEach((prefix, i) => {
      setLayer(model, NATURE_CNN_LAYERS.convs[i]!, get(`${prefix}.weight`), get(`${prefix}.bias`), `${prefix}.weight`, file, (w) =>
        oihwToHwio(w),
      );
    });
    setLayer(model, NATURE_CNN_LAYERS.hidden, get(`${keys.hidden}.weight`), get(`${keys.hidden}.bias`), `${keys.hidden}.weight`, file, (w) =>
      linearToDense(w, [fc, fh, fw]),
    );
    setLayer(model, NATURE_CNN_LAYERS.out, out, get(`${keys.out}.bias`), `${keys.out}.weight`, file, (w) => linearToDense(w));
  } catch (e) {
    model.dispose();
    throw e;
  }
  return { model, frameStack };
}

/** Convert a weight to tfjs layout, check it against the layer's shapes, and set it. */
function setLayer(
  model: tf.Sequential,
  layerName: string,
  weight: TorchTensor,
  bias: TorchTensor,
  key: string,
  file: string,
  convert: (w: TorchTensor) => { data: Float32Array; shape: number[] } | undefined,
): void {
  const layer = model.getLayer(layerName);
  const [kernelVar, biasVar] = layer.getWeights();
  const kShape = kernelVar!.shape;
  const bShape = biasVar!.shape;
  const k = convert(weight);
  const ok = k && k.shape.length === kShape.length && k.shape.every((d, i) => d === kShape[i]);
  if (!ok || bias.shape.length !== 1 || bias.shape[0] !== bShape[0]) {
    throw new UserError(
      `${file}: '${key}' has shape [${weight.shape.join(', ')}] (bias [${bias.shape.join(', ')}]), ` +
        `which does not fit a Nature CNN layer of kernel [${torchShapeOf(kShape).join(', ')}] in PyTorch layout.`,
    );
  }
  const values = [tf.tensor(k.data, k.shape), tf.tensor(bias.data, [...bias.shape])];
  layer.setWeights(values); // variables take their own reference to the data
  values.forEach((t) => t.dispose());
}

/** The PyTorch shape a tfjs kernel shape corresponds to (for messages). */
function torchShapeOf(tfShape: readonly number[]): number[] {
  if (tfShape.length === 4) return [tfShape[3]!, tfShape[2]!, tfShape[0]!, tfShape[1]!];
  return [tfShape[1]!, tfShape[0]!];
}

/** [O, I, H, W] -> [H, W, I, O]. */
export function oihwToHwio(w: TorchTensor): { data: Float32Array; shape: number[] } | undefined {
  if (w.shape.length !== 4) return undefined;
  const [O, I, H, W] = w.shape as [number, number, number, number];
  const out = new Float32Array(w.data.length);
  for (let o = 0; o < O; o++)
    for (let i = 0; i < I; i++)
      for (let h = 0; h < H; h++)
        for (let x = 0; x < W; x++) out[((h * W + x) * I + i) * O + o] = w.data[((o * I + i) * H + h) * W + x]!;
  return { data: out, shape: [H, W, I, O] };
}

/**
 * [out, in] -> [in, out]. With `chw` = [C, H, W] (the conv features feeding this
 * layer), the input index is also moved from NCHW flatten order to NHWC flatten order.
 */
export function linearToDense(w: TorchTensor, chw?: readonly [number, number, number]): { data: Float32Array; shape: number[] } | undefined {
  if (w.shape.length !== 2) return undefined;
  const [nOut, nIn] = w.shape as [number, number];
  if (chw && chw[0] * chw[1] * chw[2] !== nIn) return undefined;
  const out = new Float32Array(w.data.length);
  for (let j = 0; j < nIn; j++) {
    let row = j; // row of the tfjs kernel that torch input column j feeds
    if (chw) {
      const [C, H, W] = chw;
      const c = Math.floor(j / (H * W));
      const hw = j % (H * W);
      row = hw * C + c;
    }
    for (let o = 0; o < nOut; o++) out[row * nOut + o] = w.data[o * nIn + j]!;
  }
  return { data: out, shape: [nIn, nOut] };
}
