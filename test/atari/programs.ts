/** Small hand-assembled 6507 programs for machine tests. */

/** A 2K cartridge image with `code` at $F800 and the reset vector pointing there. */
export function rom2k(code: number[]): Uint8Array {
  const rom = new Uint8Array(2048);
  rom.set(code, 0);
  rom[0x7fc] = 0x00;
  rom[0x7fd] = 0xf8;
  return rom;
}

// A one-colour 262-line frame: VSYNC for 3 lines, then 259 WSYNC lines.
export const FRAME_PROGRAM = [
  0x78, 0xd8, 0xa2, 0xff, 0x9a, //       SEI CLD LDX #$FF TXS
  0xa9, 0x1e, 0x85, 0x09, //             LDA #$1E  STA COLUBK
  0xa5, 0x0e, 0x85, 0x80, //             LDA $0E (unused TIA register)  STA $80
  0xa9, 0x42, 0x8d, 0x81, 0x01, //       LDA #$42  STA $0181 (a RAM mirror)
  0xa9, 0x02, 0x85, 0x00, //       $F812 LDA #2  STA VSYNC
  0x85, 0x02, 0x85, 0x02, 0x85, 0x02, // STA WSYNC x3
  0xa9, 0x00, 0x85, 0x00, //             LDA #0  STA VSYNC
  0xa0, 0xf0, 0x85, 0x02, 0x88, 0xd0, 0xfb, // LDY #240: STA WSYNC DEY BNE
  0xa0, 0x13, 0x85, 0x02, 0x88, 0xd0, 0xfb, // LDY #19: ...
  0x4c, 0x12, 0xf8, //                   JMP $F812
];

