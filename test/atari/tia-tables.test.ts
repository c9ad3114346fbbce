import { expect } from 'chai';
import {
  BALL_MASKS, BL_BIT, COLLISIONS, HMOVE_BLANK_CYCLES, HMOVE_MOTION, M0_BIT, M1_BIT, MASK_WIDTH, MISSILE_MASKS,
  P0_BIT, P1_BIT, PF_BIT, PLAYER_MASKS, PLAYER_RUNS, PLAYFIELD_MASKS, POKE_DELAYS, PRIORITY, PRIORITY_BIT,
  RESET_WHEN, REVERSE_BITS, SCORE_BIT, SLOT_BK, SLOT_P0, SLOT_P1, SLOT_PF,
} from '../../src/atari/tia-tables.js';

/** Pixels 0..159 where an object at `pos` with table row `row` shows. */
function shown(table: Uint8Array, row: number, pos: number): number[] {
  const xs: number[] = [];
  for (let x = 0; x < 160; x++) if (table[row * MASK_WIDTH + 160 - pos + x]) xs.push(x);
  return xs;
}

describe('TIA tables (ALE 0.12.1 Stella TIA model)', () => {
  it('players: copies, stretch with its one-pixel delay, skipped first copy, wrap at the right edge', () => {
    expect(shown(PLAYER_MASKS, 0, 10)).to.deep.equal([10, 11, 12, 13, 14, 15, 16, 17]);
    expect(shown(PLAYER_MASKS, 3, 0)).to.have.length(24); // three close copies
    expect(shown(PLAYER_MASKS, 3, 0).filter((x) => x >= 32)).to.deep.equal([32, 33, 34, 35, 36, 37, 38, 39]);
    expect(shown(PLAYER_MASKS, 5, 0)).to.deep.equal(Array.from({ length: 16 }, (_, i) => i + 1)); // double, starts 1 late
    expect(shown(PLAYER_MASKS, 7, 0)[0]).to.equal(1); // quad, starts 1 late
    expect(shown(PLAYER_MASKS, 8 + 1, 0)).to.deep.equal([16, 17, 18, 19, 20, 21, 22, 23]); // first copy skipped
    expect(shown(PLAYER_MASKS, 8 + 5, 0)).to.deep.equal([]); // a stretched player has no other copy
    expect(shown(PLAYER_MASKS, 0, 156)).to.deep.equal([0, 1, 2, 3, 156, 157, 158, 159]);
    expect(PLAYER_MASKS[160 - 10 + 10]).to.equal(0x80); // leftmost pixel shows GRP bit 7
    expect(PLAYER_MASKS[5 * MASK_WIDTH + 160 + 2]).to.equal(0x80); // stretched: bit 7 on pixels 1-2
  });

  it('missiles and ball: width 1 << size, missile copies follow NUSIZ', () => {
    expect(shown(MISSILE_MASKS, 1 * 4 + 2, 20)).to.deep.equal([20, 21, 22, 23, 36, 37, 38, 39]);
    expect(shown(BALL_MASKS, 3, 100)).to.deep.equal([100, 101, 102, 103, 104, 105, 106, 107]);
  });

  it('playfield: PF0 bits 4-7, PF1 bits 7-0, PF2 bits 0-7 over 4-pixel cells, repeated or mirrored', () => {
    expect(PLAYFIELD_MASKS[0]).to.equal(1); // PF0 bit 4
    expect(PLAYFIELD_MASKS[16]).to.equal(0x800); // PF1 bit 7
    expect(PLAYFIELD_MASKS[48]).to.equal(0x1000); // PF2 bit 0
    expect(PLAYFIELD_MASKS[80]).to.equal(1); // repeated right half
    expect(PLAYFIELD_MASKS[160 + 80]).to.equal(0x80000); // mirrored: PF2 bit 7 first
    expect(PLAYFIELD_MASKS[160 + 159]).to.equal(1);
  });

  it('collisions and priorities', () => {
    expect(COLLISIONS[P0_BIT | P1_BIT]).to.equal(0x2000);
    expect(COLLISIONS[M0_BIT | P1_BIT | PF_BIT]).to.equal(0x0001 | 0x0040 | 0x0100);
    expect(COLLISIONS[BL_BIT]).to.equal(0);
    expect(PRIORITY[P0_BIT | PF_BIT]).to.equal(SLOT_P0);
    expect(PRIORITY[P0_BIT | PF_BIT | PRIORITY_BIT]).to.equal(SLOT_PF);
    expect(PRIORITY[P1_BIT | M1_BIT]).to.equal(SLOT_P1);
    expect(PRIORITY[PF_BIT | SCORE_BIT]).to.equal(SLOT_P0);
    expect(PRIORITY[256 + (PF_BIT | SCORE_BIT)]).to.equal(SLOT_P1);
    expect(PRIORITY[PF_BIT | SCORE_BIT | P1_BIT]).to.equal(SLOT_P0); // the left-half score quirk
    expect(PRIORITY[0]).to.equal(SLOT_BK);
    expect(PRIORITY[PF_BIT | SCORE_BIT | PRIORITY_BIT]).to.equal(SLOT_PF);
  });

  it('HMOVE: full motion early in the line, none mid-line, the blank for cycles 0-20 and 75', () => {
    const motion = (cycle: number, nibble: number): number => HMOVE_MOTION[cycle * 16 + nibble]!;
    expect([motion(0, 0), motion(0, 7), motion(0, 8), motion(0, 15)]).to.deep.equal([0, -7, 8, 1]);
    expect(motion(40, 7)).to.equal(0);
    expect(motion(73, 0)).to.equal(-8);
    expect(HMOVE_MOTION).to.have.length(76 * 16);
    expect([...HMOVE_BLANK_CYCLES].map((v, i) => (v ? i : -1)).filter((i) => i >= 0)).to.deep.equal([
      ...Array.from({ length: 21 }, (_, i) => i), 75,
    ]);
  });

  it('write delays, RESPx classification, bit reversal, non-zero runs', () => {
    expect(POKE_DELAYS[0x1b]).to.equal(1);
    expect(POKE_DELAYS[0x12]).to.equal(8);
    expect(POKE_DELAYS[0x0d]).to.equal(-1);
    const when = (mode: number, oldPos: number, newPos: number): number => RESET_WHEN[(mode * 160 + oldPos) * 160 + newPos]!;
    expect([when(0, 10, 12), when(0, 10, 15), when(0, 10, 30), when(1, 10, 30)]).to.deep.equal([-1, 1, 0, 1]);
    expect(when(0, 158, 3)).to.equal(1); // wrapped past the right edge
    expect(REVERSE_BITS[0x01]).to.equal(0x80);
    expect(REVERSE_BITS[0xc4]).to.equal(0x23);
    expect([...PLAYER_RUNS.subarray(3 * 7, 3 * 7 + 7)]).to.deep.equal([3, 0, 8, 16, 24, 32, 40]);
  });
});
