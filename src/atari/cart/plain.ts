/**
 * Schemes without bank switching: 2K (mirrored twice in $1000-$1FFF), 4K, and
 * CommaVid (CV: 1K RAM read at $1000-$13FF, written at $1400-$17FF, 2K ROM at $1800-$1FFF).
 */
import { BaseCartridge, romCopy } from './base.js';
import type { RandomSource } from './types.js';

export class Cartridge2K extends BaseCartridge {
  readonly scheme = '2K';
  override readonly quietHi = 0xfff;
  private readonly rom: Uint8Array;
  /** The 2K twice, as the CPU sees it in $1000-$1FFF. */
  private readonly window = new Uint8Array(4096);

  constructor(image: Uint8Array, rng: RandomSource) {
    super(image.length, rng);
    this.rom = romCopy(image, 2048, '2K');
    this.window.set(this.rom, 0);
    this.window.set(this.rom, 2048);
  }

  override romWindow(): Uint8Array {
    return this.window;
  }

  reset(): void {}

  peek(addr: number): number {
    return this.rom[addr & 0x7ff]!;
  }

  poke(_addr: number, _value: number): void {}

  banks(): number[] {
    return [];
  }

  protected setBanks(): void {}
}

export class Cartridge4K extends BaseCartridge {
  readonly scheme = '4K';
  override readonly quietHi = 0xfff;
  private readonly rom: Uint8Array;

  constructor(image: Uint8Array, rng: RandomSource) {
    super(image.length, rng);
    this.rom = romCopy(image, 4096, '4K');
  }

  override romWindow(): Uint8Array {
    return this.rom;
  }

  reset(): void {}

  peek(addr: number): number {
    return this.rom[addr & 0xfff]!;
  }

  poke(_addr: number, _value: number): void {}

  banks(): number[] {
    return [];
  }

  protected setBanks(): void {}
}

/**
 * CommaVid. A 4K image carries the initial RAM contents in its first 1K and the ROM in
 * its second 2K; a 2K image is all ROM and its RAM is randomised at reset (1024 draws).
 * As in Stella: a read of the write port returns the ROM byte at (addr & $7FF); a write
 * to the read port is ignored.
 */
export class CartridgeCV extends BaseCartridge {
  readonly scheme = 'CV';
  private readonly rom: Uint8Array;
  private readonly initialRam: Uint8Array | null;
  protected override ram: Uint8Array = new Uint8Array(1024);

  constructor(image: Uint8Array, rng: RandomSource) {
    super(image.length, rng);
    if (image.length === 4096) {
      this.rom = romCopy(image, 2048, 'CV', 2048);
      this.initialRam = image.slice(0, 1024);
    } else {
      this.rom = romCopy(image, 2048, 'CV');
      this.initialRam = null;
    }
  }

  reset(): void {
    if (this.initialRam) this.ram.set(this.initialRam);
    else this.randomizeRam();
  }

  peek(addr: number): number {
    const a = addr & 0xfff;
    if (a < 0x400) return this.ram[a]!;
    return this.rom[a & 0x7ff]!;
  }

  poke(addr: number, value: number): void {
    const a = addr & 0xfff;
    if (a >= 0x400 && a < 0x800) this.ram[a & 0x3ff] = value;
  }

  banks(): number[] {
    return [];
  }

  protected setBanks(): void {}
}
