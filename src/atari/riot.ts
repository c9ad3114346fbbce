/**
 * The 6532 RIOT as ALE's Stella core models it (src/ale/emucore/M6532.cxx): 128 bytes of
 * RAM, the interval timer and the two I/O ports.
 *
 * Facts this class reproduces:
 * - RAM is filled at construction with 128 draws of the system generator (low byte of
 *   each), then the constructor performs a reset. It is never refilled afterwards.
 * - Every reset draws once more: the timer restarts at 25 + draw % 75 with the 64-cycle
 *   interval, as if set at system cycle 0.
 * - Reading the timer: with n = cycles - 1 - (cycle of the last TIMxT write), the value
 *   is T - (n >> shift) - 1 while that is >= 0. After it expires the counter runs down at
 *   one per cycle; the first read that sees it 2 or more cycles past expiry latches the
 *   "read after interrupt" state, after which reads continue the interval count shifted
 *   by the delay of that read, and TIMINT reads 0. TIMINT is $80 between expiry and that
 *   read. All arithmetic is the model's 32-bit (unsigned for cycle counts) arithmetic.
 * - Registers decode on the low 3 address bits for reads (SWCHA, SWACNT, SWCHB, SWBCNT,
 *   INTIM, TIMINT, INTIM, TIMINT); writes: bits 0-2 = 0 SWCHA (no effect on joysticks or
 *   paddles), 1 SWACNT, 2/3 ignored, then (addr & $17) = $14..$17 set the timer with
 *   intervals 1, 8, 64, 1024; other writes (edge detect control) do nothing. SWBCNT
 *   always reads 0.
 */
import type { Cpu6502 } from './cpu.js';
import type { RandomSource } from './cart/index.js';
import type { Ports } from './controls.js';

const SHIFTS = [0, 3, 6, 10] as const;

export interface RiotState {
  ram: Uint8Array;
  timer: number;
  shift: number;
  whenSet: number;
  whenInterruptReset: number;
  readAfterInterrupt: boolean;
  ddra: number;
  ddrb: number;
}

export class Riot {
  readonly ram = new Uint8Array(128);
  private timer = 0;
  private shift = 6;
  /** System cycle of the last timer write (uint32 arithmetic). */
  private whenSet = 0;
  private whenInterruptReset = 0;
  private readAfterInterrupt = false;
  private ddra = 0;
  private ddrb = 0;

  constructor(
    private readonly cpu: Cpu6502,
    private readonly rng: RandomSource,
    private readonly ports: Ports,
  ) {
    for (let i = 0; i < 128; i++) this.ram[i] = this.rng.next() & 0xff;
    this.reset();
  }

  reset(): void {
    this.timer = 25 + ((this.rng.next() >>> 0) % 75);
    this.shift = 6;
    this.whenSet = 0;
    this.whenInterruptReset = 0;
    this.readAfterInterrupt = false;
    this.ddra = 0;
    this.ddrb = 0;
  }

  /** The system cycle counter is about to go back to 0 from `cycles`. */
  cyclesReset(cycles: number): void {
    this.whenSet = (this.whenSet - cycles) >>> 0;
    this.whenInterruptReset = (this.whenInterruptReset - cycles) >>> 0;
  }

  peek(addr: number): number {
    switch (addr & 7) {
      case 0:
        return this.ports.swcha();
      case 1:
        return this.ddra;
      case 2:
        return this.ports.swchb();
      case 3:
        return this.ddrb;
      case 4:
      case 6:
        return this.readTimer();
      default: {
        // TIMINT
        const delta = (((this.cpu.cycles - 1) >>> 0) - this.whenSet) >>> 0;
        const left = (this.timer - ((delta >>> this.shift) | 0) - 1) | 0;
        return left >= 0 || this.readAfterInterrupt ? 0x00 : 0x80;
      }
    }
  }

  private readTimer(): number {
    const delta = (((this.cpu.cycles - 1) >>> 0) - this.whenSet) >>> 0;
    const intervals = (delta >>> this.shift) | 0;
    let value = (this.timer - intervals - 1) | 0;
    if (value >= 0) return value & 0xff;
    const span = (this.timer << this.shift) >>> 0;
    value = ((span | 0) - (delta | 0) - 1) | 0;
    if (value <= -2 && !this.readAfterInterrupt) {
      this.readAfterInterrupt = true;
      this.whenInterruptReset = this.cpu.cycles >>> 0;
    }
    if (this.readAfterInterrupt) {
      const offset = (this.whenInterruptReset - ((this.whenSet + span) >>> 0)) | 0;
      value = (this.timer - intervals - offset) | 0;
    }
    return value & 0xff;
  }

  /**
   * For a CPU polling INTIM until it reads 0: how many reads in a row, the first at cycle
   * `cycle` (the count a peek would see) and then every `period` cycles, would find the
   * timer still running and return a non-zero value. Such reads change nothing (see
   * readTimer: before expiry the value is timer - intervals - 1 and no state is touched).
   */
  quietNonZeroReads(cycle: number, period: number): number {
    const delta = (((cycle - 1) >>> 0) - this.whenSet) >>> 0;
    // timer - (delta >> shift) - 1 >= 1  <=>  delta < (timer - 1) << shift
    const end = (this.timer - 1) << this.shift;
    if (!(delta < end)) return 0;
    return Math.floor((end - 1 - delta) / period) + 1;
  }

  poke(addr: number, value: number): void {
    const low = addr & 7;
    if (low === 0) return; // SWCHA: joysticks and paddles ignore writes
    if (low === 1) {
      this.ddra = value;
      return;
    }
    if (low === 2 || low === 3) return;
    if ((addr & 0x14) === 0x14) {
      this.timer = value;
      this.shift = SHIFTS[addr & 3]!;
      this.whenSet = this.cpu.cycles >>> 0;
      this.readAfterInterrupt = false;
    }
  }

  saveState(): RiotState {
    return {
      ram: this.ram.slice(), timer: this.timer, shift: this.shift, whenSet: this.whenSet,
      whenInterruptReset: this.whenInterruptReset, readAfterInterrupt: this.readAfterInterrupt,
      ddra: this.ddra, ddrb: this.ddrb,
    };
  }

  loadState(s: RiotState): void {
    this.ram.set(s.ram);
    this.timer = s.timer;
    this.shift = s.shift;
    this.whenSet = s.whenSet;
    this.whenInterruptReset = s.whenInterruptReset;
    this.readAfterInterrupt = s.readAfterInterrupt;
    this.ddra = s.ddra;
    this.ddrb = s.ddrb;
  }
}
