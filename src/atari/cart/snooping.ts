/**
 * Schemes that react to bus accesses outside cartridge space (see Cartridge.snoopsBus).
 *
 * 3F (Tigervision, Cart3F.cxx): $1000-$17FF shows a 2K bank, $1800-$1FFF the last 2K of
 * the image. Stella gives the whole page $0000-$003F to the cartridge: ANY write there
 * selects bank `value` (wrapped modulo the bank count) and is passed on to the TIA;
 * a READ there returns the cartridge's byte at (addr & $7FF) of the current bank (the TIA
 * is not read). Writes to cartridge space are passed on to the TIA register (addr & $FFF),
 * and a write to $1000-$103F also selects a bank. Reset selects bank 0.
 *
 * 3E (Krokodil, Cart3E.cxx): as 3F but only a write to $3F selects ROM bank `value`,
 * and a write to $3E selects 1K RAM bank `value` mod 32 (32K of RAM; read at $1000-$13FF,
 * written at $1400-$17FF; a read of either half returns RAM). The 32768 RAM bytes are
 * randomised at every reset (32768 draws), then ROM bank 0 is selected.
 *
 * UA (UA Ltd, CartUA.cxx): 8K, two 4K banks; an access (read or write) to $0220 selects
 * bank 0 and to $0240 bank 1 (exact 13-bit addresses); the TIA still handles the access.
 * Reset selects bank 0.
 */
import { BaseCartridge, romCopy } from './base.js';
import { CartridgeError, type CartridgeHost, type RandomSource } from './types.js';

function checkTigervisionSize(image: Uint8Array, scheme: string): void {
  if (image.length < 2048 || image.length % 2048 !== 0) {
    throw new CartridgeError(`a ${scheme} ROM image must be a non-zero multiple of 2048 bytes, got ${image.length}`);
  }
}

export class Cartridge3F extends BaseCartridge {
  readonly scheme = '3F';
  override readonly snoopsBus = true;
  private readonly rom: Uint8Array;
  private readonly bankCount: number;
  private readonly lastOffset: number;
  private bank = 0;
  private offset = 0;
  private host: CartridgeHost | null = null;

  constructor(image: Uint8Array, rng: RandomSource) {
    super(image.length, rng);
    checkTigervisionSize(image, '3F');
    this.rom = romCopy(image, image.length, '3F');
    this.bankCount = image.length / 2048;
    this.lastOffset = image.length - 2048;
  }

  override connect(host: CartridgeHost): void {
    this.host = host;
  }

  private select(value: number): void {
    const b = value < this.bankCount ? value : value % this.bankCount;
    this.bank = b;
    this.offset = b << 11;
  }

  reset(): void {
    this.select(0);
  }

  peek(addr: number): number {
    const a = addr & 0xfff;
    return a < 0x800 ? this.rom[this.offset + a]! : this.rom[this.lastOffset + (a & 0x7ff)]!;
  }

  poke(addr: number, value: number): void {
    const a = addr & 0xfff;
    if (a <= 0x3f) this.select(value);
    this.host?.tiaPoke(a, value);
  }

  override snoopRead(addr: number, value: number): number {
    const a = addr & 0x1fff;
    return a < 0x40 ? this.rom[this.offset + a]! : value;
  }

  override snoopWrite(addr: number, value: number): void {
    if ((addr & 0x1fff) < 0x40) this.select(value);
  }

  banks(): number[] {
    return [this.bank];
  }

  protected setBanks(banks: readonly number[]): void {
    this.select(banks[0]!);
  }
}

export class Cartridge3E extends BaseCartridge {
  readonly scheme = '3E';
  override readonly snoopsBus = true;
  private readonly rom: Uint8Array;
  private readonly ramBuf = new Uint8Array(32768);
  private readonly bankCount: number;
  private readonly lastOffset: number;
  /** 0..255: ROM bank; 256 + n: RAM bank n (Stella's numbering). */
  private bank = 0;
  private romOffset = 0;
  private ramOffset = 0;
  private ramMode = false;
  private host: CartridgeHost | null = null;

  constructor(image: Uint8Array, rng: RandomSource) {
    super(image.length, rng);
    checkTigervisionSize(image, '3E');
    this.rom = romCopy(image, image.length, '3E');
    this.bankCount = image.length / 2048;
    this.lastOffset = image.length - 2048;
    this.ram = this.ramBuf;
  }

  override connect(host: CartridgeHost): void {
    this.host = host;
  }

  private select(bank: number): void {
    if (bank < 256) {
      const b = bank < this.bankCount ? bank : bank % this.bankCount;
      this.bank = b;
      this.romOffset = b << 11;
      this.ramMode = false;
    } else {
      const r = (bank - 256) % 32;
      this.bank = 256 + r;
      this.ramOffset = r << 10;
      this.ramMode = true;
    }
  }

  reset(): void {
    this.randomizeRam();
    this.select(0);
  }

  private low(a: number): number {
    return this.ramMode ? this.ramBuf[this.ramOffset + (a & 0x3ff)]! : this.rom[this.romOffset + a]!;
  }

  peek(addr: number): number {
    const a = addr & 0xfff;
    return a < 0x800 ? this.low(a) : this.rom[this.lastOffset + (a & 0x7ff)]!;
  }

  poke(addr: number, value: number): void {
    const a = addr & 0xfff;
    if (this.ramMode && a >= 0x400 && a < 0x800) {
      this.ramBuf[this.ramOffset + (a & 0x3ff)] = value;
      return;
    }
    if (a === 0x3f) this.select(value);
    else if (a === 0x3e) this.select(value + 256);
    this.host?.tiaPoke(a, value);
  }

  override snoopRead(addr: number, value: number): number {
    const a = addr & 0x1fff;
    return a < 0x40 ? this.low(a) : value;
  }

  override snoopWrite(addr: number, value: number): void {
    const a = addr & 0x1fff;
    if (a === 0x3f) this.select(value);
    else if (a === 0x3e) this.select(value + 256);
  }

  banks(): number[] {
    return [this.bank];
  }

  protected setBanks(banks: readonly number[]): void {
    this.select(banks[0]!);
  }
}

export class CartridgeUA extends BaseCartridge {
  readonly scheme = 'UA';
  override readonly snoopsBus = true;
  private readonly rom: Uint8Array;
  private offset = 0;

  constructor(image: Uint8Array, rng: RandomSource) {
    super(image.length, rng);
    this.rom = romCopy(image, 8192, 'UA');
  }

  reset(): void {
    this.offset = 0;
  }

  peek(addr: number): number {
    return this.rom[this.offset + (addr & 0xfff)]!;
  }

  poke(_addr: number, _value: number): void {}

  override snoopRead(addr: number, value: number): number {
    const a = addr & 0x1fff;
    if (a === 0x220) this.offset = 0;
    else if (a === 0x240) this.offset = 4096;
    return value;
  }

  override snoopWrite(addr: number, _value: number): void {
    const a = addr & 0x1fff;
    if (a === 0x220) this.offset = 0;
    else if (a === 0x240) this.offset = 4096;
  }

  banks(): number[] {
    return [this.offset >> 12];
  }

  protected setBanks(banks: readonly number[]): void {
    this.offset = (banks[0]! & 1) << 12;
  }
}
