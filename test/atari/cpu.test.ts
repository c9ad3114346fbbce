import { expect } from 'chai';
import { Cpu6502, CYCLE_TABLE, FULL_ADDRESS_MASK, JAM_OPCODES } from '../../src/atari/cpu.js';
import { FlatBus, Rng, exec, hex, machine, type Access, type Regs } from './cpu-bus.js';
import { OPCODES, length, spec, type OpSpec } from './cpu-spec.js';

const N = 0x80, V = 0x40, U = 0x20, B = 0x10, D = 0x08, I = 0x04, Z = 0x02, C = 0x01;

/** Whether a branch is taken under status byte p. */
function branchTaken(name: string, p: number): boolean {
  const flag = { BPL: N, BMI: N, BVC: V, BVS: V, BCC: C, BCS: C, BNE: Z, BEQ: Z }[name];
  if (flag === undefined) throw new Error(name);
  return ['BMI', 'BVS', 'BCS', 'BEQ'].includes(name) === ((p & flag) !== 0);
}

/** N and Z as an 8-bit result sets them. */
function nz(v: number): number {
  return (v & 0x80) | (v === 0 ? Z : 0);
}

describe('Cpu6502: reset and status byte', () => {
  it('reset clears A, X, Y and the flags, sets SP to $FF and reads the vector at $FFFC/$FFFD through the bus', () => {
    const { cpu, bus } = machine();
    bus.load(0xfffc, [0x34, 0xf2]);
    cpu.a = 1; cpu.x = 2; cpu.y = 3; cpu.sp = 4; cpu.setP(0xff); cpu.cycles = 99;
    bus.startLog();
    cpu.reset();
    expect([cpu.a, cpu.x, cpu.y, cpu.sp, cpu.pc]).to.deep.equal([0, 0, 0, 0xff, 0xf234]);
    // ALE's core: P = $20 with B forced on; I is NOT set (unlike the silicon).
    expect(cpu.getP()).to.equal(0x30);
    expect(bus.log.map((a) => [a.kind, a.addr])).to.deep.equal([['r', 0x1ffc], ['r', 0x1ffd]]);
    expect(cpu.cycles, 'reset leaves the counter to the machine').to.equal(99);
  });

  it('reset is deterministic (no randomisation) and clears a jam', () => {
    const { cpu, bus } = machine();
    bus.load(0xfffc, [0x00, 0xf0]);
    bus.load(0xf000, [0x02]);
    cpu.reset();
    cpu.step();
    expect(cpu.jammed).to.equal(true);
    cpu.reset();
    expect(cpu.jammed).to.equal(false);
    expect(cpu.jamError).to.equal(null);
    expect(cpu.saveState()).to.deep.include({ a: 0, x: 0, y: 0, sp: 0xff, pc: 0xf000, p: 0x30 });
  });

  it('getP/setP round-trip every status byte with B and bit 5 reading 1', () => {
    const { cpu } = machine();
    for (let p = 0; p < 256; p++) {
      cpu.setP(p);
      expect(cpu.getP()).to.equal(p | 0x30);
    }
  });

  it('saveState/loadState restore registers, flags, cycles and a jam', () => {
    const { cpu, bus } = machine();
    Object.assign(cpu, { a: 0x12, x: 0x34, y: 0x56, sp: 0x78, pc: 0x9abc, cycles: 1234 });
    cpu.setP(0xc3);
    const s = cpu.saveState();
    const other = new Cpu6502(bus);
    other.loadState(s);
    expect(other.saveState()).to.deep.equal(s);
    bus.load(0xf000, [0x12]);
    exec(cpu, bus, [0x12]);
    const j = cpu.saveState();
    other.loadState(j);
    expect(other.jammed).to.equal(true);
    expect(other.jamError?.pc).to.equal(0xf000);
    expect(other.jamError?.opcode).to.equal(0x12);
  });
});

describe('Cpu6502: opcode map and base cycles', () => {
  it('exports the ALE cycle table (documented NMOS counts; $A7 LAX zp is 4 in ALE)', () => {
    for (const s of OPCODES) expect(CYCLE_TABLE[s.op], `${hex(s.op)} ${s.name}`).to.equal(s.cycles);
    expect(CYCLE_TABLE[0xa7]).to.equal(4);
  });

  it('implements every opcode except the 12 jam opcodes', () => {
    const jams: number[] = [];
    for (let op = 0; op < 256; op++) {
      const { cpu, bus } = machine();
      exec(cpu, bus, [op, 0, 0]);
      if (cpu.jammed) jams.push(op);
    }
    expect(jams).to.deep.equal(OPCODES.filter((s) => s.mode === 'jam').map((s) => s.op));
    expect(jams).to.deep.equal([...JAM_OPCODES]);
  });

  it('every opcode takes its base cycles when nothing crosses a page and no branch is taken', () => {
    for (const s of OPCODES) {
      for (const p of [0x00, 0xff]) {
        const { cpu, bus } = machine();
        // All-zero memory: every address and pointer is $0000, indexes are 0.
        const cycles = exec(cpu, bus, [s.op, 0, 0], { a: 0, x: 0, y: 0, sp: 0xff, p });
        if (s.mode === 'rel') {
          // Offset 0: a taken branch lands on the next instruction but costs one cycle more.
          expect(cycles, `${hex(s.op)} ${s.name} p=${hex(p)}`).to.equal(branchTaken(s.name, p) ? 3 : 2);
        } else {
          expect(cycles, `${hex(s.op)} ${s.name}`).to.equal(s.cycles);
        }
      }
    }
  });

  it('PC advances by the instruction length for every straight-line opcode', () => {
    for (const s of OPCODES) {
      if (s.mode === 'rel' || s.mode === 'jam' || ['JMP', 'JSR', 'RTS', 'RTI', 'BRK'].includes(s.name)) continue;
      const { cpu, bus } = machine();
      exec(cpu, bus, [s.op, 0, 0], { sp: 0xff });
      expect(cpu.pc, `${hex(s.op)} ${s.name}`).to.equal(0xf000 + length(s.mode));
    }
  });
});

/** The effective address an instruction must use, computed from the spec of the mode. */
function effectiveAddress(s: OpSpec, bus: FlatBus, pc: number, x: number, y: number): { ea: number; crossed: boolean } {
  const b1 = bus.mem[(pc + 1) & 0x1fff]!;
  const b2 = bus.mem[(pc + 2) & 0x1fff]!;
  const word = b1 | (b2 << 8);
  const at = (a: number): number => bus.mem[a & 0x1fff]!;
  switch (s.mode) {
    case 'imm': return { ea: (pc + 1) & 0xffff, crossed: false };
    case 'zp': return { ea: b1, crossed: false };
    case 'zpx': return { ea: (b1 + x) & 0xff, crossed: false };
    case 'zpy': return { ea: (b1 + y) & 0xff, crossed: false };
    case 'abs': return { ea: word, crossed: false };
    case 'abx': {
      const ea = (word + x) & 0xffff;
      return { ea, crossed: (ea >> 8) !== (word >> 8) };
    }
    case 'aby': {
      const ea = (word + y) & 0xffff;
      return { ea, crossed: (ea >> 8) !== (word >> 8) };
    }
    case 'izx': {
      const ptr = (b1 + x) & 0xff;
      // ALE reads the pointer's second byte at ptr + 1 without wrapping.
      return { ea: at(ptr) | (at(ptr + 1) << 8), crossed: false };
    }
    case 'izy': {
      const base = at(b1) | (at(b1 + 1) << 8);
      const ea = (base + y) & 0xffff;
      return { ea, crossed: (ea >> 8) !== (base >> 8) };
    }
    default: throw new Error(`no memory operand for mode ${s.mode}`);
  }
}

describe('Cpu6502: addressing modes of every memory instruction', () => {
  const withOperand = OPCODES.filter((s) => s.kind !== 'other');

  it(`computes the effective address, accesses it as a read, write or read-modify-write, and counts page crossings (${withOperand.length} opcodes x 300 random cases)`, () => {
    const rng = new Rng(0x6502);
    const { cpu, bus } = machine();
    for (let i = 0; i < 0x2000; i += 1) bus.mem[i] = rng.byte();
    for (const s of withOperand) {
      for (let trial = 0; trial < 300; trial++) {
        // Fresh pointers in pages 0 and 1 for every case.
        for (let i = 0; i <= 0x100; i += 1) bus.mem[i] = rng.byte();
        // Code somewhere with random upper address bits (the CPU must mask them).
        const pc = ((rng.int(8) << 13) | 0x1000 | rng.int(0xff0)) & 0xffff;
        const x = rng.byte(), y = rng.byte();
        bus.load(pc, [s.op, rng.byte(), rng.byte()]);
        const { ea, crossed } = effectiveAddress(s, bus, pc, x, y);
        const start = cpu.cycles = rng.int(1000);
        bus.startLog();
        const cycles = exec(cpu, bus, [s.op], { x, y, sp: 0xf0 }, pc);
        const expectedCycles = s.cycles + (s.kind === 'read' && crossed ? 1 : 0);
        const log = bus.log;
        const last = log[log.length - 1]!;
        const prev = log[log.length - 2]!;
        const writes = bus.writes().length;
        const target = ea & 0x1fff;
        const problems: string[] = [];
        if (cycles !== expectedCycles) problems.push(`cycles ${cycles}, expected ${expectedCycles}`);
        if (s.kind === 'read' && (writes !== 0 || last.kind !== 'r' || last.addr !== target)) {
          problems.push(`expected a final read of ${hex(target, 4)} and no write`);
        }
        if (s.kind === 'write' && (writes !== 1 || last.kind !== 'w' || last.addr !== target)) {
          problems.push(`expected one write, to ${hex(target, 4)}`);
        }
        if (s.kind === 'rmw' && (writes !== 1 || prev.kind !== 'r' || prev.addr !== target ||
            last.kind !== 'w' || last.addr !== target)) {
          problems.push(`expected a read then a single write of ${hex(target, 4)}`);
        }
        // Low fidelity: everything after the opcode fetch sees the whole count.
        if (log[0]!.cycles !== start || last.cycles !== start + expectedCycles) problems.push('cycle stamps');
        if (cpu.pc !== ((pc + length(s.mode)) & 0xffff)) problems.push(`pc ${hex(cpu.pc, 4)}`);
        if (problems.length) {
          expect.fail(`${hex(s.op)} ${s.name} ${s.mode} pc=${hex(pc, 4)} x=${hex(x)} y=${hex(y)}: ${problems.join('; ')}\n` +
            log.map((a) => `${a.kind} ${hex(a.addr, 4)}=${hex(a.value)} @${a.cycles}`).join('\n'));
        }
      }
    }
  });

  it('wraps zero-page indexing within page 0', () => {
    const { cpu, bus } = machine();
    bus.mem[0x0010] = 0x42;
    bus.mem[0x0110] = 0x99;
    exec(cpu, bus, [0xb5, 0xf0], { x: 0x20 }); // LDA $F0,X
    expect(cpu.a).to.equal(0x42);
    exec(cpu, bus, [0xb6, 0xff], { y: 0x11 }); // LDX $FF,Y
    expect(cpu.x).to.equal(0x42);
    exec(cpu, bus, [0x96, 0xfe], { x: 0x77, y: 0x03 }); // STX $FE,Y
    expect(bus.mem[0x0001]).to.equal(0x77);
    expect(bus.mem[0x0101]).to.equal(0x00);
  });

  it('(zp,X) wraps the pointer address in page 0', () => {
    const { cpu, bus } = machine();
    bus.load(0x0000, [0x34, 0x12]);
    bus.mem[0x1234] = 0x5a;
    exec(cpu, bus, [0xa1, 0xf0], { x: 0x10 }); // LDA ($F0,X) -> pointer at $00
    expect(cpu.a).to.equal(0x5a);
  });

  it('ALE quirk: a pointer at $FF takes its high byte from $0100, not $0000, for (zp,X) and (zp),Y', () => {
    const { cpu, bus } = machine();
    bus.mem[0x00ff] = 0x80;
    bus.mem[0x0000] = 0x11;
    bus.mem[0x0100] = 0x12;
    bus.mem[0x1180] = 0xaa;
    bus.mem[0x1280] = 0xbb;
    exec(cpu, bus, [0xa1, 0xfe], { x: 0x01 }); // LDA ($FE,X)
    expect(cpu.a).to.equal(0xbb);
    exec(cpu, bus, [0xb1, 0xff], { y: 0x00 }); // LDA ($FF),Y
    expect(cpu.a).to.equal(0xbb);
  });

  it('masks every bus address to 13 bits but keeps 16-bit address arithmetic', () => {
    const { cpu, bus } = machine();
    bus.mem[0x1234] = 0x77;
    exec(cpu, bus, [0xad, 0x34, 0xf2]); // LDA $F234 -> $1234
    expect(cpu.a).to.equal(0x77);
    bus.mem[0x0000] = 0x66;
    const cycles = exec(cpu, bus, [0xbd, 0xff, 0xff], { x: 1 }); // LDA $FFFF,X -> $0000, crosses a page
    expect(cpu.a).to.equal(0x66);
    expect(cycles).to.equal(5);
  });
});

describe('Cpu6502: order of bus accesses (visible through the floating data bus)', () => {
  /**
   * ALE's TIA answers a read with its driven bits OR'ed with the low 6 bits of
   * the last byte that crossed the data bus. This bus models that for two
   * mirrors of a collision register ($0030 and $0C30, no collision set), so
   * the value read shows which access came just before the operand read.
   */
  class FloatingBus extends FlatBus {
    last = 0;
    override peek(addr: number): number {
      const value = addr === 0x0030 || addr === 0x0c30 ? this.last & 0x3f : super.peek(addr);
      this.last = value;
      return value;
    }
    override poke(addr: number, value: number): void {
      super.poke(addr, value);
      this.last = value;
    }
  }

  it('fetches address words and pointers low byte first, as the compiled ALE does', () => {
    // Values measured in ale-py 0.12.1 with the oracle ROM (see cpu-ale.test.ts).
    const cases: Array<[number[], Regs, number]> = [
      [[0xad, 0x30, 0x0c], {}, 0x0c], // LDA $0C30: high operand byte last
      [[0xbd, 0x2f, 0x0c], { x: 1 }, 0x0c], // LDA $0C2F,X
      [[0xbd, 0xff, 0x0b], { x: 0x31 }, 0x0b], // LDA $0BFF,X (crosses a page)
      [[0xb1, 0xa0], { y: 0 }, 0x0c], // LDA ($A0),Y with $A0 = $0C30
      [[0xa1, 0xa0], { x: 0 }, 0x0c], // LDA ($A0,X)
      [[0xa5, 0x30], {}, 0x30], // LDA $30: the address byte
      [[0xb5, 0x25], { x: 0x0b }, 0x25], // LDA $25,X: no dummy read of $25 + X
    ];
    for (const [code, regs, expected] of cases) {
      const bus = new FloatingBus();
      const cpu = new Cpu6502(bus);
      bus.load(0x00a0, [0x30, 0x0c]);
      exec(cpu, bus, code, regs);
      expect(cpu.a, code.map((b) => hex(b)).join(' ')).to.equal(expected);
    }
  });
});

describe('Cpu6502: page crossing and cycle timing', () => {
  it('adds one cycle to indexed reads that cross a page, none to writes and read-modify-writes', () => {
    const { cpu, bus } = machine();
    expect(exec(cpu, bus, [0xbd, 0x00, 0x10], { x: 0xff })).to.equal(4); // LDA $1000,X same page
    expect(exec(cpu, bus, [0xbd, 0x01, 0x10], { x: 0xff })).to.equal(5); // LDA $1001,X -> $1100
    expect(exec(cpu, bus, [0xb9, 0x80, 0x10], { y: 0x80 })).to.equal(5); // LDA $1080,Y -> $1100
    expect(exec(cpu, bus, [0xbe, 0x80, 0x10], { y: 0x7f })).to.equal(4); // LDX $1080,Y -> $10FF
    expect(exec(cpu, bus, [0xbc, 0xf0, 0x10], { x: 0x10 })).to.equal(5); // LDY $10F0,X
    expect(exec(cpu, bus, [0x9d, 0xf0, 0x10], { x: 0x10 })).to.equal(5); // STA abs,X: always 5
    expect(exec(cpu, bus, [0x9d, 0x00, 0x10], { x: 0x10 })).to.equal(5);
    expect(exec(cpu, bus, [0x1e, 0xf0, 0x10], { x: 0x10 })).to.equal(7); // ASL abs,X: always 7
    bus.load(0x0080, [0xf0, 0x10]);
    expect(exec(cpu, bus, [0xb1, 0x80], { y: 0x0f })).to.equal(5); // LDA ($80),Y -> $10FF
    expect(exec(cpu, bus, [0xb1, 0x80], { y: 0x10 })).to.equal(6); // -> $1100
    expect(exec(cpu, bus, [0x91, 0x80], { y: 0x10 })).to.equal(6); // STA ($80),Y: always 6
  });

  it('adds the page-crossing cycle before the operand is read', () => {
    const { cpu, bus } = machine();
    cpu.cycles = 100;
    bus.startLog();
    exec(cpu, bus, [0xbd, 0xff, 0x10], { x: 1 });
    expect(bus.log.map((a: Access) => [a.addr, a.cycles])).to.deep.equal([
      [0x1000, 100], [0x1001, 104], [0x1002, 104], [0x1100, 105],
    ]);
  });

  it('shows devices the full instruction count during its accesses (a store to WSYNC sees +3)', () => {
    const { cpu, bus } = machine();
    cpu.cycles = 40;
    bus.startLog();
    exec(cpu, bus, [0x85, 0x02], { a: 0 }); // STA WSYNC
    expect(bus.log.map((a: Access) => [a.kind, a.addr, a.cycles])).to.deep.equal([
      ['r', 0x1000, 40], ['r', 0x1001, 43], ['w', 0x0002, 43],
    ]);
  });

  it('lets the bus add cycles during an access (WSYNC stall) and counts them in step()', () => {
    const { cpu, bus } = machine();
    bus.onPoke = (addr) => {
      if (addr === 0x02) cpu.cycles += 76 - (cpu.cycles % 76); // stall to the end of the line
    };
    cpu.cycles = 10;
    expect(exec(cpu, bus, [0x85, 0x02])).to.equal(76 - 10);
    expect(cpu.cycles).to.equal(76);
    expect(exec(cpu, bus, [0xea])).to.equal(2);
  });

  it('branches: +1 cycle when taken, +2 when the target is on another page', () => {
    const branches: Array<[number, number, number]> = [
      // opcode, flags that make it taken, flags that make it not taken
      [0x10, 0x00, N], [0x30, N, 0x00], [0x50, 0x00, V], [0x70, V, 0x00],
      [0x90, 0x00, C], [0xb0, C, 0x00], [0xd0, 0x00, Z], [0xf0, Z, 0x00],
    ];
    for (const [op, taken, notTaken] of branches) {
      const { cpu, bus } = machine();
      const label = hex(op);
      expect(exec(cpu, bus, [op, 0x10], { p: notTaken }, 0xf080), label).to.equal(2);
      expect(cpu.pc, label).to.equal(0xf082);
      expect(exec(cpu, bus, [op, 0x10], { p: taken }, 0xf080), label).to.equal(3);
      expect(cpu.pc, label).to.equal(0xf092);
      expect(exec(cpu, bus, [op, 0xfe], { p: taken }, 0xf080), label).to.equal(3); // to itself
      expect(cpu.pc, label).to.equal(0xf080);
      expect(exec(cpu, bus, [op, 0x7f], { p: taken }, 0xf0f0), label).to.equal(4); // forward cross
      expect(cpu.pc, label).to.equal(0xf171);
      expect(exec(cpu, bus, [op, 0x80], { p: taken }, 0xf010), label).to.equal(4); // backward cross
      expect(cpu.pc, label).to.equal(0xef92);
      // The page is that of the address after the branch: a branch in the last
      // two bytes of a page with offset 0 lands on the next page without a penalty.
      expect(exec(cpu, bus, [op, 0x00], { p: taken }, 0xf0fe), label).to.equal(3);
      expect(cpu.pc, label).to.equal(0xf100);
    }
  });

  it('PC wraps from $FFFF to $0000', () => {
    const { cpu, bus } = machine();
    exec(cpu, bus, [0xea], {}, 0xffff);
    expect(cpu.pc).to.equal(0x0000);
    exec(cpu, bus, [0xd0, 0x10], { p: 0 }, 0xfff0); // BNE +$10 from $FFF2
    expect(cpu.pc).to.equal(0x0002);
  });
});

describe('Cpu6502: loads, stores, transfers, increments', () => {
  it('LDA/LDX/LDY set N and Z and leave C, V, D, I alone', () => {
    for (const [op, reg] of [[0xa9, 'a'], [0xa2, 'x'], [0xa0, 'y']] as const) {
      for (const v of [0x00, 0x01, 0x7f, 0x80, 0xff]) {
        for (const p of [0x00, C | V | D | I]) {
          const { cpu, bus } = machine();
          exec(cpu, bus, [op, v], { p });
          expect(cpu[reg]).to.equal(v);
          expect(cpu.getP()).to.equal(U | B | p | nz(v));
        }
      }
    }
  });

  it('STA/STX/STY store without touching the flags', () => {
    const { cpu, bus } = machine();
    exec(cpu, bus, [0x85, 0x80], { a: 0x00, p: N });
    expect(bus.mem[0x80]).to.equal(0);
    expect(cpu.getP()).to.equal(U | B | N);
    exec(cpu, bus, [0x8e, 0x34, 0x12], { x: 0x81, p: Z });
    expect(bus.mem[0x1234]).to.equal(0x81);
    expect(cpu.getP()).to.equal(U | B | Z);
    exec(cpu, bus, [0x94, 0x10], { x: 0x05, y: 0x99, p: 0 });
    expect(bus.mem[0x15]).to.equal(0x99);
    expect(cpu.getP()).to.equal(U | B);
  });

  it('TAX/TAY/TXA/TYA/TSX set N and Z; TXS sets no flag', () => {
    const cases: Array<[number, Regs, 'a' | 'x' | 'y' | 'sp', number]> = [
      [0xaa, { a: 0x80, x: 1 }, 'x', 0x80], [0xa8, { a: 0x00, y: 1 }, 'y', 0x00],
      [0x8a, { x: 0x7f, a: 0 }, 'a', 0x7f], [0x98, { y: 0xff, a: 0 }, 'a', 0xff],
      [0xba, { sp: 0x00, x: 5 }, 'x', 0x00],
    ];
    for (const [op, regs, reg, v] of cases) {
      const { cpu, bus } = machine();
      exec(cpu, bus, [op], { ...regs, p: C });
      expect(cpu[reg], hex(op)).to.equal(v);
      expect(cpu.getP(), hex(op)).to.equal(U | B | C | nz(v));
    }
    const { cpu, bus } = machine();
    exec(cpu, bus, [0x9a], { x: 0x00, p: N });
    expect(cpu.sp).to.equal(0);
    expect(cpu.getP()).to.equal(U | B | N);
  });

  it('INX/INY/DEX/DEY and INC/DEC memory wrap and set N and Z, for every value', () => {
    for (let v = 0; v < 256; v++) {
      const { cpu, bus } = machine();
      exec(cpu, bus, [0xe8], { x: v, p: C | V });
      expect(cpu.x).to.equal((v + 1) & 0xff);
      expect(cpu.getP()).to.equal(U | B | C | V | nz((v + 1) & 0xff));
      exec(cpu, bus, [0xc8], { y: v, p: 0 });
      expect(cpu.y).to.equal((v + 1) & 0xff);
      exec(cpu, bus, [0xca], { x: v, p: 0 });
      expect(cpu.x).to.equal((v - 1) & 0xff);
      expect(cpu.getP()).to.equal(U | B | nz((v - 1) & 0xff));
      exec(cpu, bus, [0x88], { y: v, p: 0 });
      expect(cpu.y).to.equal((v - 1) & 0xff);
      bus.mem[0x90] = v;
      exec(cpu, bus, [0xe6, 0x90], { p: 0 });
      expect(bus.mem[0x90]).to.equal((v + 1) & 0xff);
      expect(cpu.getP()).to.equal(U | B | nz((v + 1) & 0xff));
      bus.mem[0x90] = v;
      exec(cpu, bus, [0xc6, 0x90], { p: 0 });
      expect(bus.mem[0x90]).to.equal((v - 1) & 0xff);
      expect(cpu.getP()).to.equal(U | B | nz((v - 1) & 0xff));
    }
  });

  it('flag instructions change exactly their flag', () => {
    const cases: Array<[number, number, boolean]> = [
      [0x18, C, false], [0x38, C, true], [0x58, I, false], [0x78, I, true],
      [0xb8, V, false], [0xd8, D, false], [0xf8, D, true],
    ];
    for (const [op, flag, set] of cases) {
      for (const p of [0x00, 0xff]) {
        const { cpu, bus } = machine();
        exec(cpu, bus, [op], { p });
        expect(cpu.getP(), hex(op)).to.equal((set ? p | flag : p & ~flag) | U | B);
      }
    }
  });
});

describe('Cpu6502: logic, shifts, compares, binary arithmetic (exhaustive)', () => {
  const { cpu, bus } = machine();

  it('AND/ORA/EOR for every A and operand', () => {
    const ops: Array<[number, (a: number, m: number) => number]> = [
      [0x29, (a, m) => a & m], [0x09, (a, m) => a | m], [0x49, (a, m) => a ^ m],
    ];
    for (const [op, f] of ops) {
      for (let a = 0; a < 256; a++) {
        for (let m = 0; m < 256; m++) {
          exec(cpu, bus, [op, m], { a, p: C | V | D | I });
          const r = f(a, m);
          if (cpu.a !== r || cpu.getP() !== (U | B | C | V | D | I | nz(r))) {
            expect.fail(`${hex(op)} a=${hex(a)} m=${hex(m)}: got a=${hex(cpu.a)} p=${hex(cpu.getP())}`);
          }
        }
      }
    }
  });

  it('BIT for every A and operand: Z from A AND M, N and V from M, A unchanged', () => {
    for (let a = 0; a < 256; a++) {
      for (let m = 0; m < 256; m++) {
        bus.mem[0x42] = m;
        exec(cpu, bus, [0x24, 0x42], { a, p: C | D });
        const p = U | B | C | D | (m & 0xc0) | ((a & m) === 0 ? Z : 0);
        if (cpu.a !== a || cpu.getP() !== p) expect.fail(`BIT a=${hex(a)} m=${hex(m)}: p=${hex(cpu.getP())}`);
      }
    }
    exec(cpu, bus, [0x2c, 0x42, 0x00], { a: 0, p: 0 });
    expect(cpu.getP()).to.equal(U | B | Z | (bus.mem[0x42]! & 0xc0));
  });

  it('CMP/CPX/CPY for every register value and operand: C = reg >= M, N and Z from reg - M', () => {
    for (const [op, reg] of [[0xc9, 'a'], [0xe0, 'x'], [0xc0, 'y']] as const) {
      for (let r = 0; r < 256; r++) {
        for (let m = 0; m < 256; m++) {
          exec(cpu, bus, [op, m], { [reg]: r, p: V | D });
          const p = U | B | V | D | (r >= m ? C : 0) | nz((r - m) & 0xff);
          if (cpu[reg] !== r || cpu.getP() !== p) expect.fail(`${hex(op)} r=${hex(r)} m=${hex(m)}: p=${hex(cpu.getP())}`);
        }
      }
    }
  });

  it('ASL/LSR/ROL/ROR on A and on memory for every value and carry, with one write', () => {
    const ops: Array<[number, number, (v: number, c: number) => [number, number]]> = [
      [0x0a, 0x06, (v) => [(v << 1) & 0xff, v >> 7]],
      [0x4a, 0x46, (v) => [v >> 1, v & 1]],
      [0x2a, 0x26, (v, c) => [((v << 1) | c) & 0xff, v >> 7]],
      [0x6a, 0x66, (v, c) => [(v >> 1) | (c << 7), v & 1]],
    ];
    for (const [accOp, memOp, f] of ops) {
      for (let v = 0; v < 256; v++) {
        for (const c of [0, 1]) {
          const [r, rc] = f(v, c);
          const p = U | B | V | I | rc | nz(r);
          exec(cpu, bus, [accOp], { a: v, p: V | I | c });
          if (cpu.a !== r || cpu.getP() !== p) expect.fail(`${hex(accOp)} v=${hex(v)} c=${c}: a=${hex(cpu.a)} p=${hex(cpu.getP())}`);
          bus.mem[0x55] = v;
          bus.startLog();
          exec(cpu, bus, [memOp, 0x55], { a: 0x33, p: V | I | c });
          bus.logging = false;
          if (bus.mem[0x55] !== r || cpu.getP() !== p || cpu.a !== 0x33 || bus.writes().length !== 1) {
            expect.fail(`${hex(memOp)} v=${hex(v)} c=${c}: m=${hex(bus.mem[0x55]!)} p=${hex(cpu.getP())}`);
          }
        }
      }
    }
  });

  it('binary ADC for every A, operand and carry (C = unsigned carry out, V = signed overflow)', () => {
    for (let a = 0; a < 256; a++) {
      for (let m = 0; m < 256; m++) {
        for (const c of [0, 1]) {
          exec(cpu, bus, [0x69, m], { a, p: c | I });
          const sum = a + m + c;
          const signed = (a << 24 >> 24) + (m << 24 >> 24) + c;
          const r = sum & 0xff;
          const p = U | B | I | (sum > 0xff ? C : 0) | (signed < -128 || signed > 127 ? V : 0) | nz(r);
          if (cpu.a !== r || cpu.getP() !== p) expect.fail(`ADC a=${hex(a)} m=${hex(m)} c=${c}: a=${hex(cpu.a)} p=${hex(cpu.getP())}`);
        }
      }
    }
  });

  it('binary SBC for every A, operand and carry (C = no borrow, V = signed overflow)', () => {
    for (const op of [0xe9, 0xeb]) {
      for (let a = 0; a < 256; a++) {
        for (let m = 0; m < 256; m++) {
          for (const c of [0, 1]) {
            exec(cpu, bus, [op, m], { a, p: c });
            const diff = a - m - (1 - c);
            const signed = (a << 24 >> 24) - (m << 24 >> 24) - (1 - c);
            const r = diff & 0xff;
            const p = U | B | (diff >= 0 ? C : 0) | (signed < -128 || signed > 127 ? V : 0) | nz(r);
            if (cpu.a !== r || cpu.getP() !== p) expect.fail(`${hex(op)} a=${hex(a)} m=${hex(m)} c=${c}: a=${hex(cpu.a)} p=${hex(cpu.getP())}`);
          }
        }
      }
    }
  });
});

describe('Cpu6502: stack, subroutines, jumps, BRK/RTI', () => {
  it('PHA/PLA move A through $01xx, PLA sets N and Z, with the core\'s read at SP before the pull', () => {
    const { cpu, bus } = machine();
    bus.startLog();
    exec(cpu, bus, [0x48], { a: 0x80, sp: 0xfd });
    expect(bus.mem[0x01fd]).to.equal(0x80);
    expect(cpu.sp).to.equal(0xfc);
    bus.startLog();
    exec(cpu, bus, [0x68], { a: 0, p: Z });
    expect(cpu.a).to.equal(0x80);
    expect(cpu.sp).to.equal(0xfd);
    expect(cpu.getP()).to.equal(U | B | N);
    expect(bus.log.map((a) => [a.kind, a.addr])).to.deep.equal([['r', 0x1000], ['r', 0x01fc], ['r', 0x01fd]]);
  });

  it('PHP pushes P with B and bit 5 set; PLP loads every flag (B and bit 5 still read 1)', () => {
    const { cpu, bus } = machine();
    exec(cpu, bus, [0x08], { p: N | C, sp: 0xff });
    expect(bus.mem[0x01ff]).to.equal(N | U | B | C);
    bus.mem[0x01ff] = 0x00;
    exec(cpu, bus, [0x28], { p: 0xff, sp: 0xfe });
    expect(cpu.getP()).to.equal(U | B);
    bus.mem[0x01ff] = 0xcf;
    exec(cpu, bus, [0x28], { p: 0, sp: 0xfe });
    expect(cpu.getP()).to.equal(0xff);
  });

  it('the stack pointer wraps: a push at SP=$00 writes $0100 and leaves $FF; a pull at $FF reads $0100', () => {
    const { cpu, bus } = machine();
    exec(cpu, bus, [0x48], { a: 0x5e, sp: 0x00 });
    expect(bus.mem[0x0100]).to.equal(0x5e);
    expect(cpu.sp).to.equal(0xff);
    exec(cpu, bus, [0x68], { a: 0 });
    expect(cpu.a).to.equal(0x5e);
    expect(cpu.sp).to.equal(0x00);
    // JSR with SP=$00 pushes across the wrap.
    exec(cpu, bus, [0x20, 0x00, 0xf8], { sp: 0x00 }, 0xf123);
    expect([bus.mem[0x0100], bus.mem[0x01ff], cpu.sp]).to.deep.equal([0xf1, 0x25, 0xfe]);
  });

  it('JSR pushes the address of its last byte (16-bit PC, high byte first) and jumps', () => {
    const { cpu, bus } = machine();
    bus.startLog();
    const cycles = exec(cpu, bus, [0x20, 0x00, 0xf8], { sp: 0xff }, 0xf123);
    expect(cycles).to.equal(6);
    expect(cpu.pc).to.equal(0xf800);
    expect(cpu.sp).to.equal(0xfd);
    expect([bus.mem[0x01ff], bus.mem[0x01fe]]).to.deep.equal([0xf1, 0x25]);
    // Order of the core: opcode, low byte, read at SP, push high, push low, high byte.
    expect(bus.log.map((a) => [a.kind, a.addr])).to.deep.equal([
      ['r', 0x1123], ['r', 0x1124], ['r', 0x01ff], ['w', 0x01ff], ['w', 0x01fe], ['r', 0x1125],
    ]);
  });

  it('RTS pulls the address and adds one, reading the byte at the pulled address first', () => {
    const { cpu, bus } = machine();
    bus.load(0x01fe, [0x25, 0xf1]);
    bus.startLog();
    const cycles = exec(cpu, bus, [0x60], { sp: 0xfd }, 0xf800);
    expect(cycles).to.equal(6);
    expect(cpu.pc).to.equal(0xf126);
    expect(cpu.sp).to.equal(0xff);
    expect(bus.log.map((a) => [a.kind, a.addr])).to.deep.equal([
      ['r', 0x1800], ['r', 0x01fd], ['r', 0x01fe], ['r', 0x01ff], ['r', 0x1125],
    ]);
  });

  it('a JSR/RTS pair returns to the next instruction', () => {
    const { cpu, bus } = machine();
    bus.load(0xf000, [0x20, 0x00, 0xf1, 0xe8]);
    bus.load(0xf100, [0xe8, 0x60]);
    cpu.pc = 0xf000; cpu.sp = 0xff; cpu.x = 0;
    for (let i = 0; i < 4; i++) cpu.step();
    expect(cpu.pc).to.equal(0xf004);
    expect(cpu.x).to.equal(2);
    expect(cpu.sp).to.equal(0xff);
    expect(cpu.cycles).to.equal(6 + 2 + 6 + 2);
  });

  it('BRK pushes PC+2 and P with B, sets I, keeps D, and jumps through $FFFE/$FFFF', () => {
    const { cpu, bus } = machine();
    bus.load(0xfffe, [0x00, 0xf5]);
    bus.startLog();
    const cycles = exec(cpu, bus, [0x00, 0xff], { sp: 0xff, p: D | C }, 0xf300);
    expect(cycles).to.equal(7);
    expect(cpu.pc).to.equal(0xf500);
    expect(cpu.sp).to.equal(0xfc);
    expect([bus.mem[0x01ff], bus.mem[0x01fe], bus.mem[0x01fd]]).to.deep.equal([0xf3, 0x02, U | B | D | C]);
    expect(cpu.getP()).to.equal(U | B | D | I | C);
    expect(bus.log.map((a) => [a.kind, a.addr])).to.deep.equal([
      ['r', 0x1300], ['r', 0x1301], ['w', 0x01ff], ['w', 0x01fe], ['w', 0x01fd], ['r', 0x1ffe], ['r', 0x1fff],
    ]);
  });

  it('RTI pulls P then PC (without adding one)', () => {
    const { cpu, bus } = machine();
    bus.load(0x01fd, [N | V | C, 0x02, 0xf3]);
    bus.startLog();
    const cycles = exec(cpu, bus, [0x40], { sp: 0xfc, p: I }, 0xf500);
    expect(cycles).to.equal(6);
    expect(cpu.pc).to.equal(0xf302);
    expect(cpu.sp).to.equal(0xff);
    expect(cpu.getP()).to.equal(N | V | U | B | C);
    expect(bus.log.map((a) => [a.kind, a.addr])).to.deep.equal([
      ['r', 0x1500], ['r', 0x01fc], ['r', 0x01fd], ['r', 0x01fe], ['r', 0x01ff],
    ]);
  });

  it('JMP absolute and indirect', () => {
    const { cpu, bus } = machine();
    expect(exec(cpu, bus, [0x4c, 0x34, 0xf2])).to.equal(3);
    expect(cpu.pc).to.equal(0xf234);
    bus.load(0x0080, [0x78, 0xf5]);
    expect(exec(cpu, bus, [0x6c, 0x80, 0x00])).to.equal(5);
    expect(cpu.pc).to.equal(0xf578);
  });

  it('JMP ($xxFF) takes the high byte from $xx00 (NMOS page-wrap bug)', () => {
    const { cpu, bus } = machine();
    bus.mem[0x10ff] = 0x34;
    bus.mem[0x1000] = 0xf6;
    bus.mem[0x1100] = 0x12;
    bus.startLog();
    exec(cpu, bus, [0x6c, 0xff, 0xf0], {}, 0xf800);
    expect(cpu.pc).to.equal(0xf634);
    expect(bus.log.map((a) => a.addr)).to.deep.equal([0x1800, 0x1801, 0x1802, 0x10ff, 0x1000]);
    // The same at the very top of memory: ($FFFF) reads $FFFF and $FF00.
    bus.mem[0x1fff] = 0x21;
    bus.mem[0x1f00] = 0xf4;
    exec(cpu, bus, [0x6c, 0xff, 0xff], {}, 0xf800);
    expect(cpu.pc).to.equal(0xf421);
  });
});

describe('Cpu6502: run()', () => {
  function loop(): { cpu: Cpu6502; bus: FlatBus } {
    const { cpu, bus } = machine();
    // $F000: INX; STX $80; JMP $F000
    bus.load(0xf000, [0xe8, 0x86, 0x80, 0x4c, 0x00, 0xf0]);
    bus.load(0xfffc, [0x00, 0xf0]);
    cpu.reset();
    return { cpu, bus };
  }

  it('runs the given number of instructions', () => {
    const { cpu } = loop();
    expect(cpu.run(30)).to.equal('instructions');
    expect(cpu.x).to.equal(10);
    expect(cpu.cycles).to.equal(10 * (2 + 3 + 3));
  });

  it('returns after the current instruction when a device calls stop(), and clears an old stop request', () => {
    const { cpu, bus } = loop();
    cpu.stop(); // ALE's execute() clears pending stop bits when it starts
    bus.onPoke = (addr, value) => {
      if (addr === 0x80 && value === 5) cpu.stop();
    };
    expect(cpu.run(1000)).to.equal('stopped');
    expect(cpu.x).to.equal(5);
    expect(cpu.pc).to.equal(0xf003); // STX completed, JMP not started
    expect(cpu.run(3)).to.equal('instructions');
  });

  it('stops at a cycle limit, checked before each instruction', () => {
    const { cpu } = loop();
    expect(cpu.runCycles(20)).to.equal('cycles');
    expect(cpu.cycles).to.equal(21); // 8 + 8 + INX + STX: the instruction that passed 20 completed
    expect(cpu.run(Infinity, 21)).to.equal('cycles');
    expect(cpu.cycles).to.equal(21);
  });
});

describe('Cpu6502 address lines', () => {
  it('hands the bus the full 16-bit address with FULL_ADDRESS_MASK (the FE scheme reads A13)', () => {
    const seen: number[] = [];
    const mem = new Uint8Array(0x10000);
    mem[0xfffc] = 0x00;
    mem[0xfffd] = 0xd0; // reset vector $D000
    mem[0xd000] = 0xea; // NOP
    const bus = {
      peek: (a: number): number => (seen.push(a), mem[a]!),
      poke: (): void => undefined,
    };
    const cpu = new Cpu6502(bus, FULL_ADDRESS_MASK);
    cpu.reset();
    cpu.step();
    expect(seen).to.deep.equal([0xfffc, 0xfffd, 0xd000]);
    const narrow: number[] = [];
    const cpu13 = new Cpu6502({ peek: (a) => (narrow.push(a), mem[a | 0xe000]!), poke: () => undefined });
    cpu13.reset();
    expect(narrow).to.deep.equal([0x1ffc, 0x1ffd]);
  });
});
