/**
 * The TIA's pixel drawing: one span of a line at a time, with the register state that
 * holds between two register writes (tia.ts decides when to draw what).
 *
 * A pixel's colour and the collisions it causes follow the model's rules: the enabled
 * objects at the pixel (PF, BL, P1, M1, P0, M0, read from the mask tables) index the
 * collision table and the priority encoder. Drawing is organised for speed: pixels no
 * object covers show the playfield or the background and are written 4 at a time; only
 * pixels inside an enabled object's copies go through the per-pixel rules.
 *
 * One special case of the model is kept: the playfield drawn alone in score mode takes
 * the players' colours even when the priority bit is set (with other objects present
 * the priority bit wins). And one artefact of its 4-pixel writes: see `overshoot`,
 * applied when a frame ends in the middle of a drawn line.
 */
import {
  BALL_MASKS, BALL_RUNS, BL_BIT, COLLISIONS, M0_BIT, M1_BIT, MASK_WIDTH, MISSILE_MASKS, MISSILE_RUNS, P0_BIT,
  P1_BIT, PF_BIT, PLAYER_MASKS, PLAYER_PATTERNS, PLAYER_RUNS, PLAYFIELD_MASKS, PRIORITY, REVERSE_BITS, SCORE_BIT,
} from './tia-tables.js';

export const BUFFER_WIDTH = 160;
export const BUFFER_LINES = 300;
const PF_PLANE = 25;
const ANY_PLANE = 30;

/** The 4 bits of n, bit i into bit 0 of byte i. */
function spreadPixels(n: number): number {
  return Math.imul(n, 0x204081) & 0x01010101;
}

/** CELL_BITS[n]: 8 playfield cell bits, each over its 4 pixels' bits. */
const CELL_BITS: Int32Array = (() => {
  const t = new Int32Array(256);
  for (let n = 0; n < 256; n++) for (let c = 0; c < 8; c++) if (n & (1 << c)) t[n] = t[n]! | (15 << (4 * c));
  return t;
})();

export abstract class TiaDrawing {
  // ---- frame buffers
  protected bufferA = new Uint8Array(BUFFER_WIDTH * BUFFER_LINES);
  protected bufferB = new Uint8Array(BUFFER_WIDTH * BUFFER_LINES);
  private wordsA = new Uint32Array(this.bufferA.buffer);
  private wordsB = new Uint32Array(this.bufferB.buffer);
  /** The buffer being drawn, and after a completed frame, the frame's picture. */
  current = this.bufferA;
  previous = this.bufferB;
  /** Index of the next pixel to draw in `current`. */
  protected framePointer = 0;

  // ---- the state pixels depend on
  protected vblank = 0;
  /** Colour registers (low bit cleared on NTSC): background, playfield, player 0, player 1. */
  protected readonly colours = new Uint8Array(4);
  /** CTRLPF score/priority bits, as SCORE_BIT/PRIORITY_BIT. */
  protected scorePriority = 0;
  /** The 20 playfield bits (see PLAYFIELD_MASKS). */
  protected pf = 0;
  /** Player graphics as drawn (vertical delay and reflection applied). */
  protected curGrp0 = 0;
  protected curGrp1 = 0;
  /** Objects that can show (P0/P1: drawn graphics non-zero; M0/M1/BL enabled; PF non-zero). */
  protected enabled = 0;
  /** Mask offsets: an object shows at pixel x when its table's entry (offset + x) is set. */
  protected p0Mask = 0;
  protected p1Mask = 0;
  protected m0Mask = 0;
  protected m1Mask = 0;
  protected blMask = 0;
  /** 0 (playfield repeated) or 160 (reflected). */
  protected pfMask = 0;
  /** Collision latches (bits as in COLLISIONS). */
  collisions = 0;

  /** The last span drawn (-1 once used): its first buffer index and its end pixel in the line. */
  protected lastSpanStart = -1;
  protected lastSpanLineEnd = 0;

  /**
   * The line as bit planes, 5 words (bit x & 31 of word x >> 5 = pixel x) per plane: where
   * P0, M0, P1, M1, BL (in the order of their enabled bits) and the playfield show, then
   * the union of the five objects. Each plane is rebuilt when the state it was built from
   * (the keys) changes.
   */
  private readonly planes = new Int32Array(35);
  private p0Key = NaN;
  private m0Key = NaN;
  private p1Key = NaN;
  private m1Key = NaN;
  private blKey = NaN;
  private pfKey = NaN;

  /** Swap the two buffers (frame start). */
  protected swapBuffers(): void {
    const b = this.current;
    this.current = this.previous;
    this.previous = b;
  }

  protected clearBuffers(): void {
    this.bufferA.fill(0);
    this.bufferB.fill(0);
  }

  private words(): Uint32Array {
    return this.current === this.bufferA ? this.wordsA : this.wordsB;
  }

  /** Draws `count` pixels of the current line from pixel `hpos` on. */
  protected drawSpan(count: number, hpos: number): void {
    const out = this.current;
    const start = this.framePointer;
    const end = start + count;
    this.framePointer = end;
    if (this.vblank & 2) {
      out.fill(0, start, end);
      return;
    }
    const objects = this.enabled;
    if (objects === 0) {
      out.fill(this.colours[0]!, start, end);
      return;
    }
    this.syncPlayfield();
    if (objects === PF_BIT) {
      const score = (this.scorePriority & SCORE_BIT) !== 0;
      const c = this.colours;
      this.drawPlayfield(start, hpos, hpos + count, score ? c[2]! : c[1]!, score ? c[3]! : c[1]!);
    } else {
      this.syncObjects();
      this.drawMixed(start, hpos, hpos + count);
    }
    this.lastSpanStart = start;
    this.lastSpanLineEnd = hpos + count;
  }

  /** Rebuilds the playfield plane if the playfield changed since it was built. */
  private syncPlayfield(): void {
    const key = this.enabled & PF_BIT ? this.pf | (this.pfMask === 0 ? 0 : 1 << 20) : -1;
    if (key === this.pfKey) return;
    this.pfKey = key;
    const planes = this.planes;
    if (key < 0) {
      planes.fill(0, PF_PLANE, PF_PLANE + 5);
      return;
    }
    // Cell bits of the left half (bit c = playfield shown on pixels 4c..4c+3), see
    // PLAYFIELD_MASKS; the right half repeats them or mirrors them.
    const pf = this.pf;
    const left = (pf & 0xf) | (REVERSE_BITS[(pf >> 4) & 0xff]! << 4) | (pf & 0xff000);
    const right = this.pfMask === 0
      ? left
      : (REVERSE_BITS[left & 0xff]! << 12) | (REVERSE_BITS[(left >> 8) & 0xff]! << 4) | (REVERSE_BITS[(left >> 16) & 0xf]! >> 4);
    planes[PF_PLANE] = CELL_BITS[left & 0xff]!;
    planes[PF_PLANE + 1] = CELL_BITS[(left >> 8) & 0xff]!;
    planes[PF_PLANE + 2] = CELL_BITS[((left >> 16) & 0xf) | ((right & 0xf) << 4)]!;
    planes[PF_PLANE + 3] = CELL_BITS[(right >> 4) & 0xff]!;
    planes[PF_PLANE + 4] = CELL_BITS[(right >> 12) & 0xff]!;
  }

  /**
   * Rebuilds the planes of the objects that changed since they were built, and their union.
   * The five checks are written out on purpose: runs once per span, and a loop over a key
   * array with a helper call measured ~10% slower on Space Invaders.
   */
  private syncObjects(): void {
    const objects = this.enabled;
    let changed = false;
    // Players: position, NUSIZ and graphics (zero graphics draw nothing).
    let key = this.p0Mask * 256 + this.curGrp0;
    if (key !== this.p0Key) {
      this.p0Key = key;
      this.buildPlane(0, PLAYER_RUNS, this.p0Mask, this.curGrp0);
      changed = true;
    }
    key = this.p1Mask * 256 + this.curGrp1;
    if (key !== this.p1Key) {
      this.p1Key = key;
      this.buildPlane(10, PLAYER_RUNS, this.p1Mask, this.curGrp1);
      changed = true;
    }
    // Missiles and ball: position and size, or nothing when disabled.
    key = objects & M0_BIT ? this.m0Mask : -1;
    if (key !== this.m0Key) {
      this.m0Key = key;
      this.buildPlane(5, MISSILE_RUNS, key, -1);
      changed = true;
    }
    key = objects & M1_BIT ? this.m1Mask : -1;
    if (key !== this.m1Key) {
      this.m1Key = key;
      this.buildPlane(15, MISSILE_RUNS, key, -1);
      changed = true;
    }
    key = objects & BL_BIT ? this.blMask : -1;
    if (key !== this.blKey) {
      this.blKey = key;
      this.buildPlane(20, BALL_RUNS, key, -1);
      changed = true;
    }
    if (changed) {
      const p = this.planes;
      for (let w = 0; w < 5; w++) p[ANY_PLANE + w] = p[w]! | p[5 + w]! | p[10 + w]! | p[15 + w]! | p[20 + w]!;
    }
  }

  /**
   * Plane at `base` for an object with mask offset `offset` (< 0: none): each run of its
   * mask row, as the player pattern of `graphics` or (graphics < 0) solid.
   */
  private buildPlane(base: number, runs: Int16Array, offset: number, graphics: number): void {
    const planes = this.planes;
    planes.fill(0, base, base + 5);
    if (offset < 0 || graphics === 0) return;
    const row = (offset / MASK_WIDTH) | 0;
    const pos = 160 - (offset - row * MASK_WIDTH);
    const at = row * 7;
    const count = runs[at]!;
    for (let k = 0; k < count; k++) {
      const a = runs[at + 1 + 2 * k]!;
      const width = runs[at + 2 + 2 * k]! - a;
      const bits = graphics < 0 ? (width === 32 ? -1 : (1 << width) - 1) : PLAYER_PATTERNS[(width >> 4) * 256 + graphics]!;
      let x = pos + a;
      if (x >= 160) x -= 160;
      // 160 pixels are exactly 5 words, so a run past pixel 159 goes on in word 0.
      const w = base + (x >> 5);
      const shift = x & 31;
      planes[w] = planes[w]! | (bits << shift);
      if (shift + width > 32) {
        const next = x >> 5 === 4 ? base : w + 1;
        planes[next] = planes[next]! | (bits >>> (32 - shift));
      }
    }
  }

  /**
   * Playfield/background for pixels x0..x1-1 written from buffer index p, the playfield in
   * `left` colour on pixels 0-79 and `right` on 80-159.
   */
  private drawPlayfield(p: number, x0: number, x1: number, left: number, right: number): void {
    const out = this.current;
    const bk = this.colours[0]!;
    if (this.pfKey < 0) {
      out.fill(bk, p, p + x1 - x0);
      return;
    }
    const planes = this.planes;
    let x = x0;
    for (; x < x1 && x & 3; x++, p++) out[p] = (planes[PF_PLANE + (x >> 5)]! >>> (x & 31)) & 1 ? (x < 80 ? left : right) : bk;
    const words = this.words();
    const bk4 = Math.imul(bk, 0x01010101);
    // Whole 4-pixel cells (aligned in the buffer too: lines are 160 bytes): the left half,
    // then the right half; a cell is bk4, or bk4 ^ diff where the playfield shows.
    const split = x1 < 80 ? x1 : 80;
    let diff = Math.imul(left ^ bk, 0x01010101);
    for (; x + 4 <= split; x += 4, p += 4) words[p >> 2] = bk4 ^ (diff & -((planes[PF_PLANE + (x >> 5)]! >>> (x & 31)) & 1));
    diff = Math.imul(right ^ bk, 0x01010101);
    for (; x + 4 <= x1; x += 4, p += 4) words[p >> 2] = bk4 ^ (diff & -((planes[PF_PLANE + (x >> 5)]! >>> (x & 31)) & 1));
    for (; x < x1; x++, p++) out[p] = (planes[PF_PLANE + (x >> 5)]! >>> (x & 31)) & 1 ? (x < 80 ? left : right) : bk;
  }

  /**
   * A span with objects, by 4-pixel cells. Cells no object covers show the playfield or
   * the background as the priority encoder colours the playfield alone; in the others the enabled bits of the
   * 4 pixels are gathered into the 4 bytes of a word, and each pixel goes through the
   * collision table and the priority encoder.
   */
  private drawMixed(p: number, x0: number, x1: number): void {
    const out = this.current;
    const words = this.words();
    const planes = this.planes;
    const c = this.colours;
    const mode = this.scorePriority;
    const bk = c[0]!;
    const bk4 = Math.imul(bk, 0x01010101);
    const diffLeft = Math.imul(c[PRIORITY[PF_BIT | mode]!]! ^ bk, 0x01010101);
    const diffRight = Math.imul(c[PRIORITY[256 + (PF_BIT | mode)]!]! ^ bk, 0x01010101);
    const wholeEnd = x1 & ~3;
    let coll = 0;
    let x = x0;
    while (x < x1) {
      const w = x >> 5;
      const shift = x & 28;
      const whole = !(x & 3) && x < wholeEnd;
      if (whole) {
        const rest = planes[ANY_PLANE + w]! >>> shift;
        if ((rest & 15) === 0) {
          // No object in this cell: it, and when no object follows in the word, the
          // word's other whole cells in the span.
          let end = x + 4;
          if (rest === 0) end = (w + 1) << 5 < wholeEnd ? (w + 1) << 5 : wholeEnd;
          const pfWord = planes[PF_PLANE + w]!;
          for (; x < end; x += 4, p += 4) words[p >> 2] = bk4 ^ ((x < 80 ? diffLeft : diffRight) & -((pfWord >>> (x & 31)) & 1));
          continue;
        }
      }
      // Enabled bits of the cell's pixels, pixel i in byte i.
      const e4 = spreadPixels((planes[w]! >>> shift) & 15)
        | (spreadPixels((planes[5 + w]! >>> shift) & 15) << 1)
        | (spreadPixels((planes[10 + w]! >>> shift) & 15) << 2)
        | (spreadPixels((planes[15 + w]! >>> shift) & 15) << 3)
        | (spreadPixels((planes[20 + w]! >>> shift) & 15) << 4)
        | (-((planes[PF_PLANE + w]! >>> shift) & 1) & 0x20202020);
      const half = (x < 80 ? 0 : 256) + mode;
      if (whole) {
        const e0 = e4 & 0xff;
        const e1 = (e4 >> 8) & 0xff;
        const e2 = (e4 >> 16) & 0xff;
        const e3 = e4 >>> 24;
        coll |= COLLISIONS[e0]! | COLLISIONS[e1]! | COLLISIONS[e2]! | COLLISIONS[e3]!;
        words[p >> 2] = c[PRIORITY[half + e0]!]!
          | (c[PRIORITY[half + e1]!]! << 8)
          | (c[PRIORITY[half + e2]!]! << 16)
          | (c[PRIORITY[half + e3]!]! << 24);
        x += 4;
        p += 4;
      } else {
        // A cell cut by the span's start or end: its pixels inside the span one by one.
        const cellEnd = (x | 3) + 1 < x1 ? (x | 3) + 1 : x1;
        for (; x < cellEnd; x++, p++) {
          const e = (e4 >>> ((x & 3) << 3)) & 0xff;
          coll |= COLLISIONS[e]!;
          out[p] = c[PRIORITY[half + e]!]!;
        }
      }
    }
    this.collisions |= coll;
  }

  /**
   * The model writes 4 pixels at a time from 4-aligned positions for the common object
   * combinations, whenever the masks of the objects involved are empty there (or always,
   * for the playfield alone). A span ending inside such a group therefore also writes the
   * group's last 1-3 pixels. The next span draws over them, but a frame that ends right
   * there keeps them. Mixes drawn pixel by pixel, the background alone and VBLANK write
   * nothing extra.
   */
  protected overshoot(start: number, end: number, lineEnd: number): void {
    // Only called at a frame end: a span drawn in the middle of a line is followed by the
    // next one, which draws over these pixels anyway.
    const group = lineEnd & ~3;
    const groupAt = end - (lineEnd - group);
    if (groupAt < start) return;
    const objects = this.enabled;
    const c = this.colours;
    const noScore = (this.scorePriority & SCORE_BIT) === 0;
    let value = -1;
    let needPf = false;
    switch (objects) {
      case PF_BIT: needPf = true; break;
      case P0_BIT: if (empty(PLAYER_MASKS, this.p0Mask + group)) value = c[0]!; break;
      case P1_BIT: if (empty(PLAYER_MASKS, this.p1Mask + group)) value = c[0]!; break;
      case M0_BIT: if (empty(MISSILE_MASKS, this.m0Mask + group)) value = c[0]!; break;
      case M1_BIT: if (empty(MISSILE_MASKS, this.m1Mask + group)) value = c[0]!; break;
      case BL_BIT: if (empty(BALL_MASKS, this.blMask + group)) value = c[0]!; break;
      case P0_BIT | P1_BIT:
        if (empty(PLAYER_MASKS, this.p0Mask + group) && empty(PLAYER_MASKS, this.p1Mask + group)) value = c[0]!;
        break;
      case M0_BIT | M1_BIT:
        if (empty(MISSILE_MASKS, this.m0Mask + group) && empty(MISSILE_MASKS, this.m1Mask + group)) value = c[0]!;
        break;
      case BL_BIT | M0_BIT:
        if (empty(BALL_MASKS, this.blMask + group) && empty(MISSILE_MASKS, this.m0Mask + group)) value = c[0]!;
        break;
      case BL_BIT | M1_BIT:
        if (empty(BALL_MASKS, this.blMask + group) && empty(MISSILE_MASKS, this.m1Mask + group)) value = c[0]!;
        break;
      case BL_BIT | P1_BIT:
        if (empty(BALL_MASKS, this.blMask + group) && empty(PLAYER_MASKS, this.p1Mask + group)) value = c[0]!;
        break;
      case PF_BIT | P0_BIT: needPf = noScore && empty(PLAYER_MASKS, this.p0Mask + group); break;
      case PF_BIT | P1_BIT: needPf = noScore && empty(PLAYER_MASKS, this.p1Mask + group); break;
      case PF_BIT | BL_BIT: needPf = noScore && empty(BALL_MASKS, this.blMask + group); break;
      default: break;
    }
    if (needPf) {
      if (!(this.pf & PLAYFIELD_MASKS[this.pfMask + group]!)) value = c[0]!;
      else if (objects === PF_BIT && !noScore) value = c[group < 80 ? 2 : 3]!;
      else value = c[1]!;
    }
    if (value >= 0) this.current.fill(value, end, groupAt + 4);
  }
}

function empty(table: Uint8Array, at: number): boolean {
  return (table[at]! | table[at + 1]! | table[at + 2]! | table[at + 3]!) === 0;
}
