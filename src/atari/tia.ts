/**
 * The TIA's registers as ALE 0.12.1 models them (Stella 2.x, src/ale/emucore/TIA.cxx):
 * reads, writes, object placement and motion. Frame timing and lazy drawing are in
 * tia-frame.ts, pixels in tia-draw.ts, tables in tia-tables.ts.
 *
 * The facts it follows (colour clocks, 3 per CPU cycle, 228 per line):
 * - The clock of an access is (CPU cycles * 3); the low-fidelity CPU has already counted
 *   the whole instruction. A write first draws the frame up to clock + the register's
 *   delay (POKE_DELAYS; playfield writes 2..5 depending on the pixel), then changes the
 *   register. A read draws up to the clock.
 * - A frame ends when VSYNC is cleared at least 228 clocks after it was set, or on the
 *   first write after line 290 (NTSC; 342 PAL).
 * - WSYNC (when the CPU's previous bus access was a read) adds the cycles left to the end
 *   of the line, lines being counted from the frame start clock divided by 3.
 * - RESPx/RESMx/RESBL place an object at (clock in line - 68 + 5) mod 160 for players,
 *   + 4 for missiles and ball, or at 3 / 2 during horizontal blank, with the model's
 *   special cases; RESPx during a drawn copy draws 11 clocks ahead first, and in any case
 *   but the start-delay one the first copy is not drawn for the rest of the line.
 * - HMOVE moves every object by HMOVE_MOTION[cycle in line][HMxx] and, when allowed for
 *   the ROM and early enough, turns on the HMOVE blank.
 * - Paddle lines INPT0-3 read high once the CPU cycles since the VBLANK dump was released
 *   exceed trunc(1.6 * R * 0.01e-6 * 1.19e6), compared in unsigned 32-bit arithmetic.
 * - Reads put the low 6 bits of the data bus (the last byte the CPU moved) under the
 *   register bits.
 */
import { MAX_RESISTANCE, MIN_RESISTANCE, type Ports } from './controls.js';
import type { RomProps } from './props.js';
import {
  BL_BIT, HMOVE_BLANK_CYCLES, HMOVE_MOTION, M0_BIT, M1_BIT, MASK_WIDTH, MISSILE_HIDDEN, P0_BIT, P1_BIT,
  PF_BIT, PF_DELAYS, POKE_DELAYS, RESET_WHEN, REVERSE_BITS,
} from './tia-tables.js';
import { HBLANK_CLOCKS, LINE_CLOCKS, TiaFrame, type TiaHost } from './tia-frame.js';

export { HBLANK_CLOCKS, LINE_CLOCKS, type TiaHost } from './tia-frame.js';

const COSMIC_ARK_STEPS = [18, 33, 0, 17] as const;

/**
 * Registers whose writes change nothing drawn (WSYNC, RSYNC, audio, motion registers,
 * HMCLR, unused addresses). The model draws up to every write; drawing later with the
 * same state gives the same pixels, so these writes skip it.
 */
const NO_DRAW_REGISTERS: Uint8Array = (() => {
  const t = new Uint8Array(64);
  for (const r of [0x02, 0x03, 0x15, 0x16, 0x17, 0x18, 0x19, 0x1a, 0x20, 0x21, 0x22, 0x23, 0x24, 0x2b]) t[r] = 1;
  t.fill(1, 0x2d, 0x40);
  return t;
})();

export class Tia extends TiaFrame {
  private vsyncFinishClock = 0x7fffffff;
  private lastHmoveClock = 0;
  private maxScanlines = 290;
  /** Clocks after the frame start from which a write ends the frame (line limit + 1). */
  private frameLimitClocks = 291 * LINE_CLOCKS;
  private allowHmoveBlanks = true;

  // ---- registers and derived drawing state
  /** VSYNC as last written (kept for state inspection). */
  vsync = 0;
  private nusiz0 = 0;
  private nusiz1 = 0;
  private ctrlpf = 0;
  private refp0 = false;
  private refp1 = false;
  private grp0 = 0;
  private grp1 = 0;
  private dgrp0 = 0;
  private dgrp1 = 0;
  private enam0 = false;
  private enam1 = false;
  private enabl = false;
  private denabl = false;
  private hmp0 = 0;
  private hmp1 = 0;
  private hmm0 = 0;
  private hmm1 = 0;
  private hmbl = 0;
  private vdelp0 = false;
  private vdelp1 = false;
  private vdelbl = false;
  private resmp0 = false;
  private resmp1 = false;
  private posP0 = 0;
  private posP1 = 0;
  private posM0 = 0;
  private posM1 = 0;
  private posBL = 0;
  private cosmicArk = false;
  private cosmicArkCounter = 0;
  private dumpEnabled = false;
  private dumpDisabledCycle = 0;

  constructor(
    host: TiaHost,
    private readonly ports: Ports,
    private readonly props: RomProps,
  ) {
    super(host);
  }


  // ------------------------------------------------------------------ reset

  /** Power-on state; `pal` selects the 342-line limit (and PAL colour loss). */
  reset(pal: boolean): void {
    this.enabled = 0;
    this.vsync = this.vblank = this.nusiz0 = this.nusiz1 = 0;
    this.colours.fill(0);
    this.scorePriority = this.ctrlpf = 0;
    this.refp0 = this.refp1 = false;
    this.pf = this.grp0 = this.grp1 = this.dgrp0 = this.dgrp1 = 0;
    this.enam0 = this.enam1 = this.enabl = this.denabl = false;
    this.hmp0 = this.hmp1 = this.hmm0 = this.hmm1 = this.hmbl = 0;
    this.vdelp0 = this.vdelp1 = this.vdelbl = this.resmp0 = this.resmp1 = false;
    this.collisions = 0;
    this.posP0 = this.posP1 = this.posM0 = this.posM1 = this.posBL = 0;
    this.curGrp0 = this.curGrp1 = 0;
    this.blMask = this.ballMaskOffset();
    this.m0Mask = this.missileMaskOffset(0, 0);
    this.m1Mask = this.missileMaskOffset(0, 0);
    this.p0Mask = this.playerMaskOffset(0, 0, 0);
    this.p1Mask = this.playerMaskOffset(0, 0, 0);
    this.pfMask = 0;
    this.lastHmoveClock = 0;
    this.resetDrawing();
    this.cosmicArk = false;
    this.cosmicArkCounter = 0;
    this.dumpEnabled = false;
    this.dumpDisabledCycle = 0;
    this.allowHmoveBlanks = this.props.hmoveBlanks;
    this.colourLoss = pal;
    this.maxScanlines = pal ? 342 : 290;
    this.frameLimitClocks = (this.maxScanlines + 1) * LINE_CLOCKS;
    this.frameReset(this.props.yStart, this.props.height);
    this.vsyncFinishClock = 0x7fffffff;
  }

  /** The system cycle counter goes back to 0 from `cycles`. */
  override cyclesReset(cycles: number): void {
    super.cyclesReset(cycles);
    const clocks = (cycles * 3) | 0;
    this.dumpDisabledCycle = (this.dumpDisabledCycle - cycles) | 0;
    this.vsyncFinishClock = (this.vsyncFinishClock - clocks) | 0;
    this.lastHmoveClock = (this.lastHmoveClock - clocks) | 0;
  }

  protected endOfLine(): void {
    this.pfMask = (this.ctrlpf & 1) * 160;
    this.p0Mask = this.playerMaskOffset(0, this.nusiz0, this.posP0);
    this.p1Mask = this.playerMaskOffset(0, this.nusiz1, this.posP1);
    if (this.cosmicArk) {
      this.cosmicArkCounter = (this.cosmicArkCounter + 1) & 3;
      this.posM0 -= COSMIC_ARK_STEPS[this.cosmicArkCounter]!;
      if (this.posM0 >= 160) this.posM0 -= 160;
      else if (this.posM0 < 0) this.posM0 += 160;
      if (this.cosmicArkCounter === 1) {
        const size = ((this.nusiz0 & 0x30) >> 4) | 1;
        this.m0Mask = ((this.nusiz0 & 7) * 4 + size) * MASK_WIDTH + 160 - this.posM0;
      } else if (this.cosmicArkCounter === 2) {
        this.m0Mask = MISSILE_HIDDEN;
      } else {
        this.m0Mask = this.missileMaskOffset(this.nusiz0, this.posM0);
      }
    }
  }

  // ------------------------------------------------------------------ masks

  private playerMaskOffset(skipFirst: number, nusiz: number, pos: number): number {
    return (skipFirst * 8 + (nusiz & 7)) * MASK_WIDTH + 160 - pos;
  }

  private missileMaskOffset(nusiz: number, pos: number): number {
    return ((nusiz & 7) * 4 + ((nusiz & 0x30) >> 4)) * MASK_WIDTH + 160 - pos;
  }

  private ballMaskOffset(): number {
    return ((this.ctrlpf & 0x30) >> 4) * MASK_WIDTH + 160 - this.posBL;
  }

  private setEnabled(bit: number, on: boolean): void {
    this.enabled = on ? this.enabled | bit : this.enabled & ~bit;
  }

  private refreshPlayerGraphics(): void {
    const g0 = this.vdelp0 ? this.dgrp0 : this.grp0;
    this.curGrp0 = this.refp0 ? REVERSE_BITS[g0]! : g0;
    const g1 = this.vdelp1 ? this.dgrp1 : this.grp1;
    this.curGrp1 = this.refp1 ? REVERSE_BITS[g1]! : g1;
    this.setEnabled(P0_BIT, this.curGrp0 !== 0);
    this.setEnabled(P1_BIT, this.curGrp1 !== 0);
  }

  // ------------------------------------------------------------------ bus

  peek(addr: number): number {
    const cycles = this.cpu.cycles;
    // Only the collision latches depend on what has been drawn; other reads just mark
    // the point where the model would have split the span (see finishLastSpan).
    if (addr & 0x08) this.skipDraw((cycles * 3) | 0);
    else this.drawTo((cycles * 3) | 0);
    const noise = this.host.dataBus & 0x3f;
    const cx = this.collisions;
    switch (addr & 0x0f) {
      case 0x00: return ((cx & 0x0001) << 7) | ((cx & 0x0002) << 5) | noise; // CXM0P
      case 0x01: return ((cx & 0x0004) << 5) | ((cx & 0x0008) << 3) | noise; // CXM1P
      case 0x02: return ((cx & 0x0010) << 3) | ((cx & 0x0020) << 1) | noise; // CXP0FB
      case 0x03: return ((cx & 0x0040) << 1) | ((cx & 0x0080) >> 1) | noise; // CXP1FB
      case 0x04: return ((cx & 0x0100) >> 1) | ((cx & 0x0200) >> 3) | noise; // CXM0FB
      case 0x05: return ((cx & 0x0400) >> 3) | ((cx & 0x0800) >> 5) | noise; // CXM1FB
      case 0x06: return ((cx & 0x1000) >> 5) | noise; // CXBLPF
      case 0x07: return ((cx & 0x2000) >> 6) | ((cx & 0x4000) >> 8) | noise; // CXPPMM
      case 0x08: case 0x09: case 0x0a: case 0x0b:
        return this.paddleLine(addr & 3, cycles) | noise;
      case 0x0c: return this.ports.fireHigh(0) ? 0x80 | noise : noise;
      case 0x0d: return this.ports.fireHigh(1) ? 0x80 | noise : noise;
      default: return noise;
    }
  }

  private paddleLine(n: number, cycles: number): number {
    const r = this.ports.resistance(n);
    if (r === MIN_RESISTANCE) return 0x80;
    if (r === MAX_RESISTANCE || this.dumpEnabled) return 0;
    const t = 1.6 * r * 0.01e-6;
    const needed = Math.trunc(t * 1.19e6) >>> 0;
    return cycles >>> 0 > ((this.dumpDisabledCycle + needed) >>> 0) ? 0x80 : 0;
  }

  poke(address: number, value: number): void {
    const addr = address & 0x3f;
    const cpu = this.cpu;
    const clock = (cpu.cycles * 3) | 0;
    let delay = POKE_DELAYS[addr]!;
    if (delay < 0) {
      const x = this.lineClock(clock);
      delay = PF_DELAYS[((x / 3) | 0) & 3]!;
    }
    // The model draws up to every write; a write that changes nothing drawn can skip that
    // (drawing later with the same state gives the same pixels). Only the place where the
    // model would have split the span is remembered (see finishLastSpan).
    const neutral = NO_DRAW_REGISTERS[addr] === 1 || this.changesNothing(addr, value, clock);
    if (neutral) {
      this.skipDraw(clock + delay);
    } else {
      this.lastSpanStart = -1;
      this.drawTo(clock + delay);
    }
    if (clock - this.clockWhenFrameStarted >= this.frameLimitClocks) {
      if (neutral) {
        this.lastSpanStart = -1;
        this.drawTo(clock + delay);
      }
      cpu.stop();
      this.partialFrame = false;
      this.finishLastSpan();
    }
    switch (addr) {
      case 0x00: // VSYNC
        this.vsync = value;
        if (value & 0x02) {
          this.vsyncFinishClock = clock + LINE_CLOCKS;
        } else if (clock >= this.vsyncFinishClock) {
          this.vsyncFinishClock = 0x7fffffff;
          cpu.stop();
          this.partialFrame = false;
          this.finishLastSpan();
        }
        break;
      case 0x01: // VBLANK
        if (!(this.vblank & 0x80) && value & 0x80) this.dumpEnabled = true;
        if (this.vblank & 0x80 && !(value & 0x80)) {
          this.dumpEnabled = false;
          this.dumpDisabledCycle = cpu.cycles | 0;
        }
        this.vblank = value;
        break;
      case 0x02: // WSYNC
        if (this.host.lastAccessWasRead) {
          const c = cpu.cycles;
          // (cycles - frame start clock / 3, truncated) mod 76, in unsigned 32-bit arithmetic
          const d = (c - ((this.clockWhenFrameStarted / 3) | 0)) | 0;
          const left = 76 - (d >= 0 ? d % 76 : (d >>> 0) % 76);
          if (left < 76) cpu.cycles = c + left;
        }
        break;
      case 0x04: // NUSIZ0
        this.nusiz0 = value;
        this.p0Mask = this.playerMaskOffset(0, value, this.posP0);
        this.m0Mask = this.missileMaskOffset(value, this.posM0);
        break;
      case 0x05: // NUSIZ1
        this.nusiz1 = value;
        this.p1Mask = this.playerMaskOffset(0, value, this.posP1);
        this.m1Mask = this.missileMaskOffset(value, this.posM1);
        break;
      case 0x06: this.setColour(2, value); break; // COLUP0
      case 0x07: this.setColour(3, value); break; // COLUP1
      case 0x08: this.setColour(1, value); break; // COLUPF
      case 0x09: this.setColour(0, value); break; // COLUBK
      case 0x0a: // CTRLPF
        this.ctrlpf = value;
        this.scorePriority = (value & 0x06) << 5;
        if (this.lineClock(clock) < HBLANK_CLOCKS + 79) this.pfMask = (value & 1) * 160;
        this.blMask = this.ballMaskOffset();
        break;
      case 0x0b: // REFP0
        if ((value & 0x08) !== 0 !== this.refp0) {
          this.refp0 = (value & 0x08) !== 0;
          this.curGrp0 = REVERSE_BITS[this.curGrp0]!;
        }
        break;
      case 0x0c: // REFP1
        if ((value & 0x08) !== 0 !== this.refp1) {
          this.refp1 = (value & 0x08) !== 0;
          this.curGrp1 = REVERSE_BITS[this.curGrp1]!;
        }
        break;
      case 0x0d: this.setPlayfield((this.pf & 0xffff0) | ((value >> 4) & 0x0f)); break; // PF0
      case 0x0e: this.setPlayfield((this.pf & 0xff00f) | (value << 4)); break; // PF1
      case 0x0f: this.setPlayfield((this.pf & 0x00fff) | (value << 12)); break; // PF2
      case 0x10: this.resetPlayer(0, clock); break; // RESP0
      case 0x11: this.resetPlayer(1, clock); break; // RESP1
      case 0x12: this.resetMissile(0, clock); break; // RESM0
      case 0x13: this.resetMissile(1, clock); break; // RESM1
      case 0x14: this.resetBall(clock); break; // RESBL
      case 0x1b: // GRP0
        this.grp0 = value;
        this.dgrp1 = this.grp1;
        this.refreshPlayerGraphics();
        break;
      case 0x1c: // GRP1
        this.grp1 = value;
        this.dgrp0 = this.grp0;
        this.denabl = this.enabl;
        this.refreshPlayerGraphics();
        this.setEnabled(BL_BIT, this.vdelbl ? this.denabl : this.enabl);
        break;
      case 0x1d: // ENAM0
        this.enam0 = (value & 0x02) !== 0;
        this.setEnabled(M0_BIT, this.enam0 && !this.resmp0);
        break;
      case 0x1e: // ENAM1
        this.enam1 = (value & 0x02) !== 0;
        this.setEnabled(M1_BIT, this.enam1 && !this.resmp1);
        break;
      case 0x1f: // ENABL
        this.enabl = (value & 0x02) !== 0;
        this.setEnabled(BL_BIT, this.vdelbl ? this.denabl : this.enabl);
        break;
      case 0x20: this.hmp0 = value >> 4; break;
      case 0x21: this.hmp1 = value >> 4; break;
      case 0x22: { // HMM0
        const nibble = value >> 4;
        if (clock === this.lastHmoveClock + 21 * 3 && this.hmm0 === 7 && nibble === 6) {
          this.cosmicArk = true;
          this.cosmicArkCounter = 0;
        }
        this.hmm0 = nibble;
        break;
      }
      case 0x23: this.hmm1 = value >> 4; break;
      case 0x24: this.hmbl = value >> 4; break;
      case 0x25: // VDELP0
        this.vdelp0 = (value & 1) !== 0;
        this.refreshPlayerGraphics();
        break;
      case 0x26: // VDELP1
        this.vdelp1 = (value & 1) !== 0;
        this.refreshPlayerGraphics();
        break;
      case 0x27: // VDELBL
        this.vdelbl = (value & 1) !== 0;
        this.setEnabled(BL_BIT, this.vdelbl ? this.denabl : this.enabl);
        break;
      case 0x28: // RESMP0
        if (this.resmp0 && !(value & 0x02)) {
          this.posM0 = (this.posP0 + missileCentre(this.nusiz0)) % 160;
          this.m0Mask = this.missileMaskOffset(this.nusiz0, this.posM0);
        }
        this.resmp0 = (value & 0x02) !== 0;
        this.setEnabled(M0_BIT, this.enam0 && !this.resmp0);
        break;
      case 0x29: // RESMP1
        if (this.resmp1 && !(value & 0x02)) {
          this.posM1 = (this.posP1 + missileCentre(this.nusiz1)) % 160;
          this.m1Mask = this.missileMaskOffset(this.nusiz1, this.posM1);
        }
        this.resmp1 = (value & 0x02) !== 0;
        this.setEnabled(M1_BIT, this.enam1 && !this.resmp1);
        break;
      case 0x2a: this.hmove(clock); break;
      case 0x2b: // HMCLR
        this.hmp0 = this.hmp1 = this.hmm0 = this.hmm1 = this.hmbl = 0;
        break;
      case 0x2c: // CXCLR
        this.collisions = 0;
        break;
      default: // RSYNC, audio and unused addresses change nothing drawn
        break;
    }
  }

  /** Whether writing `value` to register `addr` would leave every drawing input as it is. */
  private changesNothing(addr: number, value: number, clock: number): boolean {
    switch (addr) {
      case 0x01: return value === this.vblank;
      case 0x04:
        return this.playerMaskOffset(0, value, this.posP0) === this.p0Mask && this.missileMaskOffset(value, this.posM0) === this.m0Mask;
      case 0x05:
        return this.playerMaskOffset(0, value, this.posP1) === this.p1Mask && this.missileMaskOffset(value, this.posM1) === this.m1Mask;
      case 0x06: return this.colourValue(value) === this.colours[2];
      case 0x07: return this.colourValue(value) === this.colours[3];
      case 0x08: return this.colourValue(value) === this.colours[1];
      case 0x09: return this.colourValue(value) === this.colours[0];
      case 0x0a:
        return value === this.ctrlpf && (this.pfMask === (value & 1) * 160 || this.lineClock(clock) >= HBLANK_CLOCKS + 79);
      case 0x0b: return ((value & 0x08) !== 0) === this.refp0;
      case 0x0c: return ((value & 0x08) !== 0) === this.refp1;
      case 0x0d: return ((this.pf & 0xffff0) | ((value >> 4) & 0x0f)) === this.pf;
      case 0x0e: return ((this.pf & 0xff00f) | (value << 4)) === this.pf;
      case 0x0f: return ((this.pf & 0x00fff) | (value << 12)) === this.pf;
      case 0x1b: return value === this.grp0 && this.grp1 === this.dgrp1;
      case 0x1c: return value === this.grp1 && this.grp0 === this.dgrp0 && this.enabl === this.denabl;
      case 0x1d: return ((value & 0x02) !== 0) === this.enam0;
      case 0x1e: return ((value & 0x02) !== 0) === this.enam1;
      case 0x1f: return ((value & 0x02) !== 0) === this.enabl;
      case 0x25: return ((value & 1) !== 0) === this.vdelp0;
      case 0x26: return ((value & 1) !== 0) === this.vdelp1;
      case 0x27: return ((value & 1) !== 0) === this.vdelbl;
      case 0x28: return ((value & 0x02) !== 0) === this.resmp0;
      case 0x29: return ((value & 0x02) !== 0) === this.resmp1;
      default: return false;
    }
  }

  private colourValue(value: number): number {
    return this.colourLoss && this.scanlineCountLastFrame & 1 ? (value & 0xfe) | 1 : value & 0xfe;
  }

  private setColour(slot: number, value: number): void {
    this.colours[slot] = this.colourValue(value);
  }

  private setPlayfield(pf: number): void {
    this.pf = pf;
    this.setEnabled(PF_BIT, pf !== 0);
  }

  private resetPlayer(which: 0 | 1, clock: number): void {
    const hpos = this.lineClock(clock);
    const newPos = hpos < HBLANK_CLOCKS ? 3 : (hpos - HBLANK_CLOCKS + 5) % 160;
    const nusiz = which === 0 ? this.nusiz0 : this.nusiz1;
    const oldPos = which === 0 ? this.posP0 : this.posP1;
    const when = RESET_WHEN[((nusiz & 7) * 160 + oldPos) * 160 + newPos]!;
    if (when === 1) this.updateFrame(clock + 11);
    const mask = this.playerMaskOffset(when === -1 ? 0 : 1, nusiz, newPos);
    if (which === 0) {
      this.posP0 = newPos;
      this.p0Mask = mask;
    } else {
      this.posP1 = newPos;
      this.p1Mask = mask;
    }
  }

  private resetMissile(which: 0 | 1, clock: number): void {
    const hpos = this.lineClock(clock);
    let pos = hpos < HBLANK_CLOCKS ? 2 : (hpos - HBLANK_CLOCKS + 4) % 160;
    const sinceHmove = clock - this.lastHmoveClock;
    if (which === 0) {
      if (sinceHmove === 20 * 3 && hpos === 69) pos = 8;
      this.posM0 = pos;
      this.m0Mask = this.missileMaskOffset(this.nusiz0, pos);
    } else {
      if (sinceHmove === 3 * 3 && hpos === 18) pos = 3;
      this.posM1 = pos;
      this.m1Mask = this.missileMaskOffset(this.nusiz1, pos);
    }
  }

  private resetBall(clock: number): void {
    const hpos = this.lineClock(clock);
    let pos = hpos < HBLANK_CLOCKS ? 2 : (hpos - HBLANK_CLOCKS + 4) % 160;
    const sinceHmove = clock - this.lastHmoveClock;
    if (sinceHmove === 18 * 3 && (hpos === 60 || hpos === 69)) pos = 10;
    else if (sinceHmove === 3 * 3 && hpos === 18) pos = 3;
    else if (sinceHmove === 7 * 3 && hpos === 30) pos = 6;
    else if (sinceHmove === 6 * 3 && hpos === 27) pos = 5;
    this.posBL = pos;
    this.blMask = this.ballMaskOffset();
  }

  private hmove(clock: number): void {
    const cycle = (this.lineClock(clock) / 3) | 0;
    if (this.allowHmoveBlanks && HMOVE_BLANK_CYCLES[cycle]) this.hmoveBlank = true;
    const row = cycle * 16;
    this.posP0 = wrap160(this.posP0 + HMOVE_MOTION[row + this.hmp0]!);
    this.posP1 = wrap160(this.posP1 + HMOVE_MOTION[row + this.hmp1]!);
    this.posM0 = wrap160(this.posM0 + HMOVE_MOTION[row + this.hmm0]!);
    this.posM1 = wrap160(this.posM1 + HMOVE_MOTION[row + this.hmm1]!);
    this.posBL = wrap160(this.posBL + HMOVE_MOTION[row + this.hmbl]!);
    this.blMask = this.ballMaskOffset();
    this.p0Mask = this.playerMaskOffset(0, this.nusiz0, this.posP0);
    this.p1Mask = this.playerMaskOffset(0, this.nusiz1, this.posP1);
    this.m0Mask = this.missileMaskOffset(this.nusiz0, this.posM0);
    this.m1Mask = this.missileMaskOffset(this.nusiz1, this.posM1);
    this.lastHmoveClock = clock;
    this.cosmicArk = false;
  }
}

/** Where RESMPx leaves the missile: the middle of the player (8 / 16 pixels in for stretched players). */
function missileCentre(nusiz: number): number {
  const mode = nusiz & 7;
  return mode === 5 ? 8 : mode === 7 ? 16 : 4;
}

function wrap160(pos: number): number {
  if (pos >= 160) return pos - 160;
  if (pos < 0) return pos + 160;
  return pos;
}
