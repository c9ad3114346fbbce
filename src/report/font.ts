// A 5x7 bitmap font for captions in recordings: digits, capital letters and the few signs
// the captions use. Each glyph is 7 rows of 5 bits (bit 4 = leftmost column), written as
// two hex digits a row. Lower-case text is drawn in capitals; an unknown sign draws as '?'.

export const GLYPH_WIDTH = 5;
export const GLYPH_HEIGHT = 7;
/** Columns from one glyph's left edge to the next (one blank column between). */
export const GLYPH_ADVANCE = GLYPH_WIDTH + 1;

const GLYPHS: Record<string, string> = {
  '0': '0e11131519110e', '1': '040c040404040e', '2': '0e11010204081f', '3': '1f02040201110e',
  '4': '02060a121f0202', '5': '1f101e0101110e', '6': '0608101e11110e', '7': '1f010204080808',
  '8': '0e11110e11110e', '9': '0e11110f01020c',
  A: '0e11111f111111', B: '1e11111e11111e', C: '0e11101010110e', D: '1c12111111121c',
  E: '1f10101e10101f', F: '1f10101e101010', G: '0e11101711110f', H: '1111111f111111',
  I: '0e04040404040e', J: '0702020202120c', K: '11121418141211', L: '1010101010101f',
  M: '111b1515111111', N: '11111915131111', O: '0e11111111110e', P: '1e11111e101010',
  Q: '0e11111115120d', R: '1e11111e141211', S: '0f10100e01011e', T: '1f040404040404',
  U: '1111111111110e', V: '11111111110a04', W: '1111111515150a', X: '11110a040a1111',
  Y: '1111110a040404', Z: '1f01020408101f',
  ' ': '00000000000000', ':': '000c0c000c0c00', '.': '00000000000c0c', ',': '000000000c0408',
  '-': '0000001f000000', '+': '0004041f040400', '=': '00001f001f0000', '(': '02040808080402',
  ')': '08040202020408', '/': '01010204081010', '|': '04040404040404', '%': '18190204081303',
  '?': '0e110102040004', '_': '0000000000001f',
};

/** The rows of a glyph (7 numbers of 5 bits); undefined for a sign the font lacks. */
export function glyphRows(ch: string): number[] | undefined {
  const hex = GLYPHS[ch.toUpperCase()];
  if (hex === undefined) return undefined;
  return Array.from({ length: GLYPH_HEIGHT }, (_, r) => parseInt(hex.slice(2 * r, 2 * r + 2), 16));
}

/** The signs the font draws (capitals; lower case maps onto them). */
export const FONT_SIGNS: readonly string[] = Object.keys(GLYPHS);

/** Pixel width of `text` drawn at `scale` (no trailing blank column). */
export function textWidth(text: string, scale = 1): number {
  return text.length === 0 ? 0 : (text.length * GLYPH_ADVANCE - 1) * scale;
}

/** Something to draw on: one value per pixel, row after row. */
export interface Surface {
  readonly width: number;
  readonly height: number;
  readonly pixels: { [i: number]: number; readonly length: number };
}

/** Draws `text` with its top-left corner at (x, y), each font pixel a `scale` x `scale` block of `value`; clipped to the surface. */
export function drawText(surface: Surface, text: string, x: number, y: number, value: number, scale = 1): void {
  const fallback = glyphRows('?')!;
  for (let i = 0; i < text.length; i++) {
    const rows = glyphRows(text[i]!) ?? fallback;
    const left = x + i * GLYPH_ADVANCE * scale;
    for (let r = 0; r < GLYPH_HEIGHT; r++) {
      for (let c = 0; c < GLYPH_WIDTH; c++) {
        if (((rows[r]! >> (GLYPH_WIDTH - 1 - c)) & 1) === 0) continue;
        for (let dy = 0; dy < scale; dy++) {
          const py = y + r * scale + dy;
          if (py < 0 || py >= surface.height) continue;
          for (let dx = 0; dx < scale; dx++) {
            const px = left + c * scale + dx;
            if (px >= 0 && px < surface.width) surface.pixels[py * surface.width + px] = value;
          }
        }
      }
    }
  }
}
