/**
 * Raw speed of the 6507 core: dasm-assembled loops on a flat 8K bus, a few
 * million instructions each, reported as instructions and emulated cycles
 * per second. No assertion on speed; run with
 *   npx tsc -p tsconfig.json --outDir dist-cpu && node dist-cpu/bench/cpu.js
 */
import dasm from 'dasm';
import { Cpu6502, type Bus } from '../src/atari/cpu.js';

class FlatBus implements Bus {
  readonly mem = new Uint8Array(0x2000);
  peek(addr: number): number {
    return this.mem[addr]!;
  }
  poke(addr: number, value: number): void {
    this.mem[addr] = value;
  }
}

function build(body: string): Uint8Array {
  const src = `  processor 6502\n  org $f000\n${body}\n  org $fffc\n  .word reset\n  .word reset\n`;
  const r = dasm.default(src, { format: 3, quick: true });
  if (!r.success) throw new Error(r.output.join('\n'));
  return r.data;
}

const PROGRAMS: Record<string, string> = {
  // The tightest loop: two instructions.
  'dex/bne': `
reset:
  ldx #0
loop:
  dex
  bne loop
  jmp reset
`,
  // A mix closer to game code: zero page, indexed, RMW, JSR/RTS, decimal ADC.
  mixed: `
reset:
  ldx #$ff
  txs
  ldy #0
loop:
  lda table,y
  sta $80
  jsr work
  iny
  bne loop
  jmp reset
work:
  lda $80
  asl
  eor $81
  sta $81
  inc $82
  ldx $82
  lda $0300,x
  sed
  clc
  adc #$19
  cld
  sta $0300,x
  rts
table:
  .byte 1, 2, 3, 4, 5, 6, 7, 8
`,
};

function bench(name: string, body: string, instructions: number): void {
  const bus = new FlatBus();
  bus.mem.set(build(body), 0x1000);
  const cpu = new Cpu6502(bus);
  cpu.reset();
  cpu.run(200_000); // warm up the JIT
  let best = 0;
  let cyclesPerInstruction = 0;
  for (let round = 0; round < 5; round++) {
    const c0 = cpu.cycles;
    const t0 = process.hrtime.bigint();
    cpu.run(instructions);
    const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
    best = Math.max(best, instructions / seconds);
    cyclesPerInstruction = (cpu.cycles - c0) / instructions;
  }
  const mips = best / 1e6;
  const mhz = (best * cyclesPerInstruction) / 1e6;
  // The 2600 runs its CPU at about 1.19 MHz.
  console.log(`${name.padEnd(8)} ${mips.toFixed(1).padStart(6)} M instructions/s  ` +
    `${mhz.toFixed(1).padStart(6)} M cycles/s  (${(mhz / 1.193).toFixed(0)}x a real 2600)`);
}

console.log('6507 core, best of 5 runs of 10 million instructions');
for (const [name, body] of Object.entries(PROGRAMS)) bench(name, body, 10_000_000);
