/**
 * Test-side description of the 256 opcodes: mnemonic, addressing mode and
 * base cycles, typed from the NMOS 6502 documentation (undocumented opcodes
 * under their common names) independently of src/atari/cpu.ts. The one
 * deliberate difference from the silicon is ALE's: $A7 (LAX zp) costs 4.
 */

export type Mode =
  | 'imp' | 'acc' | 'imm' | 'zp' | 'zpx' | 'zpy' | 'abs' | 'abx' | 'aby'
  | 'ind' | 'izx' | 'izy' | 'rel' | 'jam';

/** How an instruction uses its memory operand. */
export type Kind = 'read' | 'write' | 'rmw' | 'other';

export interface OpSpec {
  op: number;
  name: string;
  mode: Mode;
  cycles: number;
  kind: Kind;
  documented: boolean;
}

const TABLE = `
00 BRK imp 7|01 ORA izx 6|02 JAM jam 2|03 SLO izx 8|04 NOP zp 3|05 ORA zp 3|06 ASL zp 5|07 SLO zp 5
08 PHP imp 3|09 ORA imm 2|0a ASL acc 2|0b ANC imm 2|0c NOP abs 4|0d ORA abs 4|0e ASL abs 6|0f SLO abs 6
10 BPL rel 2|11 ORA izy 5|12 JAM jam 2|13 SLO izy 8|14 NOP zpx 4|15 ORA zpx 4|16 ASL zpx 6|17 SLO zpx 6
18 CLC imp 2|19 ORA aby 4|1a NOP imp 2|1b SLO aby 7|1c NOP abx 4|1d ORA abx 4|1e ASL abx 7|1f SLO abx 7
20 JSR abs 6|21 AND izx 6|22 JAM jam 2|23 RLA izx 8|24 BIT zp 3|25 AND zp 3|26 ROL zp 5|27 RLA zp 5
28 PLP imp 4|29 AND imm 2|2a ROL acc 2|2b ANC imm 2|2c BIT abs 4|2d AND abs 4|2e ROL abs 6|2f RLA abs 6
30 BMI rel 2|31 AND izy 5|32 JAM jam 2|33 RLA izy 8|34 NOP zpx 4|35 AND zpx 4|36 ROL zpx 6|37 RLA zpx 6
38 SEC imp 2|39 AND aby 4|3a NOP imp 2|3b RLA aby 7|3c NOP abx 4|3d AND abx 4|3e ROL abx 7|3f RLA abx 7
40 RTI imp 6|41 EOR izx 6|42 JAM jam 2|43 SRE izx 8|44 NOP zp 3|45 EOR zp 3|46 LSR zp 5|47 SRE zp 5
48 PHA imp 3|49 EOR imm 2|4a LSR acc 2|4b ALR imm 2|4c JMP abs 3|4d EOR abs 4|4e LSR abs 6|4f SRE abs 6
50 BVC rel 2|51 EOR izy 5|52 JAM jam 2|53 SRE izy 8|54 NOP zpx 4|55 EOR zpx 4|56 LSR zpx 6|57 SRE zpx 6
58 CLI imp 2|59 EOR aby 4|5a NOP imp 2|5b SRE aby 7|5c NOP abx 4|5d EOR abx 4|5e LSR abx 7|5f SRE abx 7
60 RTS imp 6|61 ADC izx 6|62 JAM jam 2|63 RRA izx 8|64 NOP zp 3|65 ADC zp 3|66 ROR zp 5|67 RRA zp 5
68 PLA imp 4|69 ADC imm 2|6a ROR acc 2|6b ARR imm 2|6c JMP ind 5|6d ADC abs 4|6e ROR abs 6|6f RRA abs 6
70 BVS rel 2|71 ADC izy 5|72 JAM jam 2|73 RRA izy 8|74 NOP zpx 4|75 ADC zpx 4|76 ROR zpx 6|77 RRA zpx 6
78 SEI imp 2|79 ADC aby 4|7a NOP imp 2|7b RRA aby 7|7c NOP abx 4|7d ADC abx 4|7e ROR abx 7|7f RRA abx 7
80 NOP imm 2|81 STA izx 6|82 NOP imm 2|83 SAX izx 6|84 STY zp 3|85 STA zp 3|86 STX zp 3|87 SAX zp 3
88 DEY imp 2|89 NOP imm 2|8a TXA imp 2|8b ANE imm 2|8c STY abs 4|8d STA abs 4|8e STX abs 4|8f SAX abs 4
90 BCC rel 2|91 STA izy 6|92 JAM jam 2|93 SHA izy 6|94 STY zpx 4|95 STA zpx 4|96 STX zpy 4|97 SAX zpy 4
98 TYA imp 2|99 STA aby 5|9a TXS imp 2|9b TAS aby 5|9c SHY abx 5|9d STA abx 5|9e SHX aby 5|9f SHA aby 5
a0 LDY imm 2|a1 LDA izx 6|a2 LDX imm 2|a3 LAX izx 6|a4 LDY zp 3|a5 LDA zp 3|a6 LDX zp 3|a7 LAX zp 4
a8 TAY imp 2|a9 LDA imm 2|aa TAX imp 2|ab LXA imm 2|ac LDY abs 4|ad LDA abs 4|ae LDX abs 4|af LAX abs 4
b0 BCS rel 2|b1 LDA izy 5|b2 JAM jam 2|b3 LAX izy 5|b4 LDY zpx 4|b5 LDA zpx 4|b6 LDX zpy 4|b7 LAX zpy 4
b8 CLV imp 2|b9 LDA aby 4|ba TSX imp 2|bb LAS aby 4|bc LDY abx 4|bd LDA abx 4|be LDX aby 4|bf LAX aby 4
c0 CPY imm 2|c1 CMP izx 6|c2 NOP imm 2|c3 DCP izx 8|c4 CPY zp 3|c5 CMP zp 3|c6 DEC zp 5|c7 DCP zp 5
c8 INY imp 2|c9 CMP imm 2|ca DEX imp 2|cb SBX imm 2|cc CPY abs 4|cd CMP abs 4|ce DEC abs 6|cf DCP abs 6
d0 BNE rel 2|d1 CMP izy 5|d2 JAM jam 2|d3 DCP izy 8|d4 NOP zpx 4|d5 CMP zpx 4|d6 DEC zpx 6|d7 DCP zpx 6
d8 CLD imp 2|d9 CMP aby 4|da NOP imp 2|db DCP aby 7|dc NOP abx 4|dd CMP abx 4|de DEC abx 7|df DCP abx 7
e0 CPX imm 2|e1 SBC izx 6|e2 NOP imm 2|e3 ISB izx 8|e4 CPX zp 3|e5 SBC zp 3|e6 INC zp 5|e7 ISB zp 5
e8 INX imp 2|e9 SBC imm 2|ea NOP imp 2|eb SBC imm 2|ec CPX abs 4|ed SBC abs 4|ee INC abs 6|ef ISB abs 6
f0 BEQ rel 2|f1 SBC izy 5|f2 JAM jam 2|f3 ISB izy 8|f4 NOP zpx 4|f5 SBC zpx 4|f6 INC zpx 6|f7 ISB zpx 6
f8 SED imp 2|f9 SBC aby 4|fa NOP imp 2|fb ISB aby 7|fc NOP abx 4|fd SBC abx 4|fe INC abx 7|ff ISB abx 7
`;

const READS = new Set(['LDA', 'LDX', 'LDY', 'EOR', 'AND', 'ORA', 'ADC', 'SBC', 'CMP', 'CPX', 'CPY', 'BIT',
  'LAX', 'NOP', 'LAS', 'ANC', 'ALR', 'ARR', 'ANE', 'LXA', 'SBX']);
const WRITES = new Set(['STA', 'STX', 'STY', 'SAX', 'SHA', 'SHX', 'SHY', 'TAS']);
const RMWS = new Set(['ASL', 'LSR', 'ROL', 'ROR', 'INC', 'DEC', 'SLO', 'RLA', 'SRE', 'RRA', 'DCP', 'ISB']);
const DOCUMENTED = new Set(['ADC', 'AND', 'ASL', 'BCC', 'BCS', 'BEQ', 'BIT', 'BMI', 'BNE', 'BPL', 'BRK', 'BVC',
  'BVS', 'CLC', 'CLD', 'CLI', 'CLV', 'CMP', 'CPX', 'CPY', 'DEC', 'DEX', 'DEY', 'EOR', 'INC', 'INX', 'INY', 'JMP',
  'JSR', 'LDA', 'LDX', 'LDY', 'LSR', 'NOP', 'ORA', 'PHA', 'PHP', 'PLA', 'PLP', 'ROL', 'ROR', 'RTI', 'RTS', 'SBC',
  'SEC', 'SED', 'SEI', 'STA', 'STX', 'STY', 'TAX', 'TAY', 'TSX', 'TXA', 'TXS', 'TYA']);
// Opcodes that carry a documented mnemonic but are not documented opcodes.
const UNDOCUMENTED_ALIASES = new Set([0xeb, 0x1a, 0x3a, 0x5a, 0x7a, 0xda, 0xfa, 0x80, 0x82, 0x89, 0xc2, 0xe2,
  0x04, 0x44, 0x64, 0x0c, 0x14, 0x34, 0x54, 0x74, 0xd4, 0xf4, 0x1c, 0x3c, 0x5c, 0x7c, 0xdc, 0xfc]);

export const OPCODES: readonly OpSpec[] = (() => {
  const out: OpSpec[] = [];
  for (const cell of TABLE.trim().split(/[|\n]/)) {
    const [hex, name, mode, cycles] = cell.trim().split(' ') as [string, string, Mode, string];
    const op = parseInt(hex, 16);
    let kind: Kind = 'other';
    if (mode !== 'imp' && mode !== 'acc' && mode !== 'rel' && mode !== 'jam' && name !== 'JMP' && name !== 'JSR') {
      if (READS.has(name)) kind = 'read';
      else if (WRITES.has(name)) kind = 'write';
      else if (RMWS.has(name)) kind = 'rmw';
    }
    out.push({ op, name, mode, cycles: Number(cycles), kind,
      documented: DOCUMENTED.has(name) && !UNDOCUMENTED_ALIASES.has(op) });
  }
  if (out.length !== 256 || out.some((s, i) => s.op !== i)) throw new Error('opcode table is malformed');
  return out;
})();

export function spec(op: number): OpSpec {
  return OPCODES[op]!;
}

/** Instruction length in bytes for a mode. */
export function length(mode: Mode): number {
  switch (mode) {
    case 'imp': case 'acc': case 'jam': return 1;
    case 'abs': case 'abx': case 'aby': case 'ind': return 3;
    default: return 2;
  }
}
