/**
 * The Nature DQN network (Mnih et al. 2015) in TensorFlow.js:
 *
 *   input  N x H x W x C (NHWC, uint8-valued float32 pixels 0..255; C = frame stack)
 *   [scale  x / 255, when the network divides by 255 itself]
 *   conv1  32 filters 8x8 stride 4 -> relu1
 *   conv2  64 filters 4x4 stride 2 -> relu2
 *   conv3  64 filters 3x3 stride 1 -> relu3
 *   flatten (NHWC order)
 *   dense1 512 -> relu4
 *   q      nActions (linear)
 *
 * ReLUs are separate Activation layers so that defenses can wrap them (see relu-layers.ts).
 */
import * as tf from '@tensorflow/tfjs';

export interface NatureCnnOptions {
  readonly nActions: number;
  /** Divide by 255 inside the network (the input is always 0..255). */
  readonly scaleInside: boolean;
  readonly frameStack?: number;
  readonly height?: number;
  readonly width?: number;
  /** Seed for the initial weights (Glorot uniform kernels, zero biases). */
  readonly seed?: number;
}

/** Layer names, stable so importers and tests can address layers. */
export const NATURE_CNN_LAYERS = {
  scale: 'scale',
  convs: ['conv1', 'conv2', 'conv3'],
  hidden: 'dense1',
  out: 'q',
} as const;

const CONVS = [
  { filters: 32, kernel: 8, stride: 4 },
  { filters: 64, kernel: 4, stride: 2 },
  { filters: 64, kernel: 3, stride: 1 },
] as const;

/** Spatial size after the three convolutions (7 x 7 for 84 x 84). */
export function natureCnnFeatureShape(height: number, width: number): [number, number, number] {
  let h = height;
  let w = width;
  for (const c of CONVS) {
    h = Math.floor((h - c.kernel) / c.stride) + 1;
    w = Math.floor((w - c.kernel) / c.stride) + 1;
  }
  return [h, w, CONVS[CONVS.length - 1]!.filters];
}

export function buildNatureCnn(opts: NatureCnnOptions): tf.Sequential {
  return buildConvQNet({ ...opts, convs: CONVS, hidden: [512], name: 'nature_cnn' });
}

export interface ConvQNetOptions extends NatureCnnOptions {
  /** Conv layers ('valid' padding), each followed by a ReLU (named conv1.., relu1..). */
  readonly convs: readonly { filters: number; kernel: number; stride: number }[];
  /** Dense layers after the flatten, each followed by a ReLU (named dense1..). */
  readonly hidden: readonly number[];
  readonly name?: string;
}

/** A conv -> dense Q-network of the Nature CNN's shape with any layer sizes. */
export function buildConvQNet(opts: ConvQNetOptions): tf.Sequential {
  const { nActions, scaleInside, frameStack = 4, height = 84, width = 84, seed } = opts;
  let nextSeed = seed;
  const init = () => {
    const s = nextSeed;
    if (nextSeed !== undefined) nextSeed++;
    return tf.initializers.glorotUniform(s === undefined ? {} : { seed: s });
  };
  const inputShape = [height, width, frameStack];
  let relu = 0;

  const model = tf.sequential({ name: opts.name ?? 'conv_q_net' });
  if (scaleInside) model.add(tf.layers.rescaling({ name: NATURE_CNN_LAYERS.scale, scale: 1 / 255, inputShape }));
  opts.convs.forEach((c, i) => {
    model.add(
      tf.layers.conv2d({
        name: `conv${i + 1}`,
        filters: c.filters,
        kernelSize: c.kernel,
        strides: c.stride,
        padding: 'valid',
        dataFormat: 'channelsLast',
        activation: 'linear',
        kernelInitializer: init(),
        ...(i === 0 && !scaleInside ? { inputShape } : {}),
      }),
    );
    model.add(tf.layers.activation({ name: `relu${++relu}`, activation: 'relu' }));
  });
  model.add(tf.layers.flatten({ name: 'flatten' }));
  opts.hidden.forEach((units, i) => {
    model.add(tf.layers.dense({ name: `dense${i + 1}`, units, activation: 'linear', kernelInitializer: init() }));
    model.add(tf.layers.activation({ name: `relu${++relu}`, activation: 'relu' }));
  });
  model.add(tf.layers.dense({ name: NATURE_CNN_LAYERS.out, units: nActions, activation: 'linear', kernelInitializer: init() }));
  return model;
}
