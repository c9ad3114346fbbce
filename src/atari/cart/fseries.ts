/**
 * The Atari "F" family: 4K banks selected by touching one of N consecutive hotspots at
 * the top of the bank (F8: $1FF8-$1FF9, F6: $1FF6-$1FF9, F4: $1FF4-$1FFB, FA/FASC:
 * $1FF8-$1FFA), with optional on-cartridge RAM (Superchip "SC": 128 bytes written at
 * $1000-$107F and read at $1080-$10FF; CBS RAM Plus FASC: 256 bytes written at
 * $1000-$10FF, read at $1100-$11FF). Also MB (Dynacom Megaboy, 16 banks stepped by $1FF0).
 *
 * Behaviour as in ALE's Stella (CartF8.cxx, CartF8SC.cxx, CartF6*.cxx, CartF4*.cxx, CartFASC.cxx):
 * - a read or a write of a hotspot switches; the read returns the byte of the NEW bank;
 * - a read of a RAM write port returns the ROM byte at that address in the current bank,
 *   a write to a RAM read port is ignored;
 * - F4SC is the exception that does not switch on writes (its poke compares the unmasked
 *   address with $0FF4-$0FFB, which a cartridge address never equals);
 * - starting banks: F8 1 (F8 swapped 0), F8SC 1, F6 0, F6SC 0, F4 0, F4SC 0, FASC 2, MB 1;
 * - SC/FASC RAM is refilled from the system generator at every reset.
 */
import { BaseCartridge, romCopy } from './base.js';
import { CartridgeError, type RandomSource } from './types.js';

interface FamilySpec {
  bankCount: number;
  firstHotspot: number;
  startBank: number;
  ramSize: number;
  writesSwitch: boolean;
}

const FAMILY: Readonly<Record<string, FamilySpec>> = {
  F8: { bankCount: 2, firstHotspot: 0xff8, startBank: 1, ramSize: 0, writesSwitch: true },
  'F8 swapped': { bankCount: 2, firstHotspot: 0xff8, startBank: 0, ramSize: 0, writesSwitch: true },
  F8SC: { bankCount: 2, firstHotspot: 0xff8, startBank: 1, ramSize: 128, writesSwitch: true },
  F6: { bankCount: 4, firstHotspot: 0xff6, startBank: 0, ramSize: 0, writesSwitch: true },
  F6SC: { bankCount: 4, firstHotspot: 0xff6, startBank: 0, ramSize: 128, writesSwitch: true },
  F4: { bankCount: 8, firstHotspot: 0xff4, startBank: 0, ramSize: 0, writesSwitch: true },
  F4SC: { bankCount: 8, firstHotspot: 0xff4, startBank: 0, ramSize: 128, writesSwitch: false },
  FASC: { bankCount: 3, firstHotspot: 0xff8, startBank: 2, ramSize: 256, writesSwitch: true },
};

export const F_FAMILY_SCHEMES: readonly string[] = Object.keys(FAMILY);

export class FSeriesCartridge extends BaseCartridge {
  readonly scheme: string;
  private readonly rom: Uint8Array;
  private readonly hotLo: number;
  private readonly hotHi: number;
  private readonly startBank: number;
  private readonly writesSwitch: boolean;
  /** RAM size in bytes (0 when none); the RAM ports span $000..2*ramSize-1. */
  private readonly ramSize: number;
  private readonly ramPorts: number;
  private readonly ramBuf: Uint8Array;
  /** Byte offset of the current bank in `rom` (bank * 4096). */
  private offset = 0;
  /** One view of `rom` per bank, for romWindow(). */
  private readonly windows: Uint8Array[] = [];
  /** Below: the RAM ports; above: the hotspots and the vectors after them. */
  override readonly quietLo: number;
  override readonly quietHi: number;

  constructor(scheme: string, image: Uint8Array, rng: RandomSource) {
    super(image.length, rng);
    const spec = FAMILY[scheme];
    if (!spec) throw new CartridgeError(`unknown F-family scheme ${scheme}`);
    this.scheme = scheme;
    this.rom = romCopy(image, spec.bankCount * 4096, scheme);
    this.hotLo = spec.firstHotspot;
    this.hotHi = spec.firstHotspot + spec.bankCount - 1;
    this.startBank = spec.startBank;
    this.writesSwitch = spec.writesSwitch;
    this.ramSize = spec.ramSize;
    this.ramPorts = 2 * spec.ramSize;
    this.ramBuf = new Uint8Array(spec.ramSize);
    this.ram = spec.ramSize > 0 ? this.ramBuf : null;
    this.offset = spec.startBank << 12;
    for (let b = 0; b < spec.bankCount; b++) this.windows.push(this.rom.subarray(b << 12, (b + 1) << 12));
    this.quietLo = this.ramPorts;
    this.quietHi = this.hotLo - 1;
  }

  override romWindow(): Uint8Array {
    return this.windows[this.offset >> 12]!;
  }

  reset(): void {
    this.randomizeRam();
    this.offset = this.startBank << 12;
  }

  peek(addr: number): number {
    const a = addr & 0xfff;
    if (a < this.ramPorts) {
      // read port -> RAM; write port -> the ROM byte underneath (Stella's behaviour)
      return a >= this.ramSize ? this.ramBuf[a - this.ramSize]! : this.rom[this.offset + a]!;
    }
    if (a >= this.hotLo && a <= this.hotHi) this.offset = (a - this.hotLo) << 12;
    return this.rom[this.offset + a]!;
  }

  poke(addr: number, value: number): void {
    const a = addr & 0xfff;
    if (a < this.ramSize) {
      this.ramBuf[a] = value;
      return;
    }
    if (this.writesSwitch && a >= this.hotLo && a <= this.hotHi) this.offset = (a - this.hotLo) << 12;
  }

  banks(): number[] {
    return [this.offset >> 12];
  }

  protected setBanks(banks: readonly number[]): void {
    const b = banks[0]!;
    if (!(b >= 0 && b < this.rom.length >> 12)) throw new CartridgeError(`bank ${b} out of range for ${this.scheme}`);
    this.offset = b << 12;
  }
}

/** MB (Dynacom Megaboy): 16 4K banks; any access to $1FF0 steps to the next bank (mod 16). Starts in bank 1. */
export class CartridgeMB extends BaseCartridge {
  readonly scheme = 'MB';
  private readonly rom: Uint8Array;
  private bank = 1;

  constructor(image: Uint8Array, rng: RandomSource) {
    super(image.length, rng);
    this.rom = romCopy(image, 65536, 'MB');
  }

  reset(): void {
    this.bank = 1;
  }

  peek(addr: number): number {
    const a = addr & 0xfff;
    if (a === 0xff0) this.bank = (this.bank + 1) & 15;
    return this.rom[(this.bank << 12) + a]!;
  }

  poke(addr: number, _value: number): void {
    if ((addr & 0xfff) === 0xff0) this.bank = (this.bank + 1) & 15;
  }

  banks(): number[] {
    return [this.bank];
  }

  protected setBanks(banks: readonly number[]): void {
    this.bank = banks[0]! & 15;
  }
}
