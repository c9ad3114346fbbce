/**
 * The input gradient of a convolution (a transposed convolution), two ways:
 *
 * - strided 'valid' convs (Nature CNN conv1 8x8/4, conv2 4x4/2): the sub-pixel
 *   ("phase") form of src/agent/phase-conv.ts, one stride-1 XNNPACK convolution;
 * - otherwise (stride 1, 'same' padding): cols = g . K^T (one matmul), then
 *   col2im adds every output position's receptive field into place.
 *
 * Both multiply by `scale` on the way (a Rescaling in front of the conv).
 */
import * as tf from '@tensorflow/tfjs';
import type { QNetwork, QOp } from '../agent/q-network.js';
import { phaseKernel, phasesToSpace } from '../agent/phase-conv.js';
import { peekData } from '../agent/tensor-data.js';

type ConvOp = Extract<QOp, { kind: 'conv' }>;

/** d loss / d conv input (n x IH x IW x I) from d loss / d conv output `g` (n x OH x OW x O). */
export function convBackward(net: QNetwork, op: ConvOp, g: Float32Array, n: number, scale: number): Float32Array {
  const usePhases = op.padding === 'valid' && (op.strides[0] > 1 || op.strides[1] > 1);
  return usePhases ? phaseBackward(net, op, g, n, scale) : col2imBackward(net, op, g, n, scale);
}

function phaseBackward(net: QNetwork, op: ConvOp, g: Float32Array, n: number, scale: number): Float32Array {
  const [kh, kw] = op.kernelSize;
  const [sh, sw] = op.strides;
  const [ih, iw, ic] = op.inShape;
  const [oh, ow, oc] = op.outShape;
  const mh = Math.ceil(kh / sh);
  const mw = Math.ceil(kw / sw);
  const qh = Math.ceil(ih / sh);
  const qw = Math.ceil(iw / sw);
  const v = net.derivedTensor(`${op.name}/phase-kernel`, () => phaseKernelTensor(op));
  // g with M - 1 zero rows/columns before and Q - OH (>= 0 for 'valid') after.
  const ph = qh + mh - 1;
  const pw = qw + mw - 1;
  const padded = new Float32Array(n * ph * pw * oc);
  const rowLen = ow * oc;
  for (let b = 0; b < n; b++)
    for (let y = 0; y < oh; y++) {
      const src = (b * oh + y) * rowLen;
      padded.set(g.subarray(src, src + rowLen), ((b * ph + y + mh - 1) * pw + mw - 1) * oc);
    }
  const gp = tf.tensor4d(padded, [n, ph, pw, oc]);
  const z = tf.conv2d(gp, v, 1, 'valid'); // n x qh x qw x (sh * sw * ic)
  try {
    const dx = new Float32Array(n * ih * iw * ic);
    phasesToSpace(peekData(z), dx, n, qh, qw, sh, sw, ih, iw, ic, scale);
    return dx;
  } finally {
    gp.dispose();
    z.dispose();
  }
}

function phaseKernelTensor(op: ConvOp): tf.Tensor4D {
  const [kh, kw] = op.kernelSize;
  const [sh, sw] = op.strides;
  const ic = op.inShape[2];
  const oc = op.outShape[2];
  const mh = Math.ceil(kh / sh);
  const mw = Math.ceil(kw / sw);
  const v = new Float32Array(mh * mw * oc * sh * sw * ic);
  phaseKernel(op.kernel.dataSync() as Float32Array, kh, kw, sh, sw, ic, oc, v);
  return tf.tensor4d(v, [mh, mw, oc, sh * sw * ic]);
}

function col2imBackward(net: QNetwork, op: ConvOp, g: Float32Array, n: number, scale: number): Float32Array {
  const [kh, kw] = op.kernelSize;
  const [ih, iw, ic] = op.inShape;
  const [oh, ow, oc] = op.outShape;
  const kt = net.derivedTensor(`${op.name}/kernel^T`, () => tf.transpose(tf.reshape(op.kernel, [kh * kw * ic, oc])));
  const dx = new Float32Array(n * ih * iw * ic);
  const a = tf.tensor2d(g, [n * oh * ow, oc]);
  const cols = tf.matMul(a, kt as tf.Tensor2D);
  try {
    col2im(peekData(cols), dx, n, op, scale); // read before anything else is allocated
  } finally {
    a.dispose();
    cols.dispose();
  }
  return dx;
}

/** Add each output position's receptive-field row of `cols` (KH x KW x I values), times `scale`, into dx. */
function col2im(cols: Float32Array, dx: Float32Array, n: number, op: ConvOp, scale: number): void {
  const [kh, kw] = op.kernelSize;
  const [sh, sw] = op.strides;
  const [ih, iw, ic] = op.inShape;
  const [oh, ow] = op.outShape;
  const run = kw * ic;
  let k = 0;
  for (let b = 0; b < n; b++)
    for (let oy = 0; oy < oh; oy++)
      for (let ox = 0; ox < ow; ox++) {
        const x0 = ox * sw - op.padLeft;
        const inside = x0 >= 0 && x0 + kw <= iw;
        for (let ky = 0; ky < kh; ky++, k += run) {
          const y = oy * sh + ky - op.padTop;
          if (y < 0 || y >= ih) continue;
          const rowStart = ((b * ih + y) * iw + x0) * ic;
          if (inside) {
            for (let j = 0; j < run; j++) dx[rowStart + j]! += cols[k + j]! * scale;
          } else {
            for (let kx = 0; kx < kw; kx++) {
              const x = x0 + kx;
              if (x < 0 || x >= iw) continue;
              for (let c = 0; c < ic; c++) dx[rowStart + kx * ic + c]! += cols[k + kx * ic + c]! * scale;
            }
          }
        }
      }
}
