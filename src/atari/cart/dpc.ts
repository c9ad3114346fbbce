/**
 * DPC (Activision's Display Processor Chip; Pitfall II), as ALE 0.12.1 emulates it
 * (CartDPC.cxx). The image is 8K of program ROM (two F8-style banks, hotspots $1FF8/$1FF9,
 * starting bank 1) followed by 2K of display ROM (10240 bytes; the common dumps carry
 * 255 or 256 extra bytes that are ignored).
 *
 * The chip, at $1000-$107F:
 * - eight data fetchers, each with an 8-bit top, 8-bit bottom, 11-bit counter and a flag;
 * - reads $1000-$103F: index = addr & 7, function = (addr >> 3) & 7. First the flag is
 *   updated (counter low byte == top -> $FF, else == bottom -> $00). Function 0 reads the
 *   random number (fetchers 0-3) or the music amplitude (4-7); 1 reads display ROM byte
 *   [2047 - counter]; 2 the same AND the flag; 7 the flag; others 0. Then the counter
 *   counts down (mod 2048), except for fetchers 5-7 while in music mode;
 * - writes $1040-$107F: function 0 sets top (and clears the flag), 1 bottom, 2 counter low
 *   (a music-mode fetcher loads its top instead), 3 counter high (3 bits; bit 4 turns music
 *   mode on/off for fetchers 5-7), 6 resets the random number to 1; others nothing;
 * - an 8-bit shift register random number generator (new bit 0 = NOT(b7 ^ b5 ^ b4 ^ b3)),
 *   clocked once per access that reaches the chip in Stella: every write to cartridge
 *   space, and every read of $1000-$107F or of the hotspot page $1FC0-$1FFF (Stella reads
 *   the rest of the ROM without involving the chip);
 * - music mode: fetchers 5-7 count down at the 15750 Hz oscillator (derived from the
 *   system cycle count, fractional clocks kept in a double), brought up to date only when
 *   a music amplitude is read; the amplitude is a table lookup of the three flags.
 * Reads at $1040-$107F are ordinary program ROM (with the hotspot check).
 *
 * Stella's reset only re-selects bank 1 and restarts the oscillator bookkeeping; fetcher
 * registers and the random number keep their values (they are zero / 1 at power-on).
 */
import { BaseCartridge, romCopy } from './base.js';
import { CartridgeError, type CartridgeHost, type RandomSource } from './types.js';

/** Input bit of the shift register for (b7, b5, b4, b3) packed as b7<<3 | b5<<2 | b4<<1 | b3. */
const RNG_FEEDBACK = [1, 0, 0, 1, 0, 1, 1, 0, 0, 1, 1, 0, 1, 0, 0, 1];
const MUSIC_AMPLITUDES = [0x00, 0x04, 0x05, 0x09, 0x06, 0x0a, 0x0b, 0x0f];
/** DPC oscillator clocks per system (CPU) cycle: 15750 Hz over the NTSC CPU clock. */
const OSC_HZ = 15750.0;
const CPU_HZ = 1193191.66666667;

export class CartridgeDPC extends BaseCartridge {
  readonly scheme = 'DPC';
  private readonly program: Uint8Array;
  private readonly display: Uint8Array;
  private offset = 1 << 12;
  private readonly tops = new Uint8Array(8);
  private readonly bottoms = new Uint8Array(8);
  private readonly counters = new Uint16Array(8);
  private readonly flags = new Uint8Array(8);
  private readonly musicMode = [false, false, false];
  private randomNumber = 1;
  private systemCycles = 0;
  private fractionalClocks = 0.0;
  private host: CartridgeHost | null = null;

  constructor(image: Uint8Array, rng: RandomSource) {
    super(image.length, rng);
    if (image.length < 10240) {
      throw new CartridgeError(`a DPC ROM image needs at least 10240 bytes (8K program + 2K display), got ${image.length}`);
    }
    this.program = romCopy(image, 8192, 'DPC');
    this.display = romCopy(image, 2048, 'DPC', 8192);
  }

  override connect(host: CartridgeHost): void {
    this.host = host;
  }

  private cycles(): number {
    return this.host ? this.host.cycles() : 0;
  }

  override cyclesReset(): void {
    this.systemCycles -= this.cycles();
  }

  reset(): void {
    this.systemCycles = this.cycles();
    this.fractionalClocks = 0.0;
    this.offset = 1 << 12;
  }

  private clockRandom(): void {
    const r = this.randomNumber;
    const bit = RNG_FEEDBACK[((r >> 3) & 0x07) | (r & 0x80 ? 0x08 : 0)]!;
    this.randomNumber = ((r << 1) | bit) & 0xff;
  }

  private updateMusicFetchers(): void {
    const now = this.cycles();
    const cycles = (now - this.systemCycles) | 0;
    this.systemCycles = now;
    const clocks = (OSC_HZ * cycles) / CPU_HZ + this.fractionalClocks;
    const whole = Math.trunc(clocks);
    this.fractionalClocks = clocks - whole;
    if (whole <= 0) return;
    for (let x = 5; x <= 7; x++) {
      if (!this.musicMode[x - 5]) continue;
      const top = this.tops[x]!;
      let newLow = this.counters[x]! & 0xff;
      if (top !== 0) {
        newLow -= whole % (top + 1);
        if (newLow < 0) newLow += top + 1;
      } else {
        newLow = 0;
      }
      if (newLow <= this.bottoms[x]!) this.flags[x] = 0x00;
      else if (newLow <= top) this.flags[x] = 0xff;
      this.counters[x] = (this.counters[x]! & 0x0700) | newLow;
    }
  }

  private readChip(a: number): number {
    const index = a & 0x07;
    const fn = (a >> 3) & 0x07;
    const low = this.counters[index]! & 0xff;
    if (low === this.tops[index]) this.flags[index] = 0xff;
    else if (low === this.bottoms[index]) this.flags[index] = 0x00;

    let result = 0;
    switch (fn) {
      case 0:
        if (index < 4) {
          result = this.randomNumber;
        } else {
          this.updateMusicFetchers();
          let i = 0;
          if (this.musicMode[0] && this.flags[5]) i |= 1;
          if (this.musicMode[1] && this.flags[6]) i |= 2;
          if (this.musicMode[2] && this.flags[7]) i |= 4;
          result = MUSIC_AMPLITUDES[i]!;
        }
        break;
      case 1:
        result = this.display[2047 - this.counters[index]!]!;
        break;
      case 2:
        result = this.display[2047 - this.counters[index]!]! & this.flags[index]!;
        break;
      case 7:
        result = this.flags[index]!;
        break;
      default:
        result = 0;
    }
    if (index < 5 || !this.musicMode[index - 5]) this.counters[index] = (this.counters[index]! - 1) & 0x07ff;
    return result;
  }

  peek(addr: number): number {
    const a = addr & 0xfff;
    if (a >= 0x80 && a < 0xfc0) return this.program[this.offset + a]!;
    this.clockRandom();
    if (a < 0x40) return this.readChip(a);
    if (a === 0xff8) this.offset = 0;
    else if (a === 0xff9) this.offset = 1 << 12;
    return this.program[this.offset + a]!;
  }

  poke(addr: number, value: number): void {
    const a = addr & 0xfff;
    this.clockRandom();
    if (a >= 0x40 && a < 0x80) {
      const index = a & 0x07;
      switch ((a >> 3) & 0x07) {
        case 0:
          this.tops[index] = value;
          this.flags[index] = 0x00;
          break;
        case 1:
          this.bottoms[index] = value;
          break;
        case 2:
          if (index >= 5 && this.musicMode[index - 5]) {
            this.counters[index] = (this.counters[index]! & 0x0700) | this.tops[index]!;
          } else {
            this.counters[index] = (this.counters[index]! & 0x0700) | value;
          }
          break;
        case 3:
          this.counters[index] = ((value & 0x07) << 8) | (this.counters[index]! & 0x00ff);
          if (index >= 5) this.musicMode[index - 5] = (value & 0x10) !== 0;
          break;
        case 6:
          this.randomNumber = 1;
          break;
        default:
          break;
      }
    } else if (a === 0xff8) {
      this.offset = 0;
    } else if (a === 0xff9) {
      this.offset = 1 << 12;
    }
  }

  banks(): number[] {
    return [this.offset >> 12];
  }

  protected setBanks(banks: readonly number[]): void {
    this.offset = (banks[0]! & 1) << 12;
  }

  /**
   * [random, tops x8, bottoms x8, counters x8, flags x8, music x3, systemCycles, fractional].
   * The fractional oscillator clock is stored as Stella stores it, truncated to 1e-8
   * (uint32(frac * 1e8)), so a save/restore round trip behaves like ALE's.
   */
  protected override saveRegs(): number[] {
    return [
      this.randomNumber,
      ...this.tops,
      ...this.bottoms,
      ...this.counters,
      ...this.flags,
      ...this.musicMode.map((m) => (m ? 1 : 0)),
      this.systemCycles,
      Math.trunc(this.fractionalClocks * 100000000.0) >>> 0,
    ];
  }

  protected override loadRegs(regs: readonly number[]): void {
    if (regs.length !== 1 + 8 * 4 + 3 + 2) throw new CartridgeError(`a DPC cartridge state needs 38 registers, got ${regs.length}`);
    let k = 0;
    this.randomNumber = regs[k++]! & 0xff;
    for (let i = 0; i < 8; i++) this.tops[i] = regs[k++]!;
    for (let i = 0; i < 8; i++) this.bottoms[i] = regs[k++]!;
    for (let i = 0; i < 8; i++) this.counters[i] = regs[k++]! & 0x7ff;
    for (let i = 0; i < 8; i++) this.flags[i] = regs[k++]!;
    for (let i = 0; i < 3; i++) this.musicMode[i] = regs[k++] !== 0;
    this.systemCycles = regs[k++]!;
    this.fractionalClocks = regs[k++]! / 100000000.0;
  }
}
