/** Test buses for the CPU: a flat 8K memory that can log every access. */
import { Cpu6502, type Bus } from '../../src/atari/cpu.js';

export interface Access {
  kind: 'r' | 'w';
  addr: number;
  value: number;
  /** The CPU's cycle counter at the moment of the access. */
  cycles: number;
}

export class FlatBus implements Bus {
  /** 8K: the whole 13-bit address space of the 6507. */
  readonly mem = new Uint8Array(0x2000);
  readonly log: Access[] = [];
  logging = false;
  cpu: Cpu6502 | null = null;
  /** Optional hook run on every poke (after the write). */
  onPoke: ((addr: number, value: number) => void) | null = null;

  peek(addr: number): number {
    if (!Number.isInteger(addr) || addr < 0 || addr > 0x1fff) throw new Error(`peek outside 13 bits: ${addr}`);
    const value = this.mem[addr]!;
    if (this.logging) this.log.push({ kind: 'r', addr, value, cycles: this.cpu ? this.cpu.cycles : -1 });
    return value;
  }

  poke(addr: number, value: number): void {
    if (!Number.isInteger(addr) || addr < 0 || addr > 0x1fff) throw new Error(`poke outside 13 bits: ${addr}`);
    if (!Number.isInteger(value) || value < 0 || value > 0xff) throw new Error(`poke of a non-byte: ${value}`);
    this.mem[addr] = value;
    if (this.logging) this.log.push({ kind: 'w', addr, value, cycles: this.cpu ? this.cpu.cycles : -1 });
    if (this.onPoke) this.onPoke(addr, value);
  }

  /** Store bytes at a (16-bit) address, masked to 13 bits. */
  load(addr: number, bytes: readonly number[]): void {
    bytes.forEach((b, i) => { this.mem[(addr + i) & 0x1fff] = b; });
  }

  startLog(): void {
    this.log.length = 0;
    this.logging = true;
  }

  writes(): Access[] {
    return this.log.filter((a) => a.kind === 'w');
  }
}

/** Deterministic pseudo-random bytes (xorshift32). */
export class Rng {
  private s: number;
  constructor(seed: number) {
    this.s = seed >>> 0 || 1;
  }
  next(): number {
    let s = this.s;
    s ^= s << 13; s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5; s >>>= 0;
    this.s = s;
    return s;
  }
  byte(): number {
    return this.next() & 0xff;
  }
  int(n: number): number {
    return this.next() % n;
  }
}

export function hex(v: number, digits = 2): string {
  return '$' + v.toString(16).toUpperCase().padStart(digits, '0');
}

/** Registers to set before one instruction. */
export interface Regs {
  a?: number;
  x?: number;
  y?: number;
  sp?: number;
  p?: number;
}

/** A CPU on a fresh flat bus. */
export function machine(): { cpu: Cpu6502; bus: FlatBus } {
  const bus = new FlatBus();
  const cpu = new Cpu6502(bus);
  bus.cpu = cpu;
  return { cpu, bus };
}

/** Put `code` at `at`, set the registers, run one instruction; returns its cycles. */
export function exec(cpu: Cpu6502, bus: FlatBus, code: readonly number[], regs: Regs = {}, at = 0xf000): number {
  bus.load(at, code);
  cpu.pc = at;
  if (regs.a !== undefined) cpu.a = regs.a;
  if (regs.x !== undefined) cpu.x = regs.x;
  if (regs.y !== undefined) cpu.y = regs.y;
  if (regs.sp !== undefined) cpu.sp = regs.sp;
  if (regs.p !== undefined) cpu.setP(regs.p);
  return cpu.step();
}
