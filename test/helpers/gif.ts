// Decodes a GIF with omggif (an independent decoder) into whole frames, each drawn over
// the one before as disposal "leave in place" says.
import { readFileSync } from 'node:fs';
import { GifReader } from 'omggif';

export interface DecodedGif {
  width: number;
  height: number;
  loopCount: number | null;
  /** Hundredths of a second, per frame. */
  delays: number[];
  disposals: number[];
  /** RGB (3 bytes a pixel) of each frame as shown. */
  frames: Uint8Array[];
}

export function decodeGif(file: string): DecodedGif {
  const bytes = readFileSync(file);
  expectSignature(bytes);
  const r = new GifReader(bytes);
  const rgba = new Uint8Array(r.width * r.height * 4);
  const frames: Uint8Array[] = [];
  const delays: number[] = [];
  const disposals: number[] = [];
  for (let i = 0; i < r.numFrames(); i++) {
    const info = r.frameInfo(i);
    delays.push(info.delay);
    disposals.push(info.disposal);
    r.decodeAndBlitFrameRGBA(i, rgba);
    const rgb = new Uint8Array(r.width * r.height * 3);
    for (let p = 0; p < r.width * r.height; p++) for (let c = 0; c < 3; c++) rgb[p * 3 + c] = rgba[p * 4 + c]!;
    frames.push(rgb);
  }
  return { width: r.width, height: r.height, loopCount: r.loopCount(), delays, disposals, frames };
}

function expectSignature(bytes: Buffer): void {
  const sig = bytes.toString('latin1', 0, 6);
  if (sig !== 'GIF89a') throw new Error(`not a GIF89a file (starts with ${JSON.stringify(sig)})`);
  if (bytes[bytes.length - 1] !== 0x3b) throw new Error('the GIF has no trailer (0x3b)');
}

/** The RGB of pixel (x, y) of a decoded frame. */
export function pixel(gif: DecodedGif, frame: Uint8Array, x: number, y: number): [number, number, number] {
  const i = (y * gif.width + x) * 3;
  return [frame[i]!, frame[i + 1]!, frame[i + 2]!];
}
