/**
 * FE (Activision 8K: Robot Tank, Decathlon, Space Shuttle) as ALE 0.12.1 emulates it
 * (CartFE.cxx): there is no hotspot and no stack snooping. The bank is picked for every
 * read from address line A13 of the address the CPU drove: A13 = 1 (code and data at
 * $Fxxx) reads the FIRST 4K of the image, A13 = 0 ($Dxxx) the SECOND 4K. Writes do nothing.
 *
 * This needs the bus to hand `peek` the CPU's unmasked 16-bit address. With a bus that
 * reduces addresses to 13 bits first, A13 always reads 0 and only the second 4K is seen.
 */
import { BaseCartridge, romCopy } from './base.js';
import type { RandomSource } from './types.js';

export class CartridgeFE extends BaseCartridge {
  readonly scheme = 'FE';
  private readonly rom: Uint8Array;

  constructor(image: Uint8Array, rng: RandomSource) {
    super(image.length, rng);
    this.rom = romCopy(image, 8192, 'FE');
  }

  reset(): void {}

  peek(addr: number): number {
    return this.rom[(addr & 0xfff) + (addr & 0x2000 ? 0 : 4096)]!;
  }

  poke(_addr: number, _value: number): void {}

  banks(): number[] {
    return [];
  }

  protected setBanks(): void {}
}
