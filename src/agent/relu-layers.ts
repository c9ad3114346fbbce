/**
 * How a defense finds the ReLUs of an agent's network.
 *
 * Every agent network is a chain of layers (a tf.Sequential) in which each ReLU
 * is its own layer: an `Activation` layer with `activation: 'relu'` (what
 * buildNatureCnn makes, named relu1..relu4) or a `ReLU` layer. No other layer
 * may carry a fused non-linearity (conv/dense layers use `activation: 'linear'`);
 * loadAgent refuses networks that do, because a defense could not see those ReLUs.
 *
 * A defense such as SAP runs the chain itself with `applyLayers`, transforming
 * the output of every layer for which `isReluLayer` is true.
 */
import type * as tf from '@tensorflow/tfjs';

type Layer = tf.layers.Layer;

export function isReluLayer(layer: Layer): boolean {
  const cls = layer.getClassName();
  if (cls === 'Activation') return layer.getConfig()['activation'] === 'relu';
  if (cls === 'ReLU') {
    const c = layer.getConfig();
    return c['maxValue'] == null && !c['threshold'];
  }
  return false;
}

/** The ReLU layers, in forward order. */
export function findReluLayers(model: tf.LayersModel): Layer[] {
  return model.layers.filter(isReluLayer);
}

/** Layers that apply a non-linearity inside themselves (fused activation), which defenses cannot wrap. */
export function fusedActivationLayers(model: tf.LayersModel): { layer: string; activation: string }[] {
  const out: { layer: string; activation: string }[] = [];
  for (const layer of model.layers) {
    if (layer.getClassName() === 'Activation') continue;
    const act = layer.getConfig()['activation'];
    if (typeof act === 'string' && act !== 'linear') out.push({ layer: layer.name, activation: act });
  }
  return out;
}

/**
 * Run the model's layers one by one on `x`. `afterLayer(output, layer, index)`
 * may return a replacement tensor (e.g. a SAP-masked activation); returning
 * undefined keeps the output. Call it inside tf.tidy / tf.grad as usual.
 */
export function applyLayers(
  model: tf.LayersModel,
  x: tf.Tensor,
  afterLayer?: (output: tf.Tensor, layer: Layer, index: number) => tf.Tensor | undefined,
): tf.Tensor {
  let h = x;
  model.layers.forEach((layer, i) => {
    h = layer.apply(h) as tf.Tensor;
    h = afterLayer?.(h, layer, i) ?? h;
  });
  return h;
}
