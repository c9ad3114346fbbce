// Area-interpolated downscaling of a grey image, as OpenCV's cv2.resize(..., INTER_AREA)
// does it for non-integer scale factors (the 160x210 -> 84x84 DQN resize): each output
// pixel is the overlap-weighted mean of the source pixels under it. OpenCV accumulates in
// float32 and rounds half to even; Math.fround keeps our sums bit-identical to its order
// of operations. Written by hand because no npm library offers this exact kernel.

interface Tap {
  dst: number;
  src: number;
  weight: number;
}

/** Which source pixels feed each output pixel along one axis, and with what weight. */
function areaTaps(srcSize: number, dstSize: number): Tap[] {
  const scale = 1 / (dstSize / srcSize); // OpenCV inverts the inverse scale
  const taps: Tap[] = [];
  for (let d = 0; d < dstSize; d++) {
    const f1 = d * scale;
    const f2 = f1 + scale;
    const cell = Math.min(scale, srcSize - f1);
    let s2 = Math.floor(f2);
    let s1 = Math.ceil(f1);
    s2 = Math.min(s2, srcSize - 1);
    s1 = Math.min(s1, s2);
    if (s1 - f1 > 1e-3) taps.push({ dst: d, src: s1 - 1, weight: Math.fround((s1 - f1) / cell) });
    for (let s = s1; s < s2; s++) taps.push({ dst: d, src: s, weight: Math.fround(1 / cell) });
    if (f2 - s2 > 1e-3) taps.push({ dst: d, src: s2, weight: Math.fround(Math.min(Math.min(f2 - s2, 1), cell) / cell) });
  }
  return taps;
}

function roundHalfEven(v: number): number {
  const r = Math.round(v);
  return r - v === 0.5 && r % 2 !== 0 ? r - 1 : r;
}

/** A reusable resizer for one (source, destination) geometry. */
export class AreaResizer {
  private readonly xTaps: Tap[];
  private readonly yTaps: Tap[];
  private readonly row: Float32Array;
  private readonly sum: Float32Array;

  constructor(
    readonly srcWidth: number,
    readonly srcHeight: number,
    readonly dstWidth: number,
    readonly dstHeight: number,
  ) {
    if (dstWidth > srcWidth || dstHeight > srcHeight) throw new RangeError('AreaResizer only shrinks');
    this.xTaps = areaTaps(srcWidth, dstWidth);
    this.yTaps = areaTaps(srcHeight, dstHeight);
    this.row = new Float32Array(dstWidth);
    this.sum = new Float32Array(dstWidth);
  }

  /** Resizes `src` (srcHeight rows of srcWidth grey bytes) into `out` (dstHeight x dstWidth). */
  resize(src: Uint8Array, out: Uint8Array = new Uint8Array(this.dstWidth * this.dstHeight)): Uint8Array {
    const { row, sum, xTaps, dstWidth, srcWidth } = this;
    const f = Math.fround;
    let prevDy = 0;
    sum.fill(0);
    for (let j = 0; j < this.yTaps.length; j++) {
      const { dst: dy, src: sy, weight: beta } = this.yTaps[j]!;
      row.fill(0);
      const base = sy * srcWidth;
      for (const t of xTaps) row[t.dst] = f(row[t.dst]! + f(src[base + t.src]! * t.weight));
      if (dy !== prevDy) {
        const o = prevDy * dstWidth;
        for (let dx = 0; dx < dstWidth; dx++) {
          out[o + dx] = Math.min(255, Math.max(0, roundHalfEven(sum[dx]!)));
          sum[dx] = f(beta * row[dx]!);
        }
        prevDy = dy;
      } else {
        for (let dx = 0; dx < dstWidth; dx++) sum[dx] = f(sum[dx]! + f(beta * row[dx]!));
      }
    }
    const o = prevDy * dstWidth;
    for (let dx = 0; dx < dstWidth; dx++) out[o + dx] = Math.min(255, Math.max(0, roundHalfEven(sum[dx]!)));
    return out;
  }
}
