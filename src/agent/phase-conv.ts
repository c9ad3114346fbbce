/**
 * The input gradient of a strided 'valid' convolution in sub-pixel ("phase") form, the
 * data layouts shared by the attack's hand-written backward (src/attack/conv-backward.ts)
 * and the trainer's wasm kernel (src/agent/wasm-train-kernels.ts).
 *
 * Write an input row as y = s*q + r (0 <= r < s). The output rows that see it are
 * oy = q - m with kernel row ky = s*m + r, m in [0, M), M = ceil(K / s). So every phase r
 * of dx is a stride-1 correlation of the output gradient g (padded by M - 1 in front) with
 * a flipped M x M sub-kernel, and all s_h * s_w phases are the output channels of ONE
 * stride-1 convolution: the conv's own FLOP count, no zero-dilated input.
 */

/**
 * The phase kernel, M_h x M_w x O x (s_h s_w I), from an HWIO kernel `w`:
 * V[ty, tx, o, (ry * sw + rx) * I + i] = W[sh (MH - 1 - ty) + ry, sw (MW - 1 - tx) + rx, i, o],
 * zero where that kernel position is past the kernel's edge. `out` must be zero-filled.
 */
export function phaseKernel(w: Float32Array, kh: number, kw: number, sh: number, sw: number, ic: number, oc: number, out: Float32Array): void {
  const mh = Math.ceil(kh / sh);
  const mw = Math.ceil(kw / sw);
  const cout = sh * sw * ic;
  for (let ty = 0; ty < mh; ty++)
    for (let tx = 0; tx < mw; tx++)
      for (let ry = 0; ry < sh; ry++)
        for (let rx = 0; rx < sw; rx++) {
          const ky = sh * (mh - 1 - ty) + ry;
          const kx = sw * (mw - 1 - tx) + rx;
          if (ky >= kh || kx >= kw) continue;
          for (let i = 0; i < ic; i++) {
            const src = ((ky * kw + kx) * ic + i) * oc;
            const dst = (ty * mw + tx) * oc * cout + (ry * sw + rx) * ic + i;
            for (let o = 0; o < oc; o++) out[dst + o * cout] = w[src + o]!;
          }
        }
}

/**
 * Puts the phases back: dx[b, y, x, i] = scale * z[b, py / sh, px / sw, ((py % sh) * sw + px % sw) * I + i]
 * with py = y + top, px = x + left, for the `ih` x `iw` pixels of dx (z: n x qh x qw x (sh sw I)).
 * `top`/`left` skip the rows/columns of zero padding in front of the input ('same' convs).
 */
export function phasesToSpace(
  z: Float32Array,
  dx: Float32Array,
  n: number,
  qh: number,
  qw: number,
  sh: number,
  sw: number,
  ih: number,
  iw: number,
  ic: number,
  scale = 1,
  top = 0,
  left = 0,
): void {
  const cz = sh * sw * ic;
  let d = 0;
  for (let b = 0; b < n; b++)
    for (let y = 0; y < ih; y++) {
      const py = y + top;
      const qy = Math.floor(py / sh);
      const rowBase = (b * qh + qy) * qw * cz + (py - qy * sh) * sw * ic;
      for (let x = 0; x < iw; x++, d += ic) {
        const px = x + left;
        const qx = Math.floor(px / sw);
        const src = rowBase + qx * cz + (px - qx * sw) * ic;
        for (let i = 0; i < ic; i++) dx[d + i] = z[src + i]! * scale;
      }
    }
}
