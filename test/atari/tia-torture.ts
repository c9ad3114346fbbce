/**
 * "Torture" cartridges for differential TIA tests: a 16-bit LFSR picks a TIA register
 * (any of the 64, VSYNC, VBLANK and WSYNC included) and a value for every write, reads
 * registers now and then into RAM ($90-$9F, so collision latches and data-bus bits show
 * in RAM), and waits a random few cycles between writes. Frames therefore end anywhere
 * (mid-line VSYNCs, the 290-line limit), and objects, HMOVEs and RESPx land on every
 * cycle. With `busy`, the program sometimes spins ~80000 instructions without touching
 * the TIA, so frames are cut at ALE's 25000-instruction budget and greyed out.
 * With `narrow`, values are 0-3 only, so most writes repeat a register's value (the
 * renderer skips drawing for those, which must not change a pixel).
 * RAM $A3 stays 0: ALE runs these images under Seaquest's settings (by file name), which
 * would call the game over otherwise.
 */
import dasm from 'dasm';

export function tortureRom(seed: number, busy = false, narrow = false): Uint8Array {
  const src = `
  processor 6502
  org $f000
LO = $80
HI = $81
reset:
  sei
  cld
  ldx #$ff
  txs
  lda #0
  sta $a3
  lda #${seed & 0xff}
  sta LO
  lda #${((seed >> 8) & 0xff) | 1}
  sta HI
loop:
  lsr HI
  ror LO
  bcc n1
  lda HI
  eor #$b4
  sta HI
n1:
  lda LO
  and #$3f
  tax
  lda HI
  eor LO
  eor $284
${narrow ? '  and #$03' : ''}
  sta $00,x
  lda LO
  and #$07
  bne noread
  lda $00,x
  pha
  txa
  and #$0f
  tax
  pla
  sta $90,x
noread:
${busy ? `  lda LO
  bne nobusy
  ldx #$c0
spin1:
  ldy #0
spin2:
  dey
  bne spin2
  dex
  bne spin1
nobusy:` : ''}
  lda HI
  and #$03
  tay
wait:
  dey
  bpl wait
  jmp loop
  org $fffc
  .word reset
  .word reset
`;
  const result = dasm.default(src, { format: 3 });
  if (!result.success) throw new Error(`dasm failed:\n${result.output.join('\n')}`);
  return result.data;
}
