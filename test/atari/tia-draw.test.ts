import { expect } from 'chai';
import { TiaDrawing } from '../../src/atari/tia-draw.js';
import { BL_BIT, M0_BIT, M1_BIT, MASK_WIDTH, MISSILE_HIDDEN, P0_BIT, P1_BIT, PF_BIT } from '../../src/atari/tia-tables.js';
import { Xoshiro128 } from '../../src/util/rng.js';
import { ReferenceDrawing } from './tia-draw-reference.js';

/** The drawing state tia.ts keeps (the invariants it keeps: enabled P0/P1/PF iff graphics/pf non-zero). */
interface DrawState {
  vblank: number;
  colours: number[];
  scorePriority: number;
  pf: number;
  pfMask: number;
  curGrp0: number;
  curGrp1: number;
  enabled: number;
  p0Mask: number;
  p1Mask: number;
  m0Mask: number;
  m1Mask: number;
  blMask: number;
}

/** Puts `s` into a renderer's fields (`colours` passed apart: Drawing's is protected). */
function load(target: object, colours: Uint8Array, s: DrawState): void {
  const { colours: c, ...rest } = s;
  Object.assign(target, rest);
  colours.set(c);
}

class Drawing extends TiaDrawing {
  setState(s: DrawState): void {
    load(this, this.colours, s);
  }

  span(count: number, hpos: number): void {
    this.drawSpan(count, hpos);
  }

  at(pointer: number): void {
    this.framePointer = pointer;
  }

  lastSpan(): [number, number] {
    return [this.lastSpanStart, this.lastSpanLineEnd];
  }
}

describe('TIA drawing: bit-plane renderer vs the reference renderer', () => {
  it('draws the same pixels and collisions on random states and spans', () => {
    const rng = new Xoshiro128(7);
    const int = (n: number): number => rng.nextU32() % n;
    const chance = (p: number): boolean => rng.nextFloat() < p;
    const offset = (rows: number, pos: number): number => int(rows) * MASK_WIDTH + 160 - pos;
    const state: DrawState = {
      vblank: 0, colours: [0, 0, 0, 0], scorePriority: 0, pf: 0, pfMask: 0, curGrp0: 0, curGrp1: 0, enabled: 0,
      p0Mask: offset(1, 0), p1Mask: offset(1, 0), m0Mask: offset(1, 0), m1Mask: offset(1, 0), blMask: offset(1, 0),
    };
    // Changes a random part of the state, as register writes between two spans do.
    const mutate = (): void => {
      const s = state;
      const set = (bit: number, on: boolean): void => {
        s.enabled = on ? s.enabled | bit : s.enabled & ~bit;
      };
      switch (int(9)) {
        case 0: s.vblank = chance(0.1) ? 2 : 0; break;
        case 1: s.colours[int(4)] = int(256) & 0xfe; break;
        case 2: s.scorePriority = int(4) << 6; break;
        case 3:
          s.pf = chance(0.3) ? 0 : chance(0.5) ? int(1 << 20) : s.pf ^ (1 << int(20));
          s.pfMask = chance(0.2) ? 160 - s.pfMask : s.pfMask;
          set(PF_BIT, s.pf !== 0);
          break;
        case 4:
          s.curGrp0 = chance(0.3) ? 0 : int(256);
          if (chance(0.5)) s.p0Mask = offset(16, int(160));
          set(P0_BIT, s.curGrp0 !== 0);
          break;
        case 5:
          s.curGrp1 = chance(0.3) ? 0 : int(256);
          if (chance(0.5)) s.p1Mask = offset(16, int(160));
          set(P1_BIT, s.curGrp1 !== 0);
          break;
        case 6:
          s.m0Mask = chance(0.1) ? MISSILE_HIDDEN : offset(32, int(160));
          set(M0_BIT, chance(0.6));
          break;
        case 7:
          s.m1Mask = offset(32, int(160));
          set(M1_BIT, chance(0.6));
          break;
        default:
          s.blMask = offset(4, int(160));
          set(BL_BIT, chance(0.6));
          break;
      }
    };
    const ours = new Drawing();
    const ref = new ReferenceDrawing();
    const lines = 300;
    let pixels = 0;
    for (let round = 0; round < 40; round++) {
      for (let line = 0; line < lines; line++) {
        let x = 0;
        while (x < 160) {
          const n = Math.min(160 - x, chance(0.3) ? 1 + int(160) : 1 + int(12));
          const changes = 1 + int(3);
          for (let k = 0; k < changes; k++) mutate();
          ours.setState(state);
          load(ref, ref.colours, state);
          ours.collisions = ref.collisions = 0;
          ours.at(line * 160 + x);
          ref.framePointer = line * 160 + x;
          ours.span(n, x);
          ref.drawSpan(n, x);
          expect(ours.collisions, `collisions, line ${line} pixels ${x}..${x + n - 1}`).to.equal(ref.collisions);
          expect(ours.lastSpan()).to.deep.equal([ref.lastSpanStart, ref.lastSpanLineEnd]);
          x += n;
          pixels += n;
        }
      }
      for (let i = 0; i < lines * 160; i++) {
        if (ours.current[i] !== ref.current[i]) {
          expect.fail(`round ${round}: pixel ${i % 160} of line ${Math.floor(i / 160)} is ${ours.current[i]}, reference ${ref.current[i]}`);
        }
      }
    }
    expect(pixels).to.equal(40 * lines * 160);
  });
});
