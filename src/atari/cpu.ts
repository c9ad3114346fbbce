/**
 * The 6507 CPU of the Atari 2600 (a 6502 with 13 address lines and no
 * interrupt pins), with the exact semantics of the "low fidelity" 6502 core
 * (Stella's M6502Low) that ALE 0.12.1 runs by default (setting `cpu` = "low").
 *
 * What "low fidelity" means, and what this class therefore does:
 * - The opcode byte is read first; then the instruction's whole base cycle
 *   count (CYCLE_TABLE) is added to `cycles`, before any operand access. A
 *   device that looks at `cycles` during a peek/poke of that instruction sees
 *   the count at the END of the instruction (the TIA relies on this to place
 *   a write on the scanline).
 * - A page crossing on a read through abs,X / abs,Y / (zp),Y adds one cycle
 *   after the address bytes are read and before the operand is read. A taken
 *   branch adds one cycle, two when the target is on another page, after the
 *   offset byte is read. Writes and read-modify-writes never add cycles.
 * - Read-modify-write instructions read once and write once (no dummy write
 *   of the old value), and there are no dummy reads, except the few this core
 *   makes on purpose: JSR reads the stack byte at SP before pushing; PLA, PLP,
 *   RTS and RTI read the byte at SP before incrementing it; RTS reads the byte
 *   at the pulled address before incrementing PC; BRK reads the byte after
 *   the opcode. They are kept because a bus may have side effects.
 * - PC is a 16-bit register (pushes and RTS see all 16 bits, e.g. $F0 as the
 *   high byte); only bus addresses are reduced to 13 bits (mask $1FFF).
 * - Zero-page indexing (zp,X / zp,Y / the pointer of (zp,X)) wraps within the
 *   page, but the second pointer byte of (zp,X) and (zp),Y is read from
 *   pointer + 1 WITHOUT wrapping: a pointer at $FF takes its high byte from
 *   $0100. JMP ($xxFF) takes its high byte from $xx00 (the NMOS bug).
 * - Decimal mode is computed through two lookup tables (see adc/sbc below);
 *   its results match the NMOS chip for valid BCD operands but the flags and
 *   the results for non-BCD operands follow Stella, not the silicon.
 * - B and bit 5 always read as 1 in the status byte (PHP, BRK, getP()).
 * - After reset() A = X = Y = 0, SP = $FF, all flags clear (I included), and
 *   PC comes from $FFFC/$FFFD read through the bus. Nothing is randomised.
 * - The 12 opcodes $x2 (x = 0..7, 9, B, D, F) are not implemented by the
 *   core: their cycles (2) are counted, PC moves past the opcode, and the CPU
 *   halts for good (until reset()). Here that sets `jammed` and `jamError`.
 *
 * Execution is driven the way ALE's TIA drives it: `run(maxInstructions)`
 * executes until the instruction budget is spent, a device calls `stop()`
 * (the TIA does at the end of VSYNC; the current instruction still completes),
 * an optional cycle limit is reached, or the CPU jams. WSYNC is emulated by
 * the bus adding cycles to the public `cycles` field during the poke.
 */

import { runFast } from './cpu-fast.js';

/** The memory/device bus the CPU talks to. */
export interface Bus {
  /** Read a byte (0..255). `addr` is masked with the CPU's `addressMask` (default 13 bits). */
  peek(addr: number): number;
  /** Write a byte (0..255). `addr` is masked with the CPU's `addressMask` (default 13 bits). */
  poke(addr: number, value: number): void;
}

/**
 * A bus that also lets `run` take its fast path (see cpu-fast.ts): the Machine. The CPU
 * then reads and writes RAM and reads quiet cartridge ROM itself, and keeps `dataBus` and
 * `lastAccessWasRead` up to date as if every access had gone through peek/poke.
 */
export interface FastBus extends Bus {
  /** The last byte moved on the bus. */
  dataBus: number;
  /** Whether the last bus access was a read. */
  lastAccessWasRead: boolean;
  /** RIOT RAM, the 128 bytes at (addr & $1280) === $80; null when RAM accesses must go through peek/poke. */
  readonly fastRam: Uint8Array | null;
  /** The cartridge's current ROM window (Cartridge.romWindow), an empty array when none. */
  cartWindow(): Uint8Array;
  /** The offsets (addr & $FFF) where reads of the window are quiet (Cartridge.quietLo/quietHi). */
  readonly cartQuietLo: number;
  readonly cartQuietHi: number;
  /** Riot.quietNonZeroReads: INTIM reads from `cycle` on, every `period` cycles, that are quiet and non-zero. */
  quietIntimPolls(cycle: number, period: number): number;
}

/** The 6507 drives only address lines A0..A12. */
export const ADDRESS_MASK = 0x1fff;

/**
 * The full 16-bit address the CPU computes. ALE hands devices this unmasked address, and
 * the FE cartridge scheme (Robot Tank) picks its bank from A13, so the machine's bus takes
 * full addresses (`new Cpu6502(bus, FULL_ADDRESS_MASK)`) and decodes them itself.
 */
export const FULL_ADDRESS_MASK = 0xffff;

/**
 * Base processor cycles of each opcode, as in ALE's M6502 table. Every entry
 * equals the documented NMOS 6502 count except $A7 (LAX zp): 4 instead of 3.
 * The unimplemented (jam) opcodes cost 2.
 */
export const CYCLE_TABLE: Readonly<Uint8Array> = Uint8Array.from([
  // 0  1  2  3  4  5  6  7  8  9  a  b  c  d  e  f
  7, 6, 2, 8, 3, 3, 5, 5, 3, 2, 2, 2, 4, 4, 6, 6, // 0
  2, 5, 2, 8, 4, 4, 6, 6, 2, 4, 2, 7, 4, 4, 7, 7, // 1
  6, 6, 2, 8, 3, 3, 5, 5, 4, 2, 2, 2, 4, 4, 6, 6, // 2
  2, 5, 2, 8, 4, 4, 6, 6, 2, 4, 2, 7, 4, 4, 7, 7, // 3
  6, 6, 2, 8, 3, 3, 5, 5, 3, 2, 2, 2, 3, 4, 6, 6, // 4
  2, 5, 2, 8, 4, 4, 6, 6, 2, 4, 2, 7, 4, 4, 7, 7, // 5
  6, 6, 2, 8, 3, 3, 5, 5, 4, 2, 2, 2, 5, 4, 6, 6, // 6
  2, 5, 2, 8, 4, 4, 6, 6, 2, 4, 2, 7, 4, 4, 7, 7, // 7
  2, 6, 2, 6, 3, 3, 3, 3, 2, 2, 2, 2, 4, 4, 4, 4, // 8
  2, 6, 2, 6, 4, 4, 4, 4, 2, 5, 2, 5, 5, 5, 5, 5, // 9
  2, 6, 2, 6, 3, 3, 3, 4, 2, 2, 2, 2, 4, 4, 4, 4, // a
  2, 5, 2, 5, 4, 4, 4, 4, 2, 4, 2, 4, 4, 4, 4, 4, // b
  2, 6, 2, 8, 3, 3, 5, 5, 2, 2, 2, 2, 4, 4, 6, 6, // c
  2, 5, 2, 8, 4, 4, 6, 6, 2, 4, 2, 7, 4, 4, 7, 7, // d
  2, 6, 2, 8, 3, 3, 5, 5, 2, 2, 2, 2, 4, 4, 6, 6, // e
  2, 5, 2, 8, 4, 4, 6, 6, 2, 4, 2, 7, 4, 4, 7, 7, // f
]);

/** The opcodes the core does not implement; executing one halts the CPU. */
export const JAM_OPCODES: readonly number[] = [
  0x02, 0x12, 0x22, 0x32, 0x42, 0x52, 0x62, 0x72, 0x92, 0xb2, 0xd2, 0xf2,
];

/**
 * The decimal-mode tables of the core. BCD_VALUE[b] reads byte b as two
 * decimal digits without validating them (b >> 4) * 10 + (b & 15), so $FF is
 * 165. BCD_ENCODE[n] writes n (0..255) back as the two low decimal digits.
 * The two rows are laid out back to back, which matters: decimal SBC can
 * index the second row with -66..-1, and then reads the end of the first row.
 */
const BCD_TABLES = new Uint8Array(512);
for (let t = 0; t < 256; t++) {
  BCD_TABLES[t] = (t >> 4) * 10 + (t & 0x0f);
  BCD_TABLES[256 + t] = ((Math.floor((t % 100) / 10)) << 4) | (t % 10);
}
const BCD_VALUE_BASE = 0;
const BCD_ENCODE_BASE = 256;

/** Thrown (or handed out through `jamError`) when a jam opcode is executed. */
export class CpuJamError extends Error {
  /** Address of the jam opcode. */
  readonly pc: number;
  readonly opcode: number;
  constructor(pc: number, opcode: number) {
    super(`6507 CPU jammed: opcode $${hex(opcode, 2)} at $${hex(pc, 4)} is not implemented by ALE's CPU core`);
    this.name = 'CpuJamError';
    this.pc = pc;
    this.opcode = opcode;
  }
}

function hex(value: number, digits: number): string {
  return value.toString(16).toUpperCase().padStart(digits, '0');
}

/** Why `run` returned. */
export type StopReason = 'instructions' | 'cycles' | 'stopped' | 'jammed';

/** A plain copy of the CPU state, for save/restore. */
export interface CpuState {
  a: number;
  x: number;
  y: number;
  sp: number;
  pc: number;
  p: number;
  cycles: number;
  jammed: boolean;
  jamPc: number;
  jamOpcode: number;
}

export class Cpu6502 {
  /** Accumulator, index registers and stack pointer (0..255). */
  a = 0;
  x = 0;
  y = 0;
  sp = 0xff;
  /** Program counter, 16 bits. */
  pc = 0;

  /**
   * Processor cycles so far. The CPU only ever adds to it; the machine may
   * reset it (ALE does at each frame start) and the bus may add to it during
   * a peek/poke (WSYNC). The new value is honoured immediately.
   */
  cycles = 0;

  /** True once a jam opcode has been executed; cleared by reset(). */
  jammed = false;
  /** The error describing the jam, or null. */
  jamError: CpuJamError | null = null;

  /** Set by stop(); `run` returns after the instruction in progress. */
  stopRequested = false;

  // Flags are kept in cheap forms: N is bit 7 of `fn`, Z is set when `fz` is
  // 0 (both usually hold the same result byte); C, V, D, I are 0 or 1.
  private fn = 0;
  private fz = 1;
  private fc = 0;
  private fv = 0;
  private fd = 0;
  private fi = 0;

  readonly bus: Bus;

  /**
   * When set, `run` takes the fast path (cpu-fast.ts) on this bus; `step` never does. The
   * two must behave identically; tests set it to null to get the reference loop.
   */
  fastBus: FastBus | null = null;

  /** `addressMask`: what the bus sees of each address (ADDRESS_MASK or FULL_ADDRESS_MASK). */
  constructor(bus: Bus, readonly addressMask: number = ADDRESS_MASK) {
    this.bus = bus;
  }

  /** Let `run` use the fast path on `bus` (which must be this CPU's bus, with full 16-bit addresses). */
  useFastBus(bus: FastBus): void {
    if (bus !== this.bus || this.addressMask !== FULL_ADDRESS_MASK) {
      throw new Error('the fast path needs the CPU\'s own bus and FULL_ADDRESS_MASK');
    }
    this.fastBus = bus;
  }

  /**
   * Power-on/reset as in ALE: registers and flags cleared, SP = $FF, PC read
   * from the reset vector through the bus ($FFFC then $FFFD). The cycle
   * counter is left alone (ALE's System::reset zeroes it before resetting the
   * devices and the CPU; the machine does that).
   */
  reset(): void {
    this.jammed = false;
    this.jamError = null;
    this.stopRequested = false;
    this.a = 0;
    this.x = 0;
    this.y = 0;
    this.sp = 0xff;
    this.setP(0x20);
    const lo = this.bus.peek(0xfffc & this.addressMask);
    const hi = this.bus.peek(0xfffd & this.addressMask);
    this.pc = lo | (hi << 8);
  }

  /** Ask `run` to return after the instruction in progress (ALE's M6502::stop). */
  stop(): void {
    this.stopRequested = true;
  }

  /** The status byte NV1BDIZC; B and bit 5 always read 1. */
  getP(): number {
    return (this.fn & 0x80) | (this.fv << 6) | 0x30 | (this.fd << 3) | (this.fi << 2) |
      (this.fz === 0 ? 0x02 : 0) | this.fc;
  }

  /** Load the status byte (B and bit 5 are ignored; they always read 1). */
  setP(p: number): void {
    this.fn = p & 0x80;
    this.fv = (p >> 6) & 1;
    this.fd = (p >> 3) & 1;
    this.fi = (p >> 2) & 1;
    this.fz = (p & 0x02) ? 0 : 1;
    this.fc = p & 1;
  }

  saveState(): CpuState {
    return {
      a: this.a, x: this.x, y: this.y, sp: this.sp, pc: this.pc, p: this.getP(),
      cycles: this.cycles, jammed: this.jammed,
      jamPc: this.jamError ? this.jamError.pc : 0, jamOpcode: this.jamError ? this.jamError.opcode : 0,
    };
  }

  loadState(s: CpuState): void {
    this.a = s.a & 0xff;
    this.x = s.x & 0xff;
    this.y = s.y & 0xff;
    this.sp = s.sp & 0xff;
    this.pc = s.pc & 0xffff;
    this.setP(s.p);
    this.cycles = s.cycles;
    this.jammed = s.jammed;
    this.jamError = s.jammed ? new CpuJamError(s.jamPc, s.jamOpcode) : null;
    this.stopRequested = false;
  }

  /**
   * Execute up to `maxInstructions` instructions, like ALE's execute(number):
   * a pending stop request is cleared first, then instructions run until the
   * budget is spent, stop() is called (by a device, during an instruction),
   * `cycles` reaches `cycleLimit` (checked before each instruction), or the
   * CPU jams. A jammed CPU executes nothing and answers 'jammed'.
   */
  run(maxInstructions: number, cycleLimit = Infinity): StopReason {
    this.stopRequested = false;
    if (this.jammed) return 'jammed';
    if (this.fastBus !== null) return runFast(this, this.fastBus, maxInstructions, cycleLimit);
    for (let left = maxInstructions; left > 0; left--) {
      if (this.cycles >= cycleLimit) return 'cycles';
      this.step();
      if (this.stopRequested) return 'stopped';
      if (this.jammed) return 'jammed';
    }
    return 'instructions';
  }

  /** Run until `cycles` reaches `cycleLimit` (or stop/jam). */
  runCycles(cycleLimit: number): StopReason {
    return this.run(Infinity, cycleLimit);
  }

  /** Throw the jam error if the CPU is jammed. */
  throwIfJammed(): void {
    if (this.jamError) throw this.jamError;
  }

  // ---------------------------------------------------------------- memory

  private rd(addr: number): number {
    return this.bus.peek(addr & this.addressMask);
  }

  private wr(addr: number, value: number): void {
    this.bus.poke(addr & this.addressMask, value);
  }

  /** Read the byte at PC and advance PC. */
  private fetch(): number {
    const pc = this.pc;
    this.pc = (pc + 1) & 0xffff;
    return this.bus.peek(pc & this.addressMask);
  }

  /** Read a little-endian word at PC and advance PC by 2. */
  private fetchWord(): number {
    const pc = this.pc;
    this.pc = (pc + 2) & 0xffff;
    const lo = this.bus.peek(pc & this.addressMask);
    return lo | (this.bus.peek((pc + 1) & this.addressMask) << 8);
  }

  private push(value: number): void {
    this.bus.poke(0x100 + this.sp, value);
    this.sp = (this.sp - 1) & 0xff;
  }

  /** The core's pull: read at SP (discarded), increment SP, read at SP. */
  private pull(): number {
    this.bus.peek(0x100 + this.sp);
    this.sp = (this.sp + 1) & 0xff;
    return this.bus.peek(0x100 + this.sp);
  }

  // ------------------------------------------------------ effective addresses

  private zpX(): number {
    return (this.fetch() + this.x) & 0xff;
  }

  private zpY(): number {
    return (this.fetch() + this.y) & 0xff;
  }

  /** abs,X / abs,Y for reads: one extra cycle when the index crosses a page. */
  private absIndexedRead(index: number): number {
    const base = this.fetchWord();
    const ea = (base + index) & 0xffff;
    if ((base ^ ea) & 0xff00) this.cycles++;
    return ea;
  }

  /** abs,X / abs,Y for writes and read-modify-writes: no extra cycle. */
  private absIndexed(index: number): number {
    return (this.fetchWord() + index) & 0xffff;
  }

  /** (zp,X): the pointer wraps in page 0, its second byte is read unwrapped. */
  private indX(): number {
    const p = (this.fetch() + this.x) & 0xff;
    const lo = this.rd(p);
    return lo | (this.rd(p + 1) << 8);
  }

  /** (zp),Y base address (second pointer byte read unwrapped). */
  private indBase(): number {
    const p = this.fetch();
    const lo = this.rd(p);
    return lo | (this.rd(p + 1) << 8);
  }

  private indYRead(): number {
    const base = this.indBase();
    const ea = (base + this.y) & 0xffff;
    if ((base ^ ea) & 0xff00) this.cycles++;
    return ea;
  }

  private indY(): number {
    return (this.indBase() + this.y) & 0xffff;
  }

  // ------------------------------------------------------------- operations

  private branch(taken: boolean): void {
    const offset = this.fetch();
    if (taken) {
      const pc = this.pc;
      const target = (pc + ((offset ^ 0x80) - 0x80)) & 0xffff;
      this.cycles += ((pc ^ target) & 0xff00) ? 2 : 1;
      this.pc = target;
    }
  }

  private ora(v: number): void {
    this.fn = this.fz = this.a |= v;
  }

  private and(v: number): void {
    this.fn = this.fz = this.a &= v;
  }

  private eor(v: number): void {
    this.fn = this.fz = this.a ^= v;
  }

  private lda(v: number): void {
    this.fn = this.fz = this.a = v;
  }

  private ldx(v: number): void {
    this.fn = this.fz = this.x = v;
  }

  private ldy(v: number): void {
    this.fn = this.fz = this.y = v;
  }

  private lax(v: number): void {
    this.fn = this.fz = this.a = this.x = v;
  }

  private bit(v: number): void {
    this.fz = this.a & v;
    this.fn = v;
    this.fv = (v >> 6) & 1;
  }

  private compare(reg: number, v: number): void {
    const d = reg - v;
    this.fc = d >= 0 ? 1 : 0;
    this.fn = this.fz = d & 0xff;
  }

  /**
   * ADC. Binary mode is the usual one. Decimal mode (Stella's tables): the
   * digits of both operands are read as decimal numbers (no validation),
   * summed with the carry; C = sum > 99; A = the two low decimal digits of
   * (sum & $FF); N and Z come from that result; V is set when the result's
   * bit 7 differs from both the old A's and the operand's.
   */
  private adc(v: number): void {
    const a = this.a;
    if (this.fd === 0) {
      const sum = a + v + this.fc;
      const r = sum & 0xff;
      this.fv = ((a ^ r) & (v ^ r) & 0x80) >> 7;
      this.fc = sum >> 8;
      this.fn = this.fz = this.a = r;
    } else {
      const sum = BCD_TABLES[BCD_VALUE_BASE + a]! + BCD_TABLES[BCD_VALUE_BASE + v]! + this.fc;
      this.fc = sum > 99 ? 1 : 0;
      const r = BCD_TABLES[BCD_ENCODE_BASE + (sum & 0xff)]!;
      this.fn = this.fz = this.a = r;
      this.fv = ((a ^ r) & (r ^ v) & 0x80) >> 7;
    }
  }

  /**
   * SBC. Binary mode is ADC of the complement. Decimal mode (Stella's
   * tables): d = value(A) - value(operand) - borrow, plus 100 when negative;
   * A = encode(d); for d still negative (only with non-BCD operands, d >= -66)
   * the core indexes before its encode row and reads value(256 + d) instead.
   * C = (A >= operand + borrow) compared as plain binary numbers; N, Z from
   * the result; V computed as in decimal ADC, with the original operand.
   */
  private sbc(v: number): void {
    const a = this.a;
    if (this.fd === 0) {
      const nv = v ^ 0xff;
      const sum = a + nv + this.fc;
      const r = sum & 0xff;
      this.fv = ((a ^ r) & (nv ^ r) & 0x80) >> 7;
      this.fc = sum >> 8;
      this.fn = this.fz = this.a = r;
    } else {
      const borrow = 1 - this.fc;
      let d = BCD_TABLES[BCD_VALUE_BASE + a]! - BCD_TABLES[BCD_VALUE_BASE + v]! - borrow;
      if (d < 0) d += 100;
      const r = BCD_TABLES[BCD_ENCODE_BASE + d]!;
      this.fc = a >= v + borrow ? 1 : 0;
      this.fn = this.fz = this.a = r;
      this.fv = ((a ^ r) & (r ^ v) & 0x80) >> 7;
    }
  }

  private asl(ea: number): void {
    const v = this.rd(ea);
    const r = (v << 1) & 0xff;
    this.fc = v >> 7;
    this.wr(ea, r);
    this.fn = this.fz = r;
  }

  private lsr(ea: number): void {
    const v = this.rd(ea);
    const r = v >> 1;
    this.fc = v & 1;
    this.wr(ea, r);
    this.fn = this.fz = r;
  }

  private rol(ea: number): void {
    const v = this.rd(ea);
    const r = ((v << 1) | this.fc) & 0xff;
    this.fc = v >> 7;
    this.wr(ea, r);
    this.fn = this.fz = r;
  }

  private ror(ea: number): void {
    const v = this.rd(ea);
    const r = (v >> 1) | (this.fc << 7);
    this.fc = v & 1;
    this.wr(ea, r);
    this.fn = this.fz = r;
  }

  private inc(ea: number): void {
    const r = (this.rd(ea) + 1) & 0xff;
    this.wr(ea, r);
    this.fn = this.fz = r;
  }

  private dec(ea: number): void {
    const r = (this.rd(ea) - 1) & 0xff;
    this.wr(ea, r);
    this.fn = this.fz = r;
  }

  // Undocumented read-modify-write combinations.

  /** SLO: ASL memory, then ORA. */
  private slo(ea: number): void {
    const v = this.rd(ea);
    const r = (v << 1) & 0xff;
    this.fc = v >> 7;
    this.wr(ea, r);
    this.fn = this.fz = this.a |= r;
  }

  /** RLA: ROL memory, then AND. */
  private rla(ea: number): void {
    const v = this.rd(ea);
    const r = ((v << 1) | this.fc) & 0xff;
    this.wr(ea, r);
    this.fc = v >> 7;
    this.fn = this.fz = this.a &= r;
  }

  /** SRE: LSR memory, then EOR. */
  private sre(ea: number): void {
    const v = this.rd(ea);
    const r = v >> 1;
    this.fc = v & 1;
    this.wr(ea, r);
    this.fn = this.fz = this.a ^= r;
  }

  /** RRA: ROR memory, then ADC (using the carry the ROR produced). */
  private rra(ea: number): void {
    const v = this.rd(ea);
    const r = (v >> 1) | (this.fc << 7);
    this.fc = v & 1;
    this.wr(ea, r);
    this.adc(r);
  }

  /** DCP: DEC memory, then CMP. */
  private dcp(ea: number): void {
    const r = (this.rd(ea) - 1) & 0xff;
    this.wr(ea, r);
    this.compare(this.a, r);
  }

  /** ISB (ISC): INC memory, then SBC. */
  private isb(ea: number): void {
    const r = (this.rd(ea) + 1) & 0xff;
    this.wr(ea, r);
    this.sbc(r);
  }

  /**
   * ARR: AND then ROR A, with the core's odd flags. Binary: C = bit 6,
   * V = bit 6 ^ bit 5 of the result. Decimal: N = the old carry, Z and V from
   * the rotated value before the BCD fix-ups, C from the high-digit fix-up.
   */
  private arr(v: number): void {
    const t = this.a & v;
    const r = (t >> 1) | (this.fc << 7);
    if (this.fd === 0) {
      this.fc = (r >> 6) & 1;
      this.fv = ((r >> 6) ^ (r >> 5)) & 1;
      this.fn = this.fz = this.a = r;
    } else {
      this.fn = this.fc << 7;
      this.fz = r;
      this.fv = ((t ^ r) >> 6) & 1;
      let a = r;
      if ((t & 0x0f) + (t & 0x01) > 0x05) a = (a & 0xf0) | ((a + 0x06) & 0x0f);
      if ((t & 0xf0) + (t & 0x10) > 0x50) {
        a = (a + 0x60) & 0xff;
        this.fc = 1;
      } else {
        this.fc = 0;
      }
      this.a = a;
    }
  }

  /** The value SHA/SHX/SHY/SHS store: reg AND (high byte of address + 1). */
  private static highPlusOne(ea: number): number {
    return ((ea >> 8) + 1) & 0xff;
  }

  // --------------------------------------------------------------- dispatch

  /**
   * Execute one instruction and return the cycles it took (including any
   * cycles the bus added during it). A jammed CPU does nothing and returns 0.
   */
  step(): number {
    if (this.jammed) return 0;
    const start = this.cycles;
    const opPc = this.pc;
    const op = this.bus.peek(opPc & this.addressMask);
    this.pc = (opPc + 1) & 0xffff;
    this.cycles += CYCLE_TABLE[op]!;

    switch (op) {
      // ---- row 0
      case 0x00: { // BRK
        this.fetch(); // the padding byte is read and skipped
        this.push(this.pc >> 8);
        this.push(this.pc & 0xff);
        this.push(this.getP());
        this.fi = 1;
        const lo = this.rd(0xfffe);
        this.pc = lo | (this.rd(0xffff) << 8);
        break;
      }
      case 0x01: this.ora(this.rd(this.indX())); break;
      case 0x03: this.slo(this.indX()); break;
      case 0x04: this.rd(this.fetch()); break; // NOP zp
      case 0x05: this.ora(this.rd(this.fetch())); break;
      case 0x06: this.asl(this.fetch()); break;
      case 0x07: this.slo(this.fetch()); break;
      case 0x08: this.push(this.getP()); break; // PHP
      case 0x09: this.ora(this.fetch()); break;
      case 0x0a: { // ASL A
        const a = this.a;
        this.fc = a >> 7;
        this.fn = this.fz = this.a = (a << 1) & 0xff;
        break;
      }
      case 0x0b: case 0x2b: // ANC #
        this.and(this.fetch());
        this.fc = this.a >> 7;
        break;
      case 0x0c: this.rd(this.fetchWord()); break; // NOP abs
      case 0x0d: this.ora(this.rd(this.fetchWord())); break;
      case 0x0e: this.asl(this.fetchWord()); break;
      case 0x0f: this.slo(this.fetchWord()); break;

      // ---- row 1
      case 0x10: this.branch((this.fn & 0x80) === 0); break; // BPL
      case 0x11: this.ora(this.rd(this.indYRead())); break;
      case 0x13: this.slo(this.indY()); break;
      case 0x14: case 0x34: case 0x54: case 0x74: case 0xd4: case 0xf4: // NOP zp,X
        this.rd(this.zpX());
        break;
      case 0x15: this.ora(this.rd(this.zpX())); break;
      case 0x16: this.asl(this.zpX()); break;
      case 0x17: this.slo(this.zpX()); break;
      case 0x18: this.fc = 0; break; // CLC
      case 0x19: this.ora(this.rd(this.absIndexedRead(this.y))); break;
      case 0x1a: case 0x3a: case 0x5a: case 0x7a: case 0xda: case 0xea: case 0xfa: // NOP
        break;
      case 0x1b: this.slo(this.absIndexed(this.y)); break;
      case 0x1c: case 0x3c: case 0x5c: case 0x7c: case 0xdc: case 0xfc: // NOP abs,X
        this.rd(this.absIndexedRead(this.x));
        break;
      case 0x1d: this.ora(this.rd(this.absIndexedRead(this.x))); break;
      case 0x1e: this.asl(this.absIndexed(this.x)); break;
      case 0x1f: this.slo(this.absIndexed(this.x)); break;

      // ---- row 2
      case 0x20: { // JSR: the return address is pushed before its high byte is read
        const lo = this.fetch();
        this.bus.peek(0x100 + this.sp);
        this.push(this.pc >> 8);
        this.push(this.pc & 0xff);
        this.pc = lo | (this.rd(this.pc) << 8);
        break;
      }
      case 0x21: this.and(this.rd(this.indX())); break;
      case 0x23: this.rla(this.indX()); break;
      case 0x24: this.bit(this.rd(this.fetch())); break;
      case 0x25: this.and(this.rd(this.fetch())); break;
      case 0x26: this.rol(this.fetch()); break;
      case 0x27: this.rla(this.fetch()); break;
      case 0x28: this.setP(this.pull()); break; // PLP
      case 0x29: this.and(this.fetch()); break;
      case 0x2a: { // ROL A
        const a = this.a;
        this.fn = this.fz = this.a = ((a << 1) | this.fc) & 0xff;
        this.fc = a >> 7;
        break;
      }
      case 0x2c: this.bit(this.rd(this.fetchWord())); break;
      case 0x2d: this.and(this.rd(this.fetchWord())); break;
      case 0x2e: this.rol(this.fetchWord()); break;
      case 0x2f: this.rla(this.fetchWord()); break;

      // ---- row 3
      case 0x30: this.branch((this.fn & 0x80) !== 0); break; // BMI
      case 0x31: this.and(this.rd(this.indYRead())); break;
      case 0x33: this.rla(this.indY()); break;
      case 0x35: this.and(this.rd(this.zpX())); break;
      case 0x36: this.rol(this.zpX()); break;
      case 0x37: this.rla(this.zpX()); break;
      case 0x38: this.fc = 1; break; // SEC
      case 0x39: this.and(this.rd(this.absIndexedRead(this.y))); break;
      case 0x3b: this.rla(this.absIndexed(this.y)); break;
      case 0x3d: this.and(this.rd(this.absIndexedRead(this.x))); break;
      case 0x3e: this.rol(this.absIndexed(this.x)); break;
      case 0x3f: this.rla(this.absIndexed(this.x)); break;

      // ---- row 4
      case 0x40: { // RTI
        this.setP(this.pull());
        this.sp = (this.sp + 1) & 0xff;
        const lo = this.bus.peek(0x100 + this.sp);
        this.sp = (this.sp + 1) & 0xff;
        this.pc = lo | (this.bus.peek(0x100 + this.sp) << 8);
        break;
      }
      case 0x41: this.eor(this.rd(this.indX())); break;
      case 0x43: this.sre(this.indX()); break;
      case 0x44: case 0x64: this.rd(this.fetch()); break; // NOP zp
      case 0x45: this.eor(this.rd(this.fetch())); break;
      case 0x46: this.lsr(this.fetch()); break;
      case 0x47: this.sre(this.fetch()); break;
      case 0x48: this.push(this.a); break; // PHA
      case 0x49: this.eor(this.fetch()); break;
      case 0x4a: { // LSR A
        const a = this.a;
        this.fc = a & 1;
        this.fn = this.fz = this.a = a >> 1;
        break;
      }
      case 0x4b: { // ASR (ALR) #: AND then LSR A
        const t = this.a & this.fetch();
        this.fc = t & 1;
        this.fn = this.fz = this.a = t >> 1;
        break;
      }
      case 0x4c: this.pc = this.fetchWord(); break; // JMP abs
      case 0x4d: this.eor(this.rd(this.fetchWord())); break;
      case 0x4e: this.lsr(this.fetchWord()); break;
      case 0x4f: this.sre(this.fetchWord()); break;

      // ---- row 5
      case 0x50: this.branch(this.fv === 0); break; // BVC
      case 0x51: this.eor(this.rd(this.indYRead())); break;
      case 0x53: this.sre(this.indY()); break;
      case 0x55: this.eor(this.rd(this.zpX())); break;
      case 0x56: this.lsr(this.zpX()); break;
      case 0x57: this.sre(this.zpX()); break;
      case 0x58: this.fi = 0; break; // CLI
      case 0x59: this.eor(this.rd(this.absIndexedRead(this.y))); break;
      case 0x5b: this.sre(this.absIndexed(this.y)); break;
      case 0x5d: this.eor(this.rd(this.absIndexedRead(this.x))); break;
      case 0x5e: this.lsr(this.absIndexed(this.x)); break;
      case 0x5f: this.sre(this.absIndexed(this.x)); break;

      // ---- row 6
      case 0x60: { // RTS
        const lo = this.pull();
        this.sp = (this.sp + 1) & 0xff;
        const ret = lo | (this.bus.peek(0x100 + this.sp) << 8);
        this.rd(ret); // read at the pulled address, then step past it
        this.pc = (ret + 1) & 0xffff;
        break;
      }
      case 0x61: this.adc(this.rd(this.indX())); break;
      case 0x63: this.rra(this.indX()); break;
      case 0x65: this.adc(this.rd(this.fetch())); break;
      case 0x66: this.ror(this.fetch()); break;
      case 0x67: this.rra(this.fetch()); break;
      case 0x68: this.lda(this.pull()); break; // PLA
      case 0x69: this.adc(this.fetch()); break;
      case 0x6a: { // ROR A
        const a = this.a;
        this.fn = this.fz = this.a = (a >> 1) | (this.fc << 7);
        this.fc = a & 1;
        break;
      }
      case 0x6b: this.arr(this.fetch()); break;
      case 0x6c: { // JMP (ind), with the page-wrap bug
        const ptr = this.fetchWord();
        const lo = this.rd(ptr);
        this.pc = lo | (this.rd((ptr & 0xff00) | ((ptr + 1) & 0xff)) << 8);
        break;
      }
      case 0x6d: this.adc(this.rd(this.fetchWord())); break;
      case 0x6e: this.ror(this.fetchWord()); break;
      case 0x6f: this.rra(this.fetchWord()); break;

      // ---- row 7
      case 0x70: this.branch(this.fv !== 0); break; // BVS
      case 0x71: this.adc(this.rd(this.indYRead())); break;
      case 0x73: this.rra(this.indY()); break;
      case 0x75: this.adc(this.rd(this.zpX())); break;
      case 0x76: this.ror(this.zpX()); break;
      case 0x77: this.rra(this.zpX()); break;
      case 0x78: this.fi = 1; break; // SEI
      case 0x79: this.adc(this.rd(this.absIndexedRead(this.y))); break;
      case 0x7b: this.rra(this.absIndexed(this.y)); break;
      case 0x7d: this.adc(this.rd(this.absIndexedRead(this.x))); break;
      case 0x7e: this.ror(this.absIndexed(this.x)); break;
      case 0x7f: this.rra(this.absIndexed(this.x)); break;

      // ---- row 8
      case 0x80: case 0x82: case 0x89: case 0xc2: case 0xe2: // NOP #
        this.fetch();
        break;
      case 0x81: this.wr(this.indX(), this.a); break;
      case 0x83: this.wr(this.indX(), this.a & this.x); break; // SAX
      case 0x84: this.wr(this.fetch(), this.y); break;
      case 0x85: this.wr(this.fetch(), this.a); break;
      case 0x86: this.wr(this.fetch(), this.x); break;
      case 0x87: this.wr(this.fetch(), this.a & this.x); break;
      case 0x88: this.fn = this.fz = this.y = (this.y - 1) & 0xff; break; // DEY
      case 0x8a: this.fn = this.fz = this.a = this.x; break; // TXA
      case 0x8b: // ANE (XAA) #, with the core's magic constant $EE
        this.fn = this.fz = this.a = (this.a | 0xee) & this.x & this.fetch();
        break;
      case 0x8c: this.wr(this.fetchWord(), this.y); break;
      case 0x8d: this.wr(this.fetchWord(), this.a); break;
      case 0x8e: this.wr(this.fetchWord(), this.x); break;
      case 0x8f: this.wr(this.fetchWord(), this.a & this.x); break;

      // ---- row 9
      case 0x90: this.branch(this.fc === 0); break; // BCC
      case 0x91: this.wr(this.indY(), this.a); break;
      case 0x93: { // SHA (zp),Y
        const ea = this.indY();
        this.wr(ea, this.a & this.x & Cpu6502.highPlusOne(ea));
        break;
      }
      case 0x94: this.wr(this.zpX(), this.y); break;
      case 0x95: this.wr(this.zpX(), this.a); break;
      case 0x96: this.wr(this.zpY(), this.x); break;
      case 0x97: this.wr(this.zpY(), this.a & this.x); break;
      case 0x98: this.fn = this.fz = this.a = this.y; break; // TYA
      case 0x99: this.wr(this.absIndexed(this.y), this.a); break;
      case 0x9a: this.sp = this.x; break; // TXS
      case 0x9b: { // SHS (TAS) abs,Y
        const ea = this.absIndexed(this.y);
        this.sp = this.a & this.x;
        this.wr(ea, this.a & this.x & Cpu6502.highPlusOne(ea));
        break;
      }
      case 0x9c: { // SHY abs,X
        const ea = this.absIndexed(this.x);
        this.wr(ea, this.y & Cpu6502.highPlusOne(ea));
        break;
      }
      case 0x9d: this.wr(this.absIndexed(this.x), this.a); break;
      case 0x9e: { // SHX abs,Y
        const ea = this.absIndexed(this.y);
        this.wr(ea, this.x & Cpu6502.highPlusOne(ea));
        break;
      }
      case 0x9f: { // SHA abs,Y
        const ea = this.absIndexed(this.y);
        this.wr(ea, this.a & this.x & Cpu6502.highPlusOne(ea));
        break;
      }

      // ---- row a
      case 0xa0: this.ldy(this.fetch()); break;
      case 0xa1: this.lda(this.rd(this.indX())); break;
      case 0xa2: this.ldx(this.fetch()); break;
      case 0xa3: this.lax(this.rd(this.indX())); break;
      case 0xa4: this.ldy(this.rd(this.fetch())); break;
      case 0xa5: this.lda(this.rd(this.fetch())); break;
      case 0xa6: this.ldx(this.rd(this.fetch())); break;
      case 0xa7: this.lax(this.rd(this.fetch())); break;
      case 0xa8: this.fn = this.fz = this.y = this.a; break; // TAY
      case 0xa9: this.lda(this.fetch()); break;
      case 0xaa: this.fn = this.fz = this.x = this.a; break; // TAX
      case 0xab: // LXA #, with the core's magic constant $EE
        this.fn = this.fz = this.a = this.x = (this.a | 0xee) & this.fetch();
        break;
      case 0xac: this.ldy(this.rd(this.fetchWord())); break;
      case 0xad: this.lda(this.rd(this.fetchWord())); break;
      case 0xae: this.ldx(this.rd(this.fetchWord())); break;
      case 0xaf: this.lax(this.rd(this.fetchWord())); break;

      // ---- row b
      case 0xb0: this.branch(this.fc !== 0); break; // BCS
      case 0xb1: this.lda(this.rd(this.indYRead())); break;
      case 0xb3: this.lax(this.rd(this.indYRead())); break;
      case 0xb4: this.ldy(this.rd(this.zpX())); break;
      case 0xb5: this.lda(this.rd(this.zpX())); break;
      case 0xb6: this.ldx(this.rd(this.zpY())); break;
      case 0xb7: this.lax(this.rd(this.zpY())); break;
      case 0xb8: this.fv = 0; break; // CLV
      case 0xb9: this.lda(this.rd(this.absIndexedRead(this.y))); break;
      case 0xba: this.fn = this.fz = this.x = this.sp; break; // TSX
      case 0xbb: // LAS abs,Y
        this.fn = this.fz = this.a = this.x = this.sp = this.sp & this.rd(this.absIndexedRead(this.y));
        break;
      case 0xbc: this.ldy(this.rd(this.absIndexedRead(this.x))); break;
      case 0xbd: this.lda(this.rd(this.absIndexedRead(this.x))); break;
      case 0xbe: this.ldx(this.rd(this.absIndexedRead(this.y))); break;
      case 0xbf: this.lax(this.rd(this.absIndexedRead(this.y))); break;

      // ---- row c
      case 0xc0: this.compare(this.y, this.fetch()); break;
      case 0xc1: this.compare(this.a, this.rd(this.indX())); break;
      case 0xc3: this.dcp(this.indX()); break;
      case 0xc4: this.compare(this.y, this.rd(this.fetch())); break;
      case 0xc5: this.compare(this.a, this.rd(this.fetch())); break;
      case 0xc6: this.dec(this.fetch()); break;
      case 0xc7: this.dcp(this.fetch()); break;
      case 0xc8: this.fn = this.fz = this.y = (this.y + 1) & 0xff; break; // INY
      case 0xc9: this.compare(this.a, this.fetch()); break;
      case 0xca: this.fn = this.fz = this.x = (this.x - 1) & 0xff; break; // DEX
      case 0xcb: { // SBX (AXS) #: X = (A AND X) - operand, C as in CMP
        const d = (this.a & this.x) - this.fetch();
        this.fc = d >= 0 ? 1 : 0;
        this.fn = this.fz = this.x = d & 0xff;
        break;
      }
      case 0xcc: this.compare(this.y, this.rd(this.fetchWord())); break;
      case 0xcd: this.compare(this.a, this.rd(this.fetchWord())); break;
      case 0xce: this.dec(this.fetchWord()); break;
      case 0xcf: this.dcp(this.fetchWord()); break;

      // ---- row d
      case 0xd0: this.branch(this.fz !== 0); break; // BNE
      case 0xd1: this.compare(this.a, this.rd(this.indYRead())); break;
      case 0xd3: this.dcp(this.indY()); break;
      case 0xd5: this.compare(this.a, this.rd(this.zpX())); break;
      case 0xd6: this.dec(this.zpX()); break;
      case 0xd7: this.dcp(this.zpX()); break;
      case 0xd8: this.fd = 0; break; // CLD
      case 0xd9: this.compare(this.a, this.rd(this.absIndexedRead(this.y))); break;
      case 0xdb: this.dcp(this.absIndexed(this.y)); break;
      case 0xdd: this.compare(this.a, this.rd(this.absIndexedRead(this.x))); break;
      case 0xde: this.dec(this.absIndexed(this.x)); break;
      case 0xdf: this.dcp(this.absIndexed(this.x)); break;

      // ---- row e
      case 0xe0: this.compare(this.x, this.fetch()); break;
      case 0xe1: this.sbc(this.rd(this.indX())); break;
      case 0xe3: this.isb(this.indX()); break;
      case 0xe4: this.compare(this.x, this.rd(this.fetch())); break;
      case 0xe5: this.sbc(this.rd(this.fetch())); break;
      case 0xe6: this.inc(this.fetch()); break;
      case 0xe7: this.isb(this.fetch()); break;
      case 0xe8: this.fn = this.fz = this.x = (this.x + 1) & 0xff; break; // INX
      case 0xe9: case 0xeb: this.sbc(this.fetch()); break;
      case 0xec: this.compare(this.x, this.rd(this.fetchWord())); break;
      case 0xed: this.sbc(this.rd(this.fetchWord())); break;
      case 0xee: this.inc(this.fetchWord()); break;
      case 0xef: this.isb(this.fetchWord()); break;

      // ---- row f
      case 0xf0: this.branch(this.fz === 0); break; // BEQ
      case 0xf1: this.sbc(this.rd(this.indYRead())); break;
      case 0xf3: this.isb(this.indY()); break;
      case 0xf5: this.sbc(this.rd(this.zpX())); break;
      case 0xf6: this.inc(this.zpX()); break;
      case 0xf7: this.isb(this.zpX()); break;
      case 0xf8: this.fd = 1; break; // SED
      case 0xf9: this.sbc(this.rd(this.absIndexedRead(this.y))); break;
      case 0xfb: this.isb(this.absIndexed(this.y)); break;
      case 0xfd: this.sbc(this.rd(this.absIndexedRead(this.x))); break;
      case 0xfe: this.inc(this.absIndexed(this.x)); break;
      case 0xff: this.isb(this.absIndexed(this.x)); break;

      default: // $02 $12 $22 $32 $42 $52 $62 $72 $92 $B2 $D2 $F2
        this.jammed = true;
        this.jamError = new CpuJamError(opPc, op);
        break;
    }
    return this.cycles - start;
  }
}
