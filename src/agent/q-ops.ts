/**
 * The operations a QNetwork runs, compiled from a tfjs layers model.
 *
 * Supported layers: Rescaling, Conv2D (channels last, any stride, valid/same
 * padding), Activation relu/linear, ReLU, Flatten, Dense (linear), Dropout
 * (identity at inference). Anything else is a UserError naming the layer.
 * The ops hold the model's own weight tensors (no copies).
 */
import type * as tf from '@tensorflow/tfjs';
import { UserError } from '../cli/errors.js';
import { isReluLayer } from './relu-layers.js';

export type Shape3 = readonly [number, number, number];

export type QOp =
  | { readonly kind: 'scale'; readonly name: string; readonly scale: number; readonly offset: number }
  | {
      readonly kind: 'conv';
      readonly name: string;
      /** HWIO. */
      readonly kernel: tf.Tensor4D;
      readonly bias: tf.Tensor1D | null;
      readonly kernelSize: readonly [number, number];
      readonly strides: readonly [number, number];
      /** Zero rows/columns added before the first input row/column ('same' padding). */
      readonly padTop: number;
      readonly padLeft: number;
      readonly padding: 'valid' | 'same';
      readonly inShape: Shape3;
      readonly outShape: Shape3;
    }
  | { readonly kind: 'relu'; readonly name: string; readonly index: number }
  | { readonly kind: 'flatten'; readonly name: string }
  | { readonly kind: 'dense'; readonly name: string; readonly kernel: tf.Tensor2D; readonly bias: tf.Tensor1D | null; readonly inUnits: number; readonly units: number };

export interface CompiledOps {
  readonly ops: QOp[];
  /** Height, width, channels of one input example. */
  readonly inputShape: Shape3;
  readonly nActions: number;
}

/** `source` (the agent directory, say) is named in errors. */
export function compileOps(model: tf.LayersModel, source: string): CompiledOps {
  const inShape = model.inputs[0]?.shape;
  if (model.inputs.length !== 1 || !inShape || inShape.length !== 4 || inShape.slice(1).some((d) => typeof d !== 'number')) {
    throw new UserError(`${source}: expected one N x height x width x channels input, got [${String(inShape)}].`);
  }
  const inputShape = inShape.slice(1) as unknown as Shape3;
  const ops: QOp[] = [];
  let shape: number[] = [...inputShape];
  let relus = 0;
  for (const layer of model.layers) {
    const cls = layer.getClassName();
    const cfg = layer.getConfig();
    const unsupported = (why: string): UserError =>
      new UserError(`${source}: layer '${layer.name}' (${cls}) ${why}; attacks and defenses support Conv2D, Dense, ReLU, Flatten and Rescaling chains.`);
    const weights = (): [tf.Tensor, tf.Tensor | null] => {
      const w = layer.getWeights();
      return [w[0]!, w[1] ?? null];
    };
    const outShape = (layer.outputShape as (number | null)[]).slice(1) as number[];
    if (cls === 'InputLayer' || cls === 'Dropout' || (cls === 'Activation' && cfg['activation'] === 'linear')) continue;
    if (isReluLayer(layer)) {
      ops.push({ kind: 'relu', name: layer.name, index: relus++ });
    } else if (cls === 'Rescaling') {
      ops.push({ kind: 'scale', name: layer.name, scale: Math.fround(cfg['scale'] as number), offset: Math.fround(cfg['offset'] as number) });
    } else if (cls === 'Flatten') {
      ops.push({ kind: 'flatten', name: layer.name });
    } else if (cls === 'Conv2D') {
      if (cfg['activation'] !== 'linear') throw unsupported(`applies '${String(cfg['activation'])}' inside itself`);
      if (cfg['dataFormat'] !== 'channelsLast') throw unsupported('is not channels-last');
      const dil = cfg['dilationRate'] as number | number[];
      if ((Array.isArray(dil) ? dil : [dil]).some((d) => d !== 1)) throw unsupported('is dilated');
      const [kernel, bias] = weights();
      const [kh, kw] = kernel.shape as [number, number];
      const strides = cfg['strides'] as [number, number];
      const padding = cfg['padding'] as string;
      if (padding !== 'valid' && padding !== 'same') throw unsupported(`has padding '${padding}'`);
      const [ih, iw, ic] = shape as [number, number, number];
      const [oh, ow] = outShape as [number, number];
      const padTop = padding === 'same' ? Math.floor(Math.max((oh - 1) * strides[0] + kh - ih, 0) / 2) : 0;
      const padLeft = padding === 'same' ? Math.floor(Math.max((ow - 1) * strides[1] + kw - iw, 0) / 2) : 0;
      ops.push({
        kind: 'conv',
        name: layer.name,
        kernel: kernel as tf.Tensor4D,
        bias: bias as tf.Tensor1D | null,
        kernelSize: [kh, kw],
        strides: [strides[0], strides[1]],
        padTop,
        padLeft,
        padding,
        inShape: [ih, iw, ic],
        outShape: outShape as unknown as Shape3,
      });
    } else if (cls === 'Dense') {
      if (cfg['activation'] !== 'linear') throw unsupported(`applies '${String(cfg['activation'])}' inside itself`);
      if (shape.length !== 1) throw unsupported('takes a multi-dimensional input (add a Flatten layer)');
      const [kernel, bias] = weights();
      ops.push({ kind: 'dense', name: layer.name, kernel: kernel as tf.Tensor2D, bias: bias as tf.Tensor1D | null, inUnits: shape[0]!, units: outShape[0]! });
    } else {
      throw unsupported('is not supported');
    }
    shape = outShape;
  }
  if (shape.length !== 1) throw new UserError(`${source}: the network's output must be N x actions, not N x ${shape.join(' x ')}.`);
  return { ops, inputShape, nActions: shape[0]! };
}
