/**
 * The TIA's span drawing as it was before the bit-plane renderer (src/atari/tia-draw.ts at
 * 4f54055): mask tables read per pixel, object runs sorted into intervals. Kept only as
 * the reference the renderer's spans are compared with (tia-draw.test.ts), so only
 * drawSpan and what it needs (`overshoot` did not change and is not here); every field
 * is public so that the test can set up any state.
 */
import {
  BALL_MASKS, BALL_RUNS, BL_BIT, COLLISIONS, M0_BIT, M1_BIT, MASK_WIDTH, MISSILE_HIDDEN, MISSILE_MASKS,
  MISSILE_RUNS, P0_BIT, P1_BIT, PF_BIT, PLAYER_MASKS, PLAYER_RUNS, PLAYFIELD_MASKS, PRIORITY, SCORE_BIT,
} from '../../src/atari/tia-tables.js';

const BUFFER_WIDTH = 160;
const BUFFER_LINES = 300;
/** Spans up to this long are drawn pixel by pixel without looking for empty parts. */
const SHORT_SPAN = 12;

export class ReferenceDrawing {
  // ---- frame buffers
  /** The buffer being drawn (one: the comparison never swaps). */
  current = new Uint8Array(BUFFER_WIDTH * BUFFER_LINES);
  private readonly words = new Uint32Array(this.current.buffer);
  /** Index of the next pixel to draw in `current`. */
  framePointer = 0;

  // ---- the state pixels depend on
  vblank = 0;
  /** Colour registers (low bit cleared on NTSC): background, playfield, player 0, player 1. */
  readonly colours = new Uint8Array(4);
  /** CTRLPF score/priority bits, as SCORE_BIT/PRIORITY_BIT. */
  scorePriority = 0;
  /** The 20 playfield bits (see PLAYFIELD_MASKS). */
  pf = 0;
  /** Player graphics as drawn (vertical delay and reflection applied). */
  curGrp0 = 0;
  curGrp1 = 0;
  /** Objects that can show (P0/P1: drawn graphics non-zero; M0/M1/BL enabled; PF non-zero). */
  enabled = 0;
  /** Mask offsets: an object shows at pixel x when its table's entry (offset + x) is set. */
  p0Mask = 0;
  p1Mask = 0;
  m0Mask = 0;
  m1Mask = 0;
  blMask = 0;
  /** 0 (playfield repeated) or 160 (reflected). */
  pfMask = 0;
  /** Collision latches (bits as in COLLISIONS). */
  collisions = 0;

  /** The last span drawn (-1 once used): its first buffer index and its end pixel in the line. */
  lastSpanStart = -1;
  lastSpanLineEnd = 0;

  /** Scratch: pixel intervals of the current span covered by enabled objects (start, end, object). */
  private readonly intervals = new Int16Array(48);

  /** Draws `count` pixels of the current line from pixel `hpos` on. */
  drawSpan(count: number, hpos: number): void {
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
    if (objects === PF_BIT) {
      const score = (this.scorePriority & SCORE_BIT) !== 0;
      const c = this.colours;
      this.drawPlayfield(start, hpos, hpos + count, score ? c[2]! : c[1]!, score ? c[3]! : c[1]!);
    } else {
      this.drawMixed(start, hpos, hpos + count);
    }
    this.lastSpanStart = start;
    this.lastSpanLineEnd = hpos + count;
  }

  /**
   * Playfield/background for pixels x0..x1-1 written from buffer index p, the playfield in
   * `left` colour on pixels 0-79 and `right` on 80-159.
   */
  private drawPlayfield(p: number, x0: number, x1: number, left: number, right: number): void {
    const out = this.current;
    const bk = this.colours[0]!;
    const pf = this.pf;
    if (pf === 0 || !(this.enabled & PF_BIT)) {
      out.fill(bk, p, p + x1 - x0);
      return;
    }
    const masks = PLAYFIELD_MASKS;
    const base = this.pfMask;
    let x = x0;
    for (; x < x1 && x & 3; x++, p++) out[p] = pf & masks[base + x]! ? (x < 80 ? left : right) : bk;
    const words = this.words;
    const bk4 = bk * 0x01010101;
    // Whole 4-pixel cells: one playfield bit each; the left half, then the right half.
    const split = x1 < 80 ? x1 : 80;
    let fg4 = left * 0x01010101;
    for (; x + 4 <= split; x += 4, p += 4) words[p >> 2] = pf & masks[base + x]! ? fg4 : bk4;
    fg4 = right * 0x01010101;
    for (; x + 4 <= x1; x += 4, p += 4) words[p >> 2] = pf & masks[base + x]! ? fg4 : bk4;
    for (; x < x1; x++, p++) out[p] = pf & masks[base + x]! ? (x < 80 ? left : right) : bk;
  }

  /**
   * A span with objects: the per-pixel rules where an enabled object's copies are, the
   * playfield/background (4 pixels at a time) elsewhere. Short spans go pixel by pixel.
   */
  private drawMixed(start: number, x0: number, x1: number): void {
    if (x1 - x0 <= SHORT_SPAN) {
      this.collisions |= this.drawObjects(start, x0, x1);
      return;
    }
    const objects = this.enabled;
    let n = 0;
    if (objects & P0_BIT) n = this.cover(PLAYER_RUNS, this.p0Mask, 0, x0, x1, n);
    if (objects & P1_BIT) n = this.cover(PLAYER_RUNS, this.p1Mask, 1, x0, x1, n);
    if (objects & M0_BIT) n = this.cover(MISSILE_RUNS, this.m0Mask, 2, x0, x1, n);
    if (objects & M1_BIT) n = this.cover(MISSILE_RUNS, this.m1Mask, 3, x0, x1, n);
    if (objects & BL_BIT) n = this.cover(BALL_RUNS, this.blMask, 4, x0, x1, n);
    // Where no object is, the playfield shows as the priority encoder colours it alone.
    const c = this.colours;
    const left = c[PRIORITY[PF_BIT | this.scorePriority]!]!;
    const right = c[PRIORITY[256 + (PF_BIT | this.scorePriority)]!]!;
    if (n === 0) {
      this.drawPlayfield(start, x0, x1, left, right);
      return;
    }
    // Sort the covered intervals (start, end, object) by start: few, so insertion sort.
    const iv = this.intervals;
    for (let i = 3; i < n; i += 3) {
      const a = iv[i]!;
      const b = iv[i + 1]!;
      const o = iv[i + 2]!;
      let j = i - 3;
      while (j >= 0 && iv[j]! > a) {
        iv[j + 3] = iv[j]!;
        iv[j + 4] = iv[j + 1]!;
        iv[j + 5] = iv[j + 2]!;
        j -= 3;
      }
      iv[j + 3] = a;
      iv[j + 4] = b;
      iv[j + 5] = o;
    }
    // Walk the merged runs: one object alone takes the short path, overlaps the full rules.
    let x = x0;
    let coll = 0;
    for (let i = 0; i < n; ) {
      const a = iv[i]!;
      let b = iv[i + 1]!;
      const single = iv[i + 2]!;
      let parts = 1;
      i += 3;
      while (i < n && iv[i]! < b) {
        if (iv[i + 1]! > b) b = iv[i + 1]!;
        parts++;
        i += 3;
      }
      if (a > x) this.drawPlayfield(start + x - x0, x, a, left, right);
      coll |= parts === 1 ? this.drawOne(single, start + a - x0, a, b) : this.drawObjects(start + a - x0, a, b);
      x = b;
    }
    if (x < x1) this.drawPlayfield(start + x - x0, x, x1, left, right);
    this.collisions |= coll;
  }

  /**
   * Appends to `intervals` (from index n) the parts of x0..x1-1 covered by object `id`
   * (0 P0, 1 P1, 2 M0, 3 M1, 4 BL) with mask offset `offset`; returns the new length.
   */
  private cover(runs: Int16Array, offset: number, id: number, x0: number, x1: number, n: number): number {
    const row = (offset / MASK_WIDTH) | 0;
    const pos = 160 - (offset - row * MASK_WIDTH);
    const at = row * 7;
    const count = runs[at]!;
    const iv = this.intervals;
    for (let k = 0; k < count; k++) {
      let a = pos + runs[at + 1 + 2 * k]!;
      let b = pos + runs[at + 2 + 2 * k]!;
      if (a >= 160) {
        a -= 160;
        b -= 160;
      } else if (b > 160) {
        const w = b - 160 < x1 ? b - 160 : x1;
        if (x0 < w) {
          iv[n++] = x0;
          iv[n++] = w;
          iv[n++] = id;
        }
        b = 160;
      }
      if (a < x0) a = x0;
      if (b > x1) b = x1;
      if (a < b) {
        iv[n++] = a;
        iv[n++] = b;
        iv[n++] = id;
      }
    }
    return n;
  }

  /** Pixels x0..x1-1 where object `id` is the only object that may show (plus the playfield). */
  private drawOne(id: number, p: number, x0: number, x1: number): number {
    let table: Uint8Array;
    let offset: number;
    let graphics: number;
    let bit: number;
    switch (id) {
      case 0: table = PLAYER_MASKS; offset = this.p0Mask; graphics = this.curGrp0; bit = P0_BIT; break;
      case 1: table = PLAYER_MASKS; offset = this.p1Mask; graphics = this.curGrp1; bit = P1_BIT; break;
      case 2: table = MISSILE_MASKS; offset = this.m0Mask; graphics = 1; bit = M0_BIT; break;
      case 3: table = MISSILE_MASKS; offset = this.m1Mask; graphics = 1; bit = M1_BIT; break;
      default: table = BALL_MASKS; offset = this.blMask; graphics = 1; bit = BL_BIT; break;
    }
    const out = this.current;
    const c = this.colours;
    const mode = this.scorePriority;
    const bk = c[0]!;
    const alone = c[PRIORITY[bit | mode]!]!;
    const pfLeft = c[PRIORITY[PF_BIT | mode]!]!;
    const pfRight = c[PRIORITY[256 + (PF_BIT | mode)]!]!;
    const bothLeft = c[PRIORITY[bit | PF_BIT | mode]!]!;
    const bothRight = c[PRIORITY[256 + (bit | PF_BIT | mode)]!]!;
    const pf = this.pf;
    const pfMask = this.pfMask;
    let coll = 0;
    for (let x = x0; x < x1; x++, p++) {
      const on = graphics & table[offset + x]!;
      if (pf & PLAYFIELD_MASKS[pfMask + x]!) {
        if (on) {
          out[p] = x < 80 ? bothLeft : bothRight;
          coll = 1;
        } else {
          out[p] = x < 80 ? pfLeft : pfRight;
        }
      } else {
        out[p] = on ? alone : bk;
      }
    }
    return coll ? COLLISIONS[bit | PF_BIT]! : 0;
  }

  /** The per-pixel rules for pixels x0..x1-1 from buffer index p. Returns the collision bits. */
  private drawObjects(p: number, x0: number, x1: number): number {
    const out = this.current;
    const c = this.colours;
    const objects = this.enabled;
    const pf = this.pf;
    const pfMask = this.pfMask;
    const g0 = this.curGrp0;
    const g1 = this.curGrp1;
    const p0 = this.p0Mask;
    const p1 = this.p1Mask;
    const m0 = objects & M0_BIT ? this.m0Mask : MISSILE_HIDDEN;
    const m1 = objects & M1_BIT ? this.m1Mask : MISSILE_HIDDEN;
    const bl = objects & BL_BIT ? this.blMask : -1;
    const mode = this.scorePriority;
    let coll = 0;
    for (let x = x0; x < x1; x++, p++) {
      let e = pf & PLAYFIELD_MASKS[pfMask + x]! ? PF_BIT : 0;
      if (bl >= 0 && BALL_MASKS[bl + x]) e |= BL_BIT;
      if (g1 & PLAYER_MASKS[p1 + x]!) e |= P1_BIT;
      if (MISSILE_MASKS[m1 + x]) e |= M1_BIT;
      if (g0 & PLAYER_MASKS[p0 + x]!) e |= P0_BIT;
      if (MISSILE_MASKS[m0 + x]) e |= M0_BIT;
      coll |= COLLISIONS[e]!;
      out[p] = c[PRIORITY[(x < 80 ? 0 : 256) + (e | mode)]!]!;
    }
    return coll;
  }
}
