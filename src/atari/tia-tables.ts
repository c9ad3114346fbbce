/**
 * Precomputed tables of the TIA model ALE 0.12.1 runs (the Stella 2.x TIA,
 * src/ale/emucore/TIA.cxx). Every table here states a fact of that model; the
 * renderer in tia.ts only indexes them.
 *
 * Object masks are 320 entries wide and read at offset `160 - position + hpos`
 * (hpos = 0..159), which is the same as reading entry (hpos - position) mod 160:
 * the second half repeats the first, so an object near the right edge wraps.
 */

/** Object bits of the "enabled" byte, as in the model's priority/collision logic. */
export const P0_BIT = 0x01;
export const M0_BIT = 0x02;
export const P1_BIT = 0x04;
export const M1_BIT = 0x08;
export const BL_BIT = 0x10;
export const PF_BIT = 0x20;
/** CTRLPF bit 1 (score) and bit 2 (priority), moved up next to the object bits. */
export const SCORE_BIT = 0x40;
export const PRIORITY_BIT = 0x80;

export const MASK_WIDTH = 320;

/** NUSIZ copy offsets (in pixels) of modes 0..7; 5 and 7 are the stretched single copies. */
const COPIES: readonly (readonly number[])[] = [[0], [0, 16], [0, 32], [0, 16, 32], [0, 64], [0], [0, 32, 64], [0]];

function mirrorHalf(table: Uint8Array, base: number): void {
  table.copyWithin(base + 160, base, base + 160);
}

/**
 * Player graphics masks: PLAYER_MASKS[((skipFirst * 8) + mode) * 320 + x] is the GRP bit
 * shown at pixel x of the object (0 = none). Modes 5 and 7 stretch the 8 bits over 16 and
 * 32 pixels and start one pixel late. With skipFirst = 1 the copy at offset 0 is not
 * drawn (what RESPx does for the rest of the line), so modes 5 and 7 draw nothing.
 */
export const PLAYER_MASKS: Uint8Array = (() => {
  const t = new Uint8Array(2 * 8 * MASK_WIDTH);
  for (let skip = 0; skip < 2; skip++) {
    for (let mode = 0; mode < 8; mode++) {
      const base = (skip * 8 + mode) * MASK_WIDTH;
      if (mode === 5 || mode === 7) {
        const scale = mode === 5 ? 2 : 4;
        if (skip === 0) for (let k = 0; k < 8 * scale; k++) t[base + 1 + k] = 0x80 >> Math.floor(k / scale);
      } else {
        for (const offset of COPIES[mode]!) {
          if (offset === 0 && skip === 1) continue;
          for (let k = 0; k < 8; k++) t[base + offset + k] = 0x80 >> k;
        }
      }
      mirrorHalf(t, base);
    }
  }
  return t;
})();

/**
 * Missile masks: MISSILE_MASKS[((mode * 4) + size) * 320 + x] is 1 where the missile shows.
 * One more all-zero block follows (MISSILE_HIDDEN), for a line where the Cosmic Ark
 * effect hides missile 0.
 */
export const MISSILE_HIDDEN = 32 * MASK_WIDTH;
export const MISSILE_MASKS: Uint8Array = (() => {
  const t = new Uint8Array(33 * MASK_WIDTH);
  for (let mode = 0; mode < 8; mode++) {
    for (let size = 0; size < 4; size++) {
      const base = (mode * 4 + size) * MASK_WIDTH;
      for (const offset of COPIES[mode]!) t.fill(1, base + offset, base + offset + (1 << size));
      mirrorHalf(t, base);
    }
  }
  return t;
})();

/** Ball masks: BALL_MASKS[size * 320 + x]. */
export const BALL_MASKS: Uint8Array = (() => {
  const t = new Uint8Array(4 * MASK_WIDTH);
  for (let size = 0; size < 4; size++) {
    t.fill(1, size * MASK_WIDTH, size * MASK_WIDTH + (1 << size));
    mirrorHalf(t, size * MASK_WIDTH);
  }
  return t;
})();

/**
 * Playfield: the 20 PF bits are kept in one word, PF0 bits 4-7 as bits 0-3, PF1 as bits
 * 4-11 (PF1 bit 7 = word bit 4), PF2 as bits 12-19. PLAYFIELD_MASKS[reflect * 160 + x] is
 * the word bit shown at pixel x; each bit covers 4 pixels. The right half repeats the
 * left one, or mirrors it when CTRLPF bit 0 is set.
 */
export const PLAYFIELD_MASKS: Uint32Array = (() => {
  const t = new Uint32Array(2 * 160);
  const leftHalf = (x: number): number => {
    if (x < 16) return 1 << (x >> 2);
    if (x < 48) return 0x800 >> ((x - 16) >> 2);
    return 0x1000 << ((x - 48) >> 2);
  };
  for (let x = 0; x < 80; x++) {
    const bit = leftHalf(x);
    t[x] = bit;
    t[80 + x] = bit;
    t[160 + x] = bit;
    t[160 + 159 - x] = bit;
  }
  return t;
})();

/** Collision latch bits (CXM0P bit 7 = 0x0001 ... CXPPMM bit 6 = 0x4000) set by an enabled set. */
export const COLLISIONS: Uint16Array = (() => {
  const pairs: [number, number, number][] = [
    [M0_BIT, P1_BIT, 0x0001], [M0_BIT, P0_BIT, 0x0002], [M1_BIT, P0_BIT, 0x0004], [M1_BIT, P1_BIT, 0x0008],
    [P0_BIT, PF_BIT, 0x0010], [P0_BIT, BL_BIT, 0x0020], [P1_BIT, PF_BIT, 0x0040], [P1_BIT, BL_BIT, 0x0080],
    [M0_BIT, PF_BIT, 0x0100], [M0_BIT, BL_BIT, 0x0200], [M1_BIT, PF_BIT, 0x0400], [M1_BIT, BL_BIT, 0x0800],
    [BL_BIT, PF_BIT, 0x1000], [P0_BIT, P1_BIT, 0x2000], [M0_BIT, M1_BIT, 0x4000],
  ];
  const t = new Uint16Array(64);
  for (let e = 0; e < 64; e++) for (const [a, b, bit] of pairs) if (e & a && e & b) t[e] = t[e]! | bit;
  return t;
})();

/** Colour slots of the priority encoder. */
export const SLOT_BK = 0;
export const SLOT_PF = 1;
export const SLOT_P0 = 2;
export const SLOT_P1 = 3;

/**
 * The priority encoder: PRIORITY[(rightHalf ? 256 : 0) + (enabled | score | priority)]
 * is the colour slot of a pixel. With priority, PF and ball are on top of P0/M0, which are
 * on top of P1/M1, and the score bit is ignored. Without priority, P0/M0 are on top,
 * then P1/M1, then PF/ball; in score mode the playfield takes the colour of P0 (left
 * half) or P1 (right half), and a left-half score playfield stays in P0's colour even
 * under P1/M1 (a quirk of the model).
 */
export const PRIORITY: Uint8Array = (() => {
  const t = new Uint8Array(512);
  for (let half = 0; half < 2; half++) {
    for (let e = 0; e < 256; e++) {
      let slot = SLOT_BK;
      if (e & PRIORITY_BIT) {
        if (e & (P1_BIT | M1_BIT)) slot = SLOT_P1;
        if (e & (P0_BIT | M0_BIT)) slot = SLOT_P0;
        if (e & (BL_BIT | PF_BIT)) slot = SLOT_PF;
      } else {
        if (e & BL_BIT) slot = SLOT_PF;
        if (e & PF_BIT) slot = e & SCORE_BIT ? (half === 0 ? SLOT_P0 : SLOT_P1) : SLOT_PF;
        if (e & (P1_BIT | M1_BIT)) slot = slot === SLOT_P0 ? SLOT_P0 : SLOT_P1;
        if (e & (P0_BIT | M0_BIT)) slot = SLOT_P0;
      }
      t[half * 256 + e] = slot;
    }
  }
  return t;
})();

/**
 * How many colour clocks after the write a register write takes visible effect (the
 * frame is drawn up to write clock + delay before the register changes). -1 marks the
 * playfield registers, whose delay depends on the pixel position (PF_DELAYS).
 */
export const POKE_DELAYS: Int8Array = (() => {
  const t = new Int8Array(64);
  const set: [number, number][] = [
    [0x01, 1], [0x04, 8], [0x05, 8], [0x0b, 1], [0x0c, 1], [0x0d, -1], [0x0e, -1], [0x0f, -1],
    [0x12, 8], [0x13, 8], [0x1b, 1], [0x1c, 1],
  ];
  for (const [reg, delay] of set) t[reg] = delay;
  return t;
})();

/** Playfield write delay by ((colour clock in line / 3) & 3). */
export const PF_DELAYS: Int8Array = Int8Array.from([4, 5, 2, 3]);

/**
 * HMOVE: the pixels an object moves when HMOVE ends at CPU cycle c of the line (row c,
 * 0..75) for motion nibble n (column n, the register's high nibble as written: 0..7 move
 * left by n, 8..15 move right by 16 - n, as signed position changes). Early in the line
 * the full motion applies, late writes give the partial and "extra" motions of the real
 * chip as the model tabulates them.
 */
export const HMOVE_MOTION: Int8Array = (() => {
  // The table as published with the model, one row per CPU cycle (16 signed values).
  const full = '0 -1 -2 -3 -4 -5 -6 -7 8 7 6 5 4 3 2 1';
  const rows: string[] = [
    full, full, full, full,
    '0 -1 -2 -3 -4 -5 -6 -6 8 7 6 5 4 3 2 1',
    '0 -1 -2 -3 -4 -5 -5 -5 8 7 6 5 4 3 2 1',
    '0 -1 -2 -3 -4 -5 -5 -5 8 7 6 5 4 3 2 1',
    '0 -1 -2 -3 -4 -4 -4 -4 8 7 6 5 4 3 2 1',
    '0 -1 -2 -3 -3 -3 -3 -3 8 7 6 5 4 3 2 1',
    '0 -1 -2 -2 -2 -2 -2 -2 8 7 6 5 4 3 2 1',
    '0 -1 -2 -2 -2 -2 -2 -2 8 7 6 5 4 3 2 1',
    '0 -1 -1 -1 -1 -1 -1 -1 8 7 6 5 4 3 2 1',
    '0 0 0 0 0 0 0 0 8 7 6 5 4 3 2 1',
    '1 1 1 1 1 1 1 1 8 7 6 5 4 3 2 1',
    '1 1 1 1 1 1 1 1 8 7 6 5 4 3 2 1',
    '2 2 2 2 2 2 2 2 8 7 6 5 4 3 2 2',
    '3 3 3 3 3 3 3 3 8 7 6 5 4 3 3 3',
    '4 4 4 4 4 4 4 4 8 7 6 5 4 4 4 4',
    '4 4 4 4 4 4 4 4 8 7 6 5 4 4 4 4',
    '5 5 5 5 5 5 5 5 8 7 6 5 5 5 5 5',
    '6 6 6 6 6 6 6 6 8 7 6 6 6 6 6 6',
  ];
  const zero = '0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0';
  while (rows.length < 55) rows.push(zero);
  rows.push(
    '0 0 0 0 0 0 0 -1 0 0 0 0 0 0 0 0',
    '0 0 0 0 0 0 -1 -2 0 0 0 0 0 0 0 0',
    '0 0 0 0 0 -1 -2 -3 0 0 0 0 0 0 0 0',
    '0 0 0 0 0 -1 -2 -3 0 0 0 0 0 0 0 0',
    '0 0 0 0 -1 -2 -3 -4 0 0 0 0 0 0 0 0',
    '0 0 0 -1 -2 -3 -4 -5 0 0 0 0 0 0 0 0',
    '0 0 -1 -2 -3 -4 -5 -6 0 0 0 0 0 0 0 0',
    '0 0 -1 -2 -3 -4 -5 -6 0 0 0 0 0 0 0 0',
    '0 -1 -2 -3 -4 -5 -6 -7 0 0 0 0 0 0 0 0',
    '-1 -2 -3 -4 -5 -6 -7 -8 0 0 0 0 0 0 0 0',
    '-2 -3 -4 -5 -6 -7 -8 -9 0 0 0 0 0 0 0 -1',
    '-2 -3 -4 -5 -6 -7 -8 -9 0 0 0 0 0 0 0 -1',
    '-3 -4 -5 -6 -7 -8 -9 -10 0 0 0 0 0 0 -1 -2',
    '-4 -5 -6 -7 -8 -9 -10 -11 0 0 0 0 0 -1 -2 -3',
    '-5 -6 -7 -8 -9 -10 -11 -12 0 0 0 0 -1 -2 -3 -4',
    '-5 -6 -7 -8 -9 -10 -11 -12 0 0 0 0 -1 -2 -3 -4',
    '-6 -7 -8 -9 -10 -11 -12 -13 0 0 0 -1 -2 -3 -4 -5',
    '-7 -8 -9 -10 -11 -12 -13 -14 0 0 -1 -2 -3 -4 -5 -6',
    '-8 -9 -10 -11 -12 -13 -14 -15 0 -1 -2 -3 -4 -5 -6 -7',
    '-8 -9 -10 -11 -12 -13 -14 -15 0 -1 -2 -3 -4 -5 -6 -7',
    full,
  );
  if (rows.length !== 76) throw new Error(`HMOVE table has ${rows.length} rows`);
  return Int8Array.from(rows.flatMap((r) => r.split(' ').map(Number)));
})();

/** HMOVE at CPU cycle c (0..75 of the line) turns on the 8-pixel HMOVE blank when set. */
export const HMOVE_BLANK_CYCLES: Uint8Array = (() => {
  const t = new Uint8Array(76);
  t.fill(1, 0, 21);
  t[75] = 1;
  return t;
})();

/**
 * What RESPx meets: RESET_WHEN[(mode * 160 + oldPos) * 160 + newPos] is 1 when the new
 * position lies inside a drawn copy of the player at its old position, -1 when it lies in
 * the 4-pixel start delay before a copy, 0 otherwise. A position is inside a copy at
 * offset c when it is 4+c .. 4+c+width-1 pixels to the right of the old position; the
 * relation is modular, and for positions that wrap past the right edge the wrapped
 * reading (up to 236 pixels away) decides when it classifies them.
 */
export const RESET_WHEN: Int8Array = (() => {
  const t = new Int8Array(8 * 160 * 160);
  const classify = (mode: number, r: number): number => {
    const width = mode === 5 ? 16 : mode === 7 ? 32 : 8;
    let v = 0;
    for (const c of COPIES[mode]!) {
      if (r >= c + 4 && r < c + 4 + width) return 1;
      if (r >= c && r < c + 4) v = -1;
    }
    return v;
  };
  for (let mode = 0; mode < 8; mode++) {
    for (let oldPos = 0; oldPos < 160; oldPos++) {
      const row = (mode * 160 + oldPos) * 160;
      for (let i = 0; i < 160; i++) {
        let v = 0;
        if (i >= oldPos) v = classify(mode, i - oldPos);
        if (i + 160 < 237) {
          const w = classify(mode, i + 160 - oldPos);
          if (w !== 0) v = w;
        }
        t[row + i] = v;
      }
    }
  }
  return t;
})();

/** Bit-reversed bytes (REFPx). */
export const REVERSE_BITS: Uint8Array = (() => {
  const t = new Uint8Array(256);
  for (let i = 0; i < 256; i++) {
    let r = 0;
    for (let b = 0; b < 8; b++) if (i & (1 << b)) r |= 0x80 >> b;
    t[i] = r;
  }
  return t;
})();

/**
 * Where each mask row is non-zero, for the renderer to skip empty pixels: for a row of
 * PLAYER_MASKS / MISSILE_MASKS / BALL_MASKS, RUNS[row * 7] is the number of runs (0..3)
 * and RUNS[row * 7 + 1 + 2k], RUNS[row * 7 + 2 + 2k] the k-th run's first and past-last
 * entry, relative to the object's position (all runs lie within 0..159).
 */
function runsOf(table: Uint8Array, rows: number): Int16Array {
  const runs = new Int16Array(rows * 7);
  for (let row = 0; row < rows; row++) {
    const base = row * MASK_WIDTH;
    let n = 0;
    for (let x = 0; x < 160; x++) {
      if (table[base + x] && (x === 0 || !table[base + x - 1])) {
        let e = x;
        while (e < 160 && table[base + e]) e++;
        runs[row * 7 + 1 + 2 * n] = x;
        runs[row * 7 + 2 + 2 * n] = e;
        n++;
      }
    }
    runs[row * 7] = n;
  }
  return runs;
}

export const PLAYER_RUNS: Int16Array = runsOf(PLAYER_MASKS, 16);
export const MISSILE_RUNS: Int16Array = runsOf(MISSILE_MASKS, 33);
export const BALL_RUNS: Int16Array = runsOf(BALL_MASKS, 4);

/**
 * A player copy's pixels as a bit pattern (bit k = pixel k of the copy) for graphics g:
 * PLAYER_PATTERNS[(width >> 4) * 256 + g] for copies 8, 16 and 32 pixels wide (modes 0,
 * 5 and 7 of PLAYER_MASKS; every copy of a row has the layout of its first).
 */
export const PLAYER_PATTERNS: Int32Array = (() => {
  const t = new Int32Array(3 * 256);
  for (const mode of [0, 5, 7]) {
    const first = PLAYER_RUNS[mode * 7 + 1]!;
    const width = PLAYER_RUNS[mode * 7 + 2]! - first;
    for (let g = 0; g < 256; g++) {
      let bits = 0;
      for (let k = 0; k < width; k++) if (g & PLAYER_MASKS[mode * MASK_WIDTH + first + k]!) bits |= 1 << k;
      t[(width >> 4) * 256 + g] = bits;
    }
  }
  return t;
})();
