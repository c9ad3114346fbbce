import { expect } from 'chai';
import {
  amplificationLabel,
  colourRgb,
  COLOUR_IDS,
  DIVERGING_STEPS,
  divergingId,
  PanelComposer,
  perturbationId,
  toIndexed,
} from '../../src/report/panels.js';

const N = 84;
function frames(seed: number): { clean: Uint8Array; seen: Uint8Array } {
  const clean = Uint8Array.from({ length: N * N }, (_, p) => (p * 7 + seed * 13) % 256);
  const seen = clean.map((v, p) => Math.max(0, Math.min(255, v + (((p * 31 + seed) % 3) - 1) * 4)));
  return { clean, seen };
}
const header = { setting: 'sap:1  fgsm lambda 4  perturb stack  episode 0', lambda: 4, attacking: true };

describe('recording panels', () => {
  it('maps a perturbation to a diverging colour: white at 0, full blue at -lambda, full red at +lambda and beyond', () => {
    expect(colourRgb(perturbationId(0, 4))).to.deep.equal([255, 255, 255]);
    const neg = colourRgb(perturbationId(-4, 4));
    const pos = colourRgb(perturbationId(9, 4));
    expect(neg[2]).to.be.greaterThan(neg[0]);
    expect(pos[0]).to.be.greaterThan(pos[2]);
    expect(perturbationId(-100, 4)).to.equal(divergingId(-DIVERGING_STEPS));
    expect(perturbationId(2, 4)).to.equal(divergingId(DIVERGING_STEPS / 2));
    const half = colourRgb(perturbationId(2, 4));
    expect(half[1]).to.be.within(pos[1] + 1, 254); // paler than full red
    expect(colourRgb(17)).to.deep.equal([17, 17, 17]);
    expect(amplificationLabel(4)).to.equal('64');
    expect(amplificationLabel(64)).to.equal('4');
    expect(amplificationLabel(100)).to.equal('2.6');
  });

  it('puts the clean frame, the perturbation and the seen frame side by side, each scaled up with nearest neighbour', () => {
    const c = new PanelComposer(header, N, 3);
    expect(c.panelSide).to.equal(252);
    expect(c.width).to.be.greaterThan(3 * 252);
    expect(c.panelX[1]! - c.panelX[0]!).to.be.greaterThan(252);
    const { clean, seen } = frames(1);
    const ids = c.compose(clean, seen, { step: 12, action: 'RIGHTFIRE', reward: -3 });
    expect(ids).to.have.length(c.width * c.height);
    for (let y = 0; y < 252; y++) {
      for (let x = 0; x < 252; x++) {
        const p = Math.floor(y / 3) * N + Math.floor(x / 3);
        const at = (panel: number) => ids[(c.panelY + y) * c.width + c.panelX[panel]! + x];
        if (at(0) !== clean[p] || at(2) !== seen[p] || at(1) !== perturbationId(seen[p]! - clean[p]!, 4)) {
          expect.fail(`panel pixel (${x}, ${y}) is wrong`);
        }
      }
    }
    // the caption differs between steps; the panels do not when the frames do not
    const other = c.compose(clean, seen, { step: 13, action: 'NOOP', reward: -3 });
    const diff = [...ids.keys()].filter((i) => ids[i] !== other[i]);
    expect(diff.length).to.be.greaterThan(0);
    for (const i of diff) expect(Math.floor(i / c.width)).to.be.at.least(c.panelY + 252);
    expect(() => c.compose(clean.subarray(1), seen, { step: 1, action: 'NOOP', reward: 0 })).to.throw(RangeError);
  });

  it('with nothing attacked the perturbation panel is uniform white and there is no colour scale', () => {
    const c = new PanelComposer({ ...header, attacking: false }, N, 2);
    const { clean } = frames(2);
    const ids = c.compose(clean, clean, { step: 1, action: 'NOOP', reward: 0 });
    const white = perturbationId(0, 4);
    for (let y = 0; y < c.panelSide; y++) for (let x = 0; x < c.panelSide; x++) expect(ids[(c.panelY + y) * c.width + c.panelX[1]! + x]).to.equal(white);
    expect([...ids].some((id) => id >= 256 && id !== white)).to.equal(false);
    const attacked = new PanelComposer(header, N, 2).compose(clean, clean, { step: 1, action: 'NOOP', reward: 0 });
    expect([...attacked].some((id) => id === divergingId(-DIVERGING_STEPS))).to.equal(true); // the colour scale
  });

  it('indexes a frame exactly with the colours it uses, in id order', () => {
    const ids = Uint16Array.from([5, 300, 5, 0, 255, divergingId(0), 300]);
    const { index, palette } = toIndexed(ids);
    expect(palette).to.deep.equal([[0, 0, 0], [5, 5, 5], [255, 255, 255], colourRgb(300)]); // white once
    expect([...index].map((i) => palette[i])).to.deep.equal([...ids].map((id) => (id === divergingId(0) ? [255, 255, 255] : colourRgb(id))));
  });

  it('rounds the grey levels of a frame with more than 256 colours until it fits', () => {
    const ids = Uint16Array.from({ length: COLOUR_IDS }, (_, i) => i);
    const { index, palette } = toIndexed(ids);
    expect(palette.length).to.be.at.most(256);
    for (let id = 0; id < 256; id++) expect(Math.abs(palette[index[id]!]![0] - id), `grey ${id}`).to.be.at.most(1);
    for (let id = 256; id < COLOUR_IDS; id++) expect(palette[index[id]!]).to.deep.equal(colourRgb(id));
  });
});
