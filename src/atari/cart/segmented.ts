/**
 * Schemes that map smaller slices into parts of the 4K window.
 *
 * E0 (Parker Bros, 8K): four 1K segments. Segments 0-2 ($1000, $1400, $1800) each show
 * any of the eight 1K slices; segment 3 ($1C00) always shows slice 7. An access (read or
 * write) to $1FE0-$1FE7 selects the slice of segment 0, $1FE8-$1FEF segment 1,
 * $1FF0-$1FF7 segment 2. Reset selects slices 4, 5, 6. (CartE0.cxx)
 *
 * E7 (M-Network, 16K): $1000-$17FF shows one of 2K slices 0-6 or, when slice 7 is
 * selected, 1K of RAM (written at $1000-$13FF, read at $1400-$17FF); $1800-$19FF is a
 * 256-byte RAM bank (written at $1800-$18FF, read at $1900-$19FF) chosen among 4;
 * $1A00-$1FFF shows the last 2K slice (7). Hotspots: $1FE0-$1FE7 select the slice,
 * $1FE8-$1FEB the RAM bank, on read or write. Reset: all 2048 RAM bytes are randomised,
 * then RAM bank 0 and slice 0. A read of a RAM write port returns the byte of ROM slice 7
 * at (addr & $7FF), as in CartE7.cxx. A write to a read port is ignored.
 */
import { BaseCartridge, romCopy } from './base.js';
import type { RandomSource } from './types.js';

export class CartridgeE0 extends BaseCartridge {
  readonly scheme = 'E0';
  private readonly rom: Uint8Array;
  /** offs[seg] + a (a = addr & $FFF, seg = a >> 10) indexes `rom`: slice * 1024 - seg * 1024. */
  private readonly offs = new Int32Array(4);
  private readonly slices = [4, 5, 6, 7];

  constructor(image: Uint8Array, rng: RandomSource) {
    super(image.length, rng);
    this.rom = romCopy(image, 8192, 'E0');
    this.select(0, 4);
    this.select(1, 5);
    this.select(2, 6);
    this.select(3, 7);
  }

  private select(seg: number, slice: number): void {
    this.slices[seg] = slice;
    this.offs[seg] = (slice - seg) << 10;
  }

  reset(): void {
    this.select(0, 4);
    this.select(1, 5);
    this.select(2, 6);
  }

  peek(addr: number): number {
    const a = addr & 0xfff;
    if (a >= 0xfe0 && a <= 0xff7) this.select((a - 0xfe0) >> 3, a & 7);
    return this.rom[this.offs[a >> 10]! + a]!;
  }

  poke(addr: number, _value: number): void {
    const a = addr & 0xfff;
    if (a >= 0xfe0 && a <= 0xff7) this.select((a - 0xfe0) >> 3, a & 7);
  }

  banks(): number[] {
    return this.slices.slice(0, 3);
  }

  protected setBanks(banks: readonly number[]): void {
    for (let s = 0; s < 3; s++) this.select(s, banks[s]! & 7);
  }
}

export class CartridgeE7 extends BaseCartridge {
  readonly scheme = 'E7';
  private readonly rom: Uint8Array;
  private readonly ramBuf = new Uint8Array(2048);
  /** Selected slice for $1000-$17FF (7 = RAM). */
  private slice = 0;
  private sliceOffset = 0;
  private ramMode = false;
  /** Selected 256-byte RAM bank (0..3). */
  private ramBank = 0;
  /** Index in `ramBuf` of the selected 256-byte RAM bank. */
  private ramBankBase = 1024;

  constructor(image: Uint8Array, rng: RandomSource) {
    super(image.length, rng);
    this.rom = romCopy(image, 16384, 'E7');
    this.ram = this.ramBuf;
  }

  private selectSlice(slice: number): void {
    this.slice = slice;
    this.ramMode = slice === 7;
    this.sliceOffset = slice << 11;
  }

  private selectRamBank(bank: number): void {
    this.ramBank = bank;
    this.ramBankBase = 1024 + (bank << 8);
  }

  reset(): void {
    this.randomizeRam();
    this.selectRamBank(0);
    this.selectSlice(0);
  }

  peek(addr: number): number {
    const a = addr & 0xfff;
    if (a < 0x800) {
      if (!this.ramMode) return this.rom[this.sliceOffset + a]!;
      return a >= 0x400 ? this.ramBuf[a & 0x3ff]! : this.rom[0x3800 + a]!;
    }
    if (a < 0xa00) {
      return a >= 0x900 ? this.ramBuf[this.ramBankBase + (a & 0xff)]! : this.rom[0x3800 + (a & 0x7ff)]!;
    }
    if (a >= 0xfe0 && a <= 0xfeb) this.hotspot(a);
    return this.rom[0x3800 + (a & 0x7ff)]!;
  }

  poke(addr: number, value: number): void {
    const a = addr & 0xfff;
    if (a < 0x400) {
      if (this.ramMode) this.ramBuf[a] = value;
    } else if (a >= 0x800 && a < 0x900) {
      this.ramBuf[this.ramBankBase + (a & 0xff)] = value;
    } else if (a >= 0xfe0 && a <= 0xfeb) {
      this.hotspot(a);
    }
  }

  private hotspot(a: number): void {
    if (a <= 0xfe7) this.selectSlice(a & 7);
    else this.selectRamBank(a & 3);
  }

  banks(): number[] {
    return [this.slice, this.ramBank];
  }

  protected setBanks(banks: readonly number[]): void {
    this.selectRamBank(banks[1]! & 3);
    this.selectSlice(banks[0]! & 7);
  }
}
