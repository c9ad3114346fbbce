/**
 * The fast path of Cpu6502.run on a FastBus (the Machine). It must behave exactly like
 * running Cpu6502.step in a loop (cpu.ts documents those semantics); tests run the two
 * side by side.
 *
 * How it stays exact:
 * - Registers, flags, PC, the cycle count, the data bus byte and the read/write flag of
 *   the last access live in locals while instructions run.
 * - An instruction is done here only when all its bytes lie in the quiet part of the
 *   cartridge's ROM window, and every access but the last one is quiet: a read of RIOT RAM
 *   or of the window, or a RAM write. The last access may go to a device (TIA, RIOT
 *   registers, hotspots, any write to the cartridge): the locals the devices can see
 *   (cycles, dataBus, lastAccessWasRead) are stored first, and after it the cycle count
 *   (WSYNC), the ROM window (bank switch) and stop() are picked up. Nothing in an
 *   instruction follows its last access, so nothing there can see a stale local.
 * - Everything else (code outside the window, a device access that is not last, decimal
 *   ADC/SBC, BRK, RTI, JMP (ind), undocumented and jam opcodes) is handed to cpu.step()
 *   from the state at the start of the instruction: no access has had an effect by then.
 * - LDA/LDX/LDY INTIM; BNE back to it: the iterations whose read finds the timer still
 *   running and non-zero are counted in bulk (same cycles, same instruction count, same
 *   final data bus byte; such reads change nothing, see Riot.quietNonZeroReads).
 */
import { CYCLE_TABLE, type Cpu6502, type FastBus, type StopReason } from './cpu.js';

const NO_RAM = new Uint8Array(128);

/** Set by a device access to cartridge space: the ROM window may have changed. */
let windowStale = false;

function devRead(cpu: Cpu6502, bus: FastBus, addr: number, cycles: number, prev: number): number {
  cpu.cycles = cycles;
  bus.dataBus = prev;
  bus.lastAccessWasRead = true;
  if (addr & 0x1000) windowStale = true;
  return bus.peek(addr);
}

/** A device write; in every instruction done here the access before it is a read. */
function devWrite(cpu: Cpu6502, bus: FastBus, addr: number, value: number, cycles: number, prev: number): void {
  cpu.cycles = cycles;
  bus.dataBus = prev;
  bus.lastAccessWasRead = true;
  if (addr & 0x1000) windowStale = true;
  bus.poke(addr, value);
}

/** How many whole LDx INTIM / BNE iterations, the first read at `readCycle`, can be skipped. */
function pollsToSkip(bus: FastBus, readCycle: number, period: number, c0: number, budget: number, cycleLimit: number): number {
  let k = Math.min(bus.quietIntimPolls(readCycle, period), Math.floor(budget / 2));
  // every skipped instruction must start below the limit; the last BNE starts at c0 + (k-1)p + 4
  if (cycleLimit !== Infinity) k = Math.min(k, Math.ceil((cycleLimit - c0 - 4) / period));
  return k;
}

export function runFast(cpu: Cpu6502, bus: FastBus, maxInstructions: number, cycleLimit: number): StopReason {
  let a = cpu.a;
  let x = cpu.x;
  let y = cpu.y;
  let sp = cpu.sp;
  let pc = cpu.pc;
  let cyc = cpu.cycles;
  // flags as in Cpu6502: N = bit 7 of fn, Z = (fz === 0), the others 0/1
  let p = cpu.getP();
  let fn = p & 0x80;
  let fz = p & 0x02 ? 0 : 1;
  let fc = p & 1;
  let fv = (p >> 6) & 1;
  let fd = (p >> 3) & 1;
  let fi = (p >> 2) & 1;
  let db = bus.dataBus;
  let lr = bus.lastAccessWasRead;

  const ram = bus.fastRam ?? NO_RAM;
  // (addr & ramSel) === 0x80 selects RIOT RAM; never true without fast RAM
  const ramSel = bus.fastRam ? 0x1280 : 0;
  let rom = bus.cartWindow();
  windowStale = false;
  const whi = bus.cartQuietHi;
  // ((addr & $1FFF) - wlo) >>> 0 <= wspan: a quiet window read
  const wlo = 0x1000 + bus.cartQuietLo;
  const wspan = bus.cartQuietHi - bus.cartQuietLo;
  // the same for the three bytes an instruction may occupy
  const wspan3 = wspan - 2;

  let left = maxInstructions;
  let reason: StopReason = 'instructions';
  let dev = false;

  main: while (left > 0) {
    if (cyc >= cycleLimit) {
      reason = 'cycles';
      break;
    }
    left--;
    const opPc = pc;
    const c0 = cyc;
    fast: {
      if (((pc & 0x1fff) - wlo) >>> 0 > wspan3) break fast;
      const o = pc & 0xfff;
      const op = rom[o]!;
      cyc += CYCLE_TABLE[op]!;
      db = op;
      lr = true;
      switch (op) {
        // ------------------------------------------------ loads
        case 0xa9: a = fn = fz = db = rom[o + 1]!; pc = opPc + 2; break; // LDA #
        case 0xa2: x = fn = fz = db = rom[o + 1]!; pc = opPc + 2; break; // LDX #
        case 0xa0: y = fn = fz = db = rom[o + 1]!; pc = opPc + 2; break; // LDY #
        case 0xa5: case 0xa6: case 0xa4: { // LDA/LDX/LDY zp
          const ea = rom[o + 1]!;
          const v = (ea & ramSel) === 0x80 ? ram[ea & 0x7f]! : (dev = true, devRead(cpu, bus, ea, cyc, ea));
          if (op === 0xa5) a = v; else if (op === 0xa6) x = v; else y = v;
          fn = fz = db = v;
          pc = opPc + 2;
          break;
        }
        case 0xb5: case 0xb4: { // LDA/LDY zp,X
          const b = rom[o + 1]!;
          const ea = (b + x) & 0xff;
          const v = (ea & ramSel) === 0x80 ? ram[ea & 0x7f]! : (dev = true, devRead(cpu, bus, ea, cyc, b));
          if (op === 0xb5) a = v; else y = v;
          fn = fz = db = v;
          pc = opPc + 2;
          break;
        }
        case 0xb6: { // LDX zp,Y
          const b = rom[o + 1]!;
          const ea = (b + y) & 0xff;
          x = fn = fz = db = (ea & ramSel) === 0x80 ? ram[ea & 0x7f]! : (dev = true, devRead(cpu, bus, ea, cyc, b));
          pc = opPc + 2;
          break;
        }
        case 0xad: case 0xae: case 0xac: { // LDA/LDX/LDY abs
          const hi = rom[o + 2]!;
          const ea = rom[o + 1]! | (hi << 8);
          let v: number;
          if ((ea & ramSel) === 0x80) v = ram[ea & 0x7f]!;
          else if (((ea & 0x1fff) - wlo) >>> 0 <= wspan) v = rom[ea & 0xfff]!;
          else {
            // INTIM polled by "LDx INTIM; BNE *-3"
            if ((ea & 0x1285) === 0x284 && o + 4 <= whi && rom[o + 3] === 0xd0 && rom[o + 4] === 0xfb) {
              const period = ((opPc + 5) ^ opPc) & 0xff00 ? 8 : 7;
              const k = pollsToSkip(bus, cyc, period, c0, left + 1, cycleLimit);
              if (k > 0) {
                // the registers as the last skipped LDx left them (a quiet read: no effect)
                const v = devRead(cpu, bus, ea, c0 + (k - 1) * period + 4, hi);
                if (op === 0xad) a = v; else if (op === 0xae) x = v; else y = v;
                fn = fz = v;
                pc = opPc;
                cyc = c0 + k * period;
                left += 1 - 2 * k;
                db = 0xfb;
                continue;
              }
            }
            v = devRead(cpu, bus, ea, cyc, hi);
            dev = true;
          }
          if (op === 0xad) a = v; else if (op === 0xae) x = v; else y = v;
          fn = fz = db = v;
          pc = opPc + 3;
          break;
        }
        case 0xbd: case 0xbc: { // LDA/LDY abs,X
          const lo = rom[o + 1]!;
          const hi = rom[o + 2]!;
          const ea = ((lo | (hi << 8)) + x) & 0xffff;
          cyc += (lo + x) >> 8;
          const v = (ea & ramSel) === 0x80 ? ram[ea & 0x7f]! : ((ea & 0x1fff) - wlo) >>> 0 <= wspan ? rom[ea & 0xfff]! : (dev = true, devRead(cpu, bus, ea, cyc, hi));
          if (op === 0xbd) a = v; else y = v;
          fn = fz = db = v;
          pc = opPc + 3;
          break;
        }
        case 0xb9: case 0xbe: { // LDA/LDX abs,Y
          const lo = rom[o + 1]!;
          const hi = rom[o + 2]!;
          const ea = ((lo | (hi << 8)) + y) & 0xffff;
          cyc += (lo + y) >> 8;
          const v = (ea & ramSel) === 0x80 ? ram[ea & 0x7f]! : ((ea & 0x1fff) - wlo) >>> 0 <= wspan ? rom[ea & 0xfff]! : (dev = true, devRead(cpu, bus, ea, cyc, hi));
          if (op === 0xb9) a = v; else x = v;
          fn = fz = db = v;
          pc = opPc + 3;
          break;
        }
        case 0xb1: { // LDA (zp),Y
          const zp = rom[o + 1]!;
          if ((zp & ramSel) !== 0x80 || ((zp + 1) & ramSel) !== 0x80) break fast;
          const lo = ram[zp & 0x7f]!;
          const hi = ram[(zp + 1) & 0x7f]!;
          const ea = ((lo | (hi << 8)) + y) & 0xffff;
          cyc += (lo + y) >> 8;
          a = fn = fz = db = (ea & ramSel) === 0x80 ? ram[ea & 0x7f]! : ((ea & 0x1fff) - wlo) >>> 0 <= wspan ? rom[ea & 0xfff]! : (dev = true, devRead(cpu, bus, ea, cyc, hi));
          pc = opPc + 2;
          break;
        }
        case 0xa1: { // LDA (zp,X)
          const zp = (rom[o + 1]! + x) & 0xff;
          if ((zp & ramSel) !== 0x80 || ((zp + 1) & ramSel) !== 0x80) break fast;
          const hi = ram[(zp + 1) & 0x7f]!;
          const ea = ram[zp & 0x7f]! | (hi << 8);
          a = fn = fz = db = (ea & ramSel) === 0x80 ? ram[ea & 0x7f]! : ((ea & 0x1fff) - wlo) >>> 0 <= wspan ? rom[ea & 0xfff]! : (dev = true, devRead(cpu, bus, ea, cyc, hi));
          pc = opPc + 2;
          break;
        }

        // ------------------------------------------------ stores
        case 0x85: case 0x86: case 0x84: { // STA/STX/STY zp
          const ea = rom[o + 1]!;
          const v = op === 0x85 ? a : op === 0x86 ? x : y;
          if ((ea & ramSel) === 0x80) ram[ea & 0x7f] = v;
          else { dev = true; devWrite(cpu, bus, ea, v, cyc, ea); }
          db = v;
          lr = false;
          pc = opPc + 2;
          break;
        }
        case 0x95: case 0x94: { // STA/STY zp,X
          const b = rom[o + 1]!;
          const ea = (b + x) & 0xff;
          const v = op === 0x95 ? a : y;
          if ((ea & ramSel) === 0x80) ram[ea & 0x7f] = v;
          else { dev = true; devWrite(cpu, bus, ea, v, cyc, b); }
          db = v;
          lr = false;
          pc = opPc + 2;
          break;
        }
        case 0x96: { // STX zp,Y
          const b = rom[o + 1]!;
          const ea = (b + y) & 0xff;
          if ((ea & ramSel) === 0x80) ram[ea & 0x7f] = x;
          else { dev = true; devWrite(cpu, bus, ea, x, cyc, b); }
          db = x;
          lr = false;
          pc = opPc + 2;
          break;
        }
        case 0x8d: case 0x8e: case 0x8c: { // STA/STX/STY abs
          const hi = rom[o + 2]!;
          const ea = rom[o + 1]! | (hi << 8);
          const v = op === 0x8d ? a : op === 0x8e ? x : y;
          if ((ea & ramSel) === 0x80) ram[ea & 0x7f] = v;
          else { dev = true; devWrite(cpu, bus, ea, v, cyc, hi); }
          db = v;
          lr = false;
          pc = opPc + 3;
          break;
        }
        case 0x9d: case 0x99: { // STA abs,X / abs,Y
          const hi = rom[o + 2]!;
          const ea = ((rom[o + 1]! | (hi << 8)) + (op === 0x9d ? x : y)) & 0xffff;
          if ((ea & ramSel) === 0x80) ram[ea & 0x7f] = a;
          else { dev = true; devWrite(cpu, bus, ea, a, cyc, hi); }
          db = a;
          lr = false;
          pc = opPc + 3;
          break;
        }
        case 0x91: { // STA (zp),Y
          const zp = rom[o + 1]!;
          if ((zp & ramSel) !== 0x80 || ((zp + 1) & ramSel) !== 0x80) break fast;
          const hi = ram[(zp + 1) & 0x7f]!;
          const ea = ((ram[zp & 0x7f]! | (hi << 8)) + y) & 0xffff;
          if ((ea & ramSel) === 0x80) ram[ea & 0x7f] = a;
          else { dev = true; devWrite(cpu, bus, ea, a, cyc, hi); }
          db = a;
          lr = false;
          pc = opPc + 2;
          break;
        }
        case 0x81: { // STA (zp,X)
          const zp = (rom[o + 1]! + x) & 0xff;
          if ((zp & ramSel) !== 0x80 || ((zp + 1) & ramSel) !== 0x80) break fast;
          const hi = ram[(zp + 1) & 0x7f]!;
          const ea = ram[zp & 0x7f]! | (hi << 8);
          if ((ea & ramSel) === 0x80) ram[ea & 0x7f] = a;
          else { dev = true; devWrite(cpu, bus, ea, a, cyc, hi); }
          db = a;
          lr = false;
          pc = opPc + 2;
          break;
        }

        // ------------------------------------------------ ALU, compare, BIT
        // The operand `v` by addressing mode, then the operation (`op >> 5`: ORA AND EOR ADC - - CMP SBC).
        case 0x09: case 0x29: case 0x49: case 0x69: case 0xc9: case 0xe9:
        case 0x05: case 0x25: case 0x45: case 0x65: case 0xc5: case 0xe5:
        case 0x15: case 0x35: case 0x55: case 0x75: case 0xd5: case 0xf5:
        case 0x0d: case 0x2d: case 0x4d: case 0x6d: case 0xcd: case 0xed:
        case 0x1d: case 0x3d: case 0x5d: case 0x7d: case 0xdd: case 0xfd:
        case 0x19: case 0x39: case 0x59: case 0x79: case 0xd9: case 0xf9:
        case 0x11: case 0x31: case 0x51: case 0x71: case 0xd1: case 0xf1:
        case 0x01: case 0x21: case 0x41: case 0x61: case 0xc1: case 0xe1: {
          const kind = op >> 5;
          if (fd !== 0 && (kind === 3 || kind === 7)) break fast; // decimal ADC/SBC
          const b = rom[o + 1]!;
          let v: number;
          switch (op & 0x1c) {
            case 0x08: // #
              v = b;
              pc = opPc + 2;
              break;
            case 0x04: // zp
              v = (b & ramSel) === 0x80 ? ram[b & 0x7f]! : (dev = true, devRead(cpu, bus, b, cyc, b));
              pc = opPc + 2;
              break;
            case 0x14: { // zp,X
              const ea = (b + x) & 0xff;
              v = (ea & ramSel) === 0x80 ? ram[ea & 0x7f]! : (dev = true, devRead(cpu, bus, ea, cyc, b));
              pc = opPc + 2;
              break;
            }
            case 0x0c: { // abs
              const hi = rom[o + 2]!;
              const ea = b | (hi << 8);
              v = (ea & ramSel) === 0x80 ? ram[ea & 0x7f]! : ((ea & 0x1fff) - wlo) >>> 0 <= wspan ? rom[ea & 0xfff]! : (dev = true, devRead(cpu, bus, ea, cyc, hi));
              pc = opPc + 3;
              break;
            }
            case 0x1c: case 0x18: { // abs,X / abs,Y
              const hi = rom[o + 2]!;
              const index = op & 0x04 ? x : y;
              const ea = ((b | (hi << 8)) + index) & 0xffff;
              cyc += (b + index) >> 8;
              v = (ea & ramSel) === 0x80 ? ram[ea & 0x7f]! : ((ea & 0x1fff) - wlo) >>> 0 <= wspan ? rom[ea & 0xfff]! : (dev = true, devRead(cpu, bus, ea, cyc, hi));
              pc = opPc + 3;
              break;
            }
            case 0x10: { // (zp),Y
              if ((b & ramSel) !== 0x80 || ((b + 1) & ramSel) !== 0x80) break fast;
              const lo = ram[b & 0x7f]!;
              const hi = ram[(b + 1) & 0x7f]!;
              const ea = ((lo | (hi << 8)) + y) & 0xffff;
              cyc += (lo + y) >> 8;
              v = (ea & ramSel) === 0x80 ? ram[ea & 0x7f]! : ((ea & 0x1fff) - wlo) >>> 0 <= wspan ? rom[ea & 0xfff]! : (dev = true, devRead(cpu, bus, ea, cyc, hi));
              pc = opPc + 2;
              break;
            }
            default: { // (zp,X)
              const zp = (b + x) & 0xff;
              if ((zp & ramSel) !== 0x80 || ((zp + 1) & ramSel) !== 0x80) break fast;
              const hi = ram[(zp + 1) & 0x7f]!;
              const ea = ram[zp & 0x7f]! | (hi << 8);
              v = (ea & ramSel) === 0x80 ? ram[ea & 0x7f]! : ((ea & 0x1fff) - wlo) >>> 0 <= wspan ? rom[ea & 0xfff]! : (dev = true, devRead(cpu, bus, ea, cyc, hi));
              pc = opPc + 2;
              break;
            }
          }
          db = v;
          switch (kind) {
            case 0: fn = fz = a |= v; break;
            case 1: fn = fz = a &= v; break;
            case 2: fn = fz = a ^= v; break;
            case 6: {
              const d = a - v;
              fc = d >= 0 ? 1 : 0;
              fn = fz = d & 0xff;
              break;
            }
            default: { // ADC (3), SBC (7): binary mode
              const w = kind === 3 ? v : v ^ 0xff;
              const sum = a + w + fc;
              const r = sum & 0xff;
              fv = ((a ^ r) & (w ^ r) & 0x80) >> 7;
              fc = sum >> 8;
              fn = fz = a = r;
              break;
            }
          }
          break;
        }
        case 0xe0: case 0xc0: { // CPX/CPY #
          const v = rom[o + 1]!;
          const d = (op === 0xe0 ? x : y) - v;
          fc = d >= 0 ? 1 : 0;
          fn = fz = d & 0xff;
          db = v;
          pc = opPc + 2;
          break;
        }
        case 0xe4: case 0xc4: { // CPX/CPY zp
          const ea = rom[o + 1]!;
          const v = (ea & ramSel) === 0x80 ? ram[ea & 0x7f]! : (dev = true, devRead(cpu, bus, ea, cyc, ea));
          const d = (op === 0xe4 ? x : y) - v;
          fc = d >= 0 ? 1 : 0;
          fn = fz = d & 0xff;
          db = v;
          pc = opPc + 2;
          break;
        }
        case 0xec: case 0xcc: { // CPX/CPY abs
          const hi = rom[o + 2]!;
          const ea = rom[o + 1]! | (hi << 8);
          const v = (ea & ramSel) === 0x80 ? ram[ea & 0x7f]! : ((ea & 0x1fff) - wlo) >>> 0 <= wspan ? rom[ea & 0xfff]! : (dev = true, devRead(cpu, bus, ea, cyc, hi));
          const d = (op === 0xec ? x : y) - v;
          fc = d >= 0 ? 1 : 0;
          fn = fz = d & 0xff;
          db = v;
          pc = opPc + 3;
          break;
        }
        case 0x24: { // BIT zp
          const ea = rom[o + 1]!;
          const v = (ea & ramSel) === 0x80 ? ram[ea & 0x7f]! : (dev = true, devRead(cpu, bus, ea, cyc, ea));
          fz = a & v;
          fn = db = v;
          fv = (v >> 6) & 1;
          pc = opPc + 2;
          break;
        }
        case 0x2c: { // BIT abs
          const hi = rom[o + 2]!;
          const ea = rom[o + 1]! | (hi << 8);
          const v = (ea & ramSel) === 0x80 ? ram[ea & 0x7f]! : ((ea & 0x1fff) - wlo) >>> 0 <= wspan ? rom[ea & 0xfff]! : (dev = true, devRead(cpu, bus, ea, cyc, hi));
          fz = a & v;
          fn = db = v;
          fv = (v >> 6) & 1;
          pc = opPc + 3;
          break;
        }

        // ------------------------------------------------ read-modify-write (RAM only here)
        // `op >> 5`: ASL ROL LSR ROR - - DEC INC; mode from bits 2-4.
        case 0x06: case 0x26: case 0x46: case 0x66: case 0xc6: case 0xe6:
        case 0x16: case 0x36: case 0x56: case 0x76: case 0xd6: case 0xf6:
        case 0x0e: case 0x2e: case 0x4e: case 0x6e: case 0xce: case 0xee:
        case 0x1e: case 0x3e: case 0x5e: case 0x7e: case 0xde: case 0xfe: {
          const b = rom[o + 1]!;
          let ea: number;
          switch (op & 0x18) {
            case 0x00: ea = b; pc = opPc + 2; break; // zp
            case 0x10: ea = (b + x) & 0xff; pc = opPc + 2; break; // zp,X
            case 0x08: ea = b | (rom[o + 2]! << 8); pc = opPc + 3; break; // abs
            default: ea = ((b | (rom[o + 2]! << 8)) + x) & 0xffff; pc = opPc + 3; break; // abs,X
          }
          if ((ea & ramSel) !== 0x80) break fast;
          const v = ram[ea & 0x7f]!;
          let r: number;
          switch (op >> 5) {
            case 0: r = (v << 1) & 0xff; fc = v >> 7; break;
            case 1: r = ((v << 1) | fc) & 0xff; fc = v >> 7; break;
            case 2: r = v >> 1; fc = v & 1; break;
            case 3: r = (v >> 1) | (fc << 7); fc = v & 1; break;
            case 6: r = (v - 1) & 0xff; break;
            default: r = (v + 1) & 0xff; break;
          }
          ram[ea & 0x7f] = r;
          fn = fz = db = r;
          lr = false;
          break;
        }

        // ------------------------------------------------ branches
        case 0xd0: case 0xf0: case 0x10: case 0x30: case 0x90: case 0xb0: case 0x50: case 0x70: {
          const off = rom[o + 1]!;
          db = off;
          pc = opPc + 2;
          let taken: boolean;
          switch (op) {
            case 0xd0: taken = fz !== 0; break;
            case 0xf0: taken = fz === 0; break;
            case 0x10: taken = (fn & 0x80) === 0; break;
            case 0x30: taken = (fn & 0x80) !== 0; break;
            case 0x90: taken = fc === 0; break;
            case 0xb0: taken = fc !== 0; break;
            case 0x50: taken = fv === 0; break;
            default: taken = fv !== 0; break;
          }
          if (taken) {
            const t = (pc + ((off ^ 0x80) - 0x80)) & 0xffff;
            cyc += ((pc ^ t) & 0xff00) !== 0 ? 2 : 1;
            pc = t;
          }
          break;
        }

        // ------------------------------------------------ jumps and the stack
        case 0x4c: { // JMP abs
          const hi = rom[o + 2]!;
          pc = rom[o + 1]! | (hi << 8);
          db = hi;
          break;
        }
        case 0x20: { // JSR: dummy read at SP, push PC+2 (high, low), then the high address byte
          const s1 = (sp - 1) & 0xff;
          if ((sp & ramSel) !== 0x80 || (s1 & ramSel) !== 0x80) break fast;
          const ret = opPc + 2;
          ram[sp & 0x7f] = ret >> 8;
          ram[s1 & 0x7f] = ret & 0xff;
          sp = (sp - 2) & 0xff;
          const hi = rom[o + 2]!;
          pc = rom[o + 1]! | (hi << 8);
          db = hi;
          break;
        }
        case 0x60: { // RTS: dummy read at SP, pull low and high, dummy read at the address, step past it
          const s1 = (sp + 1) & 0xff;
          const s2 = (sp + 2) & 0xff;
          if ((sp & ramSel) !== 0x80 || (s1 & ramSel) !== 0x80 || (s2 & ramSel) !== 0x80) break fast;
          const hi = ram[s2 & 0x7f]!;
          const ret = ram[s1 & 0x7f]! | (hi << 8);
          sp = s2;
          db = (ret & ramSel) === 0x80 ? ram[ret & 0x7f]! : ((ret & 0x1fff) - wlo) >>> 0 <= wspan ? rom[ret & 0xfff]! : (dev = true, devRead(cpu, bus, ret, cyc, hi));
          pc = (ret + 1) & 0xffff;
          break;
        }
        case 0x48: case 0x08: { // PHA, PHP
          const v = op === 0x48 ? a : (fn & 0x80) | (fv << 6) | 0x30 | (fd << 3) | (fi << 2) | (fz === 0 ? 0x02 : 0) | fc;
          if ((sp & ramSel) === 0x80) ram[sp & 0x7f] = v;
          else { dev = true; devWrite(cpu, bus, 0x100 + sp, v, cyc, op); }
          sp = (sp - 1) & 0xff;
          db = v;
          lr = false;
          pc = opPc + 1;
          break;
        }
        case 0x68: case 0x28: { // PLA, PLP: dummy read at SP, then the byte at SP + 1
          const s1 = (sp + 1) & 0xff;
          if ((sp & ramSel) !== 0x80 || (s1 & ramSel) !== 0x80) break fast;
          const v = ram[s1 & 0x7f]!;
          sp = s1;
          db = v;
          if (op === 0x68) {
            a = fn = fz = v;
          } else {
            fn = v & 0x80;
            fv = (v >> 6) & 1;
            fd = (v >> 3) & 1;
            fi = (v >> 2) & 1;
            fz = v & 0x02 ? 0 : 1;
            fc = v & 1;
          }
          pc = opPc + 1;
          break;
        }

        // ------------------------------------------------ implied (only the opcode is read)
        case 0xca: fn = fz = x = (x - 1) & 0xff; pc = opPc + 1; break; // DEX
        case 0x88: fn = fz = y = (y - 1) & 0xff; pc = opPc + 1; break; // DEY
        case 0xe8: fn = fz = x = (x + 1) & 0xff; pc = opPc + 1; break; // INX
        case 0xc8: fn = fz = y = (y + 1) & 0xff; pc = opPc + 1; break; // INY
        case 0xaa: fn = fz = x = a; pc = opPc + 1; break; // TAX
        case 0xa8: fn = fz = y = a; pc = opPc + 1; break; // TAY
        case 0x8a: fn = fz = a = x; pc = opPc + 1; break; // TXA
        case 0x98: fn = fz = a = y; pc = opPc + 1; break; // TYA
        case 0xba: fn = fz = x = sp; pc = opPc + 1; break; // TSX
        case 0x9a: sp = x; pc = opPc + 1; break; // TXS
        case 0x18: fc = 0; pc = opPc + 1; break; // CLC
        case 0x38: fc = 1; pc = opPc + 1; break; // SEC
        case 0x58: fi = 0; pc = opPc + 1; break; // CLI
        case 0x78: fi = 1; pc = opPc + 1; break; // SEI
        case 0xd8: fd = 0; pc = opPc + 1; break; // CLD
        case 0xf8: fd = 1; pc = opPc + 1; break; // SED
        case 0xb8: fv = 0; pc = opPc + 1; break; // CLV
        case 0xea: pc = opPc + 1; break; // NOP
        case 0x0a: fc = a >> 7; fn = fz = a = (a << 1) & 0xff; pc = opPc + 1; break; // ASL A
        case 0x4a: fc = a & 1; fn = fz = a = a >> 1; pc = opPc + 1; break; // LSR A
        case 0x2a: { // ROL A
          const r = ((a << 1) | fc) & 0xff;
          fc = a >> 7;
          fn = fz = a = r;
          pc = opPc + 1;
          break;
        }
        case 0x6a: { // ROR A
          const r = (a >> 1) | (fc << 7);
          fc = a & 1;
          fn = fz = a = r;
          pc = opPc + 1;
          break;
        }

        default:
          break fast;
      }
      if (dev) {
        // a device saw this instruction's last access: WSYNC, bank switches, stop()
        dev = false;
        cyc = cpu.cycles;
        if (windowStale) {
          windowStale = false;
          rom = bus.cartWindow();
        }
        if (cpu.stopRequested) {
          reason = 'stopped';
          break main;
        }
      }
      continue;
    }

    // The reference implementation runs this instruction, from the state at its start.
    cpu.a = a;
    cpu.x = x;
    cpu.y = y;
    cpu.sp = sp;
    cpu.pc = opPc;
    cpu.cycles = c0;
    cpu.setP((fn & 0x80) | (fv << 6) | (fd << 3) | (fi << 2) | (fz === 0 ? 0x02 : 0) | fc);
    bus.dataBus = db;
    bus.lastAccessWasRead = lr;
    cpu.step();
    a = cpu.a;
    x = cpu.x;
    y = cpu.y;
    sp = cpu.sp;
    pc = cpu.pc;
    cyc = cpu.cycles;
    p = cpu.getP();
    fn = p & 0x80;
    fz = p & 0x02 ? 0 : 1;
    fc = p & 1;
    fv = (p >> 6) & 1;
    fd = (p >> 3) & 1;
    fi = (p >> 2) & 1;
    db = bus.dataBus;
    lr = bus.lastAccessWasRead;
    rom = bus.cartWindow();
    windowStale = false;
    if (cpu.stopRequested) {
      reason = 'stopped';
      break;
    }
    if (cpu.jammed) {
      reason = 'jammed';
      break;
    }
  }

  cpu.a = a;
  cpu.x = x;
  cpu.y = y;
  cpu.sp = sp;
  cpu.pc = pc;
  cpu.cycles = cyc;
  cpu.setP((fn & 0x80) | (fv << 6) | (fd << 3) | (fi << 2) | (fz === 0 ? 0x02 : 0) | fc);
  bus.dataBus = db;
  bus.lastAccessWasRead = lr;
  return reason;
}
