/**
 * Whole programs, assembled with dasm, run on a flat 8K bus: multiplication,
 * a BCD counter, a sort, recursion through the stack, and exact loop timing.
 */
import { expect } from 'chai';
import dasm from 'dasm';
import { Cpu6502 } from '../../src/atari/cpu.js';
import { FlatBus, Rng } from './cpu-bus.js';

/** A store to this address ends a test program (the bus calls cpu.stop()). */
const HALT = 0x07f0;

interface Program {
  cpu: Cpu6502;
  bus: FlatBus;
  sym: Map<string, number>;
}

function assemble(body: string): { image: Uint8Array; sym: Map<string, number> } {
  const src = `  processor 6502\n  org $f000\n${body}\n  org $fffc\n  .word reset\n  .word reset\n`;
  const result = dasm.default(src, { format: 3 });
  if (!result.success) throw new Error(`dasm failed:\n${result.output.join('\n')}`);
  // dasm.js's parsed `symbols` mangles hex values; read the raw symbol list.
  const sym = new Map<string, number>();
  for (const line of (result.symbolsRaw ?? '').split('\n')) {
    const m = /^(\S+)\s+([0-9a-f]+)\b/i.exec(line.trim());
    if (m && !line.startsWith('---')) sym.set(m[1]!, parseInt(m[2]!, 16));
  }
  if (result.data.length !== 0x1000) throw new Error(`expected a 4K image, got ${result.data.length} bytes`);
  return { image: result.data, sym };
}

function load(body: string): Program {
  const { image, sym } = assemble(body);
  const bus = new FlatBus();
  const cpu = new Cpu6502(bus);
  bus.cpu = cpu;
  bus.mem.set(image, 0x1000);
  bus.onPoke = (addr) => {
    if (addr === HALT) cpu.stop();
  };
  cpu.reset();
  return { cpu, bus, sym };
}

function runToHalt(p: Program, maxInstructions = 10_000_000): void {
  const reason = p.cpu.run(maxInstructions);
  p.cpu.throwIfJammed();
  expect(reason, 'program should halt').to.equal('stopped');
}

describe('Cpu6502: dasm-assembled programs', () => {
  it('multiplies 64 pairs of bytes with shift-and-add and sums the products', () => {
    const rng = new Rng(2600);
    const pairs: Array<[number, number]> = [];
    for (let i = 0; i < 64; i++) pairs.push([rng.byte(), rng.byte()]);
    const p = load(`
SUM   = $80        ; 3 bytes
MA    = $85
MB    = $86
reset:
  ldx #$ff
  txs
  cld
  lda #0
  sta SUM
  sta SUM+1
  sta SUM+2
  ldy #0
next:
  lda table,y
  sta MA
  iny
  lda table,y
  sta MB
  iny
  jsr mul8          ; A:MA = MA * MB
  tax
  clc
  lda MA
  adc SUM
  sta SUM
  txa
  adc SUM+1
  sta SUM+1
  lda #0
  adc SUM+2
  sta SUM+2
  cpy #128
  bne next
  sta ${HALT}
mul8:
  lda #0
  ldx #8
  lsr MA
mloop:
  bcc noadd
  clc
  adc MB
noadd:
  ror
  ror MA
  dex
  bne mloop
  rts
table:
${pairs.map(([a, b]) => `  .byte ${a}, ${b}`).join('\n')}
`);
    runToHalt(p);
    const sum = p.bus.mem[0x80]! | (p.bus.mem[0x81]! << 8) | (p.bus.mem[0x82]! << 16);
    expect(sum).to.equal(pairs.reduce((s, [a, b]) => s + a * b, 0));
    expect(p.cpu.sp).to.equal(0xff);
  });

  it('counts from 0000 to 9999 in decimal mode, then wraps with a carry', () => {
    const p = load(`
CNT  = $80   ; BCD, 2 bytes
ITER = $82   ; binary, 2 bytes
CARRY = $84
reset:
  lda #0
  sta CNT
  sta CNT+1
  sta ITER
  sta ITER+1
  sed
count:
  clc
  lda CNT
  adc #1
  sta CNT
  lda CNT+1
  adc #0
  sta CNT+1
  inc ITER          ; INC is binary even in decimal mode
  bne check
  inc ITER+1
check:
  lda CNT
  cmp #$99
  bne count
  lda CNT+1
  cmp #$99
  bne count
  sec
  lda CNT
  adc #0
  sta CNT
  lda CNT+1
  adc #0
  sta CNT+1
  lda #0
  rol
  sta CARRY
  cld
  sta ${HALT}
`);
    runToHalt(p);
    const m = p.bus.mem;
    expect([m[0x80], m[0x81]]).to.deep.equal([0x00, 0x00]);
    expect(m[0x82]! | (m[0x83]! << 8)).to.equal(9999);
    expect(m[0x84]).to.equal(1);
  });

  it('bubble-sorts 40 bytes through a (zp),Y pointer and checksums them with abs,X', () => {
    const rng = new Rng(77);
    const data = Array.from({ length: 40 }, () => rng.byte());
    const p = load(`
PTR  = $80
SWAPPED = $82
SUM  = $83     ; 2 bytes
N    = 40
reset:
  ldx #N-1
copy:
  lda source,x
  sta $0300,x
  dex
  bpl copy
  lda #$00
  sta PTR
  lda #$03
  sta PTR+1
pass:
  lda #0
  sta SWAPPED
  ldy #0
inner:
  lda (PTR),y
  iny
  cmp (PTR),y
  bcc ordered
  beq ordered
  tax               ; swap [y-1] and [y]
  lda (PTR),y
  dey
  sta (PTR),y
  iny
  txa
  sta (PTR),y
  lda #1
  sta SWAPPED
ordered:
  cpy #N-1
  bne inner
  lda SWAPPED
  bne pass
  lda #0
  sta SUM
  sta SUM+1
  ldx #N-1
csum:
  clc
  lda $0300,x
  adc SUM
  sta SUM
  bcc nocarry
  inc SUM+1
nocarry:
  dex
  bpl csum
  sta ${HALT}
source:
  .byte ${data.join(', ')}
`);
    runToHalt(p);
    expect(Array.from(p.bus.mem.subarray(0x300, 0x300 + 40))).to.deep.equal([...data].sort((a, b) => a - b));
    expect(p.bus.mem[0x83]! | (p.bus.mem[0x84]! << 8)).to.equal(data.reduce((s, v) => s + v, 0));
  });

  it('computes Fibonacci(13) recursively through JSR/RTS and the stack', () => {
    const p = load(`
reset:
  ldx #$ff
  txs
  lda #13
  jsr fib
  sta $80
  sta ${HALT}
fib:                ; A = fib(A)
  cmp #2
  bcc fdone
  sec
  sbc #1
  pha               ; [n-1]
  jsr fib           ; A = fib(n-1)
  tsx
  ldy $0101,x       ; Y = n-1
  sta $0101,x       ; the stack slot now holds fib(n-1)
  tya
  sec
  sbc #1
  jsr fib           ; A = fib(n-2)
  tsx
  clc
  adc $0101,x
  tay
  pla
  tya
fdone:
  rts
`);
    runToHalt(p);
    expect(p.bus.mem[0x80]).to.equal(233);
    expect(p.cpu.sp).to.equal(0xff);
  });

  it('takes the exact cycle count for a countdown loop, with and without a page-crossing branch', () => {
    const p = load(`
reset:
  ldx #10
near:
  dex
  bne near
  sta ${HALT}
  org $f1fd
far:
  ldx #10           ; $F1FD
farloop:
  dex               ; $F1FF
  bne farloop       ; $F200: the branch lands on the previous page
  sta ${HALT}
`);
    runToHalt(p);
    // LDX 2 + 10 DEX 2 + 9 taken BNE 3 + 1 untaken BNE 2 + STA abs 4.
    expect(p.cpu.cycles).to.equal(2 + 20 + 27 + 2 + 4);
    expect(p.sym.get('farloop')).to.equal(0xf1ff);
    p.cpu.pc = p.sym.get('far')!;
    p.cpu.cycles = 0;
    runToHalt(p);
    // Taken branches now cross a page: 4 cycles each.
    expect(p.cpu.cycles).to.equal(2 + 20 + 36 + 2 + 4);
  });
});
