import { expect } from 'chai';
import { drawText, FONT_SIGNS, GLYPH_ADVANCE, GLYPH_HEIGHT, glyphRows, textWidth } from '../../src/report/font.js';
import { ACTION_NAMES } from '../../src/atari/ale/actions.js';

/** The text drawn on a blank surface, as rows of '#' and '.'. */
function render(text: string, scale = 1, width = textWidth(text, scale), height = GLYPH_HEIGHT * scale): string[] {
  const surface = { width, height, pixels: new Uint8Array(width * height) };
  drawText(surface, text, 0, 0, 1, scale);
  return Array.from({ length: height }, (_, y) => [...surface.pixels.subarray(y * width, (y + 1) * width)].map((v) => (v ? '#' : '.')).join(''));
}

describe('bitmap font', () => {
  it('has every digit, every capital and the signs captions use, each 7 rows of 5 bits and all different', () => {
    for (const ch of '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ :.,-+=()/|%?_') expect(FONT_SIGNS, ch).to.include(ch);
    const shapes = new Set<string>();
    for (const ch of FONT_SIGNS) {
      const rows = glyphRows(ch)!;
      expect(rows, ch).to.have.length(GLYPH_HEIGHT);
      for (const r of rows) expect(r, ch).to.be.within(0, 31);
      if (ch !== ' ') expect(rows.some((r) => r !== 0), ch).to.equal(true);
      shapes.add(rows.join(','));
    }
    expect(shapes.size).to.equal(FONT_SIGNS.length);
    for (const name of ACTION_NAMES) for (const ch of name) expect(glyphRows(ch), name).to.not.equal(undefined);
  });

  it('draws glyphs left to right with one blank column between, lower case as capitals', () => {
    expect(render('1L')).to.deep.equal([
      '..#...#....',
      '.##...#....',
      '..#...#....',
      '..#...#....',
      '..#...#....',
      '..#...#....',
      '.###..#####',
    ]);
    expect(render('step')).to.deep.equal(render('STEP'));
    expect(textWidth('AB')).to.equal(2 * GLYPH_ADVANCE - 1);
    expect(textWidth('', 2)).to.equal(0);
  });

  it('scales each font pixel to a square block, clips at the edges and draws unknown signs as ?', () => {
    const big = render('-', 2);
    expect(big.slice(6, 8)).to.deep.equal(['##########', '##########']);
    expect(big.filter((r) => r.includes('#'))).to.have.length(2);
    expect(render('~')).to.deep.equal(render('?'));
    const surface = { width: 3, height: 3, pixels: new Uint8Array(9) };
    expect(() => drawText(surface, 'W', -2, -2, 7, 1)).to.not.throw();
    expect([...surface.pixels].some((v) => v === 7)).to.equal(true);
  });
});
