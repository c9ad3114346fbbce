/**
 * The Atari 2600 as ALE 0.12.1 assembles it (Console.cxx, System.cxx): the 6507, the
 * RIOT, the TIA and a cartridge on one 13-bit bus, one system random generator, and a
 * frame loop driven by the TIA.
 *
 * Facts it follows:
 * - Address decoding by 64-byte pages of the 13-bit bus: A12 set = cartridge; else A7
 *   clear = TIA (reads decode 4 bits, writes 6); else A9 clear = RAM (address & $7F);
 *   else the RIOT registers. Devices get the CPU's full 16-bit address, as in ALE (the
 *   FE cartridge scheme needs A13). Every access leaves its byte on the data bus, which TIA reads show in
 *   their low 6 bits.
 * - Construction: the system generator (std::mt19937) is seeded with system_random_seed
 *   (4753849); the RIOT fills RAM with 128 draws and resets (1 draw). When the ROM's
 *   Display.Format property is AUTO-DETECT (the usual case) the console resets, runs 60
 *   frames and calls it PAL when at least 15 of the last 30 had more than 285 lines;
 *   then it resets again. A reset resets the cycle counter, then the RIOT (1 draw), the
 *   TIA, the cartridge (its RAM draws) and the CPU, in that order.
 * - One frame = the CPU runs until the TIA ends the frame, at most 25000 instructions.
 *   A jammed CPU throws (ALE would silently freeze the machine).
 */
import { Cpu6502, FULL_ADDRESS_MASK, type FastBus } from './cpu.js';
import { ALE_SYSTEM_RANDOM_SEED, createCartridge, md5Hex, type Cartridge, type CartridgeHost } from './cart/index.js';
import { InputState, Ports } from './controls.js';
import { MT19937 } from './mt19937.js';
import { romProps, type RomProps } from './props.js';
import { Riot } from './riot.js';
import { Tia, type TiaHost } from './tia.js';

/** Instructions the CPU may run in one frame call (ALE's TIA::update budget). */
export const FRAME_INSTRUCTION_LIMIT = 25000;

const NO_WINDOW = new Uint8Array(0);

export interface MachineOptions {
  /** The ROM's md5, when the caller has it. */
  md5?: string;
  /** Properties to use instead of the table's (tests). */
  props?: RomProps;
  /** ALE's system_random_seed. */
  systemSeed?: number;
  /** A ready cartridge instead of one built from the image (tests); it must draw from `rng`. */
  cartridge?: (rng: MT19937) => Cartridge;
  /** Let the CPU take its fast path (default true; false runs the reference step() loop, for tests). */
  fastCpu?: boolean;
}

export class Machine implements FastBus, TiaHost, CartridgeHost {
  readonly cpu: Cpu6502;
  readonly tia: Tia;
  readonly riot: Riot;
  readonly cart: Cartridge;
  readonly input = new InputState();
  readonly ports: Ports;
  readonly props: RomProps;
  readonly md5: string;
  /** The system random generator (RAM, timer and cartridge RAM initialisation). */
  readonly rng: MT19937;
  readonly displayFormat: 'NTSC' | 'PAL';
  /** The last byte moved on the data bus. */
  dataBus = 0;
  /** Whether the last bus access was a read (WSYNC looks at the one before a write). */
  lastAccessWasRead = true;

  /** FastBus: RAM for the CPU's fast path (null with a snooping cartridge: it must see every access). */
  readonly fastRam: Uint8Array | null;
  readonly cartQuietLo: number;
  readonly cartQuietHi: number;

  private readonly ram: Uint8Array;
  /** The 4K cartridge window when the cartridge never switches banks (plain 2K/4K), for speed. */
  private readonly fixedRom: Uint8Array | null;
  private readonly snoop: boolean;

  constructor(rom: Uint8Array, opts: MachineOptions = {}) {
    this.md5 = opts.md5 ?? md5Hex(rom);
    const props = { ...(opts.props ?? romProps(this.md5)) };
    this.rng = new MT19937(opts.systemSeed ?? ALE_SYSTEM_RANDOM_SEED);
    this.cart = opts.cartridge ? opts.cartridge(this.rng) : createCartridge(rom, { rng: this.rng, md5: this.md5 });
    this.ports = new Ports(this.input, props);
    this.cpu = new Cpu6502(this, FULL_ADDRESS_MASK);
    this.riot = new Riot(this.cpu, this.rng, this.ports);
    this.ram = this.riot.ram;
    this.props = props;
    this.tia = new Tia(this, this.ports, props);
    this.cart.connect(this);
    this.snoop = this.cart.snoopsBus;
    this.fastRam = this.snoop ? null : this.ram;
    const window = this.snoop ? null : this.cart.romWindow();
    this.cartQuietLo = window ? this.cart.quietLo : 0;
    this.cartQuietHi = window ? this.cart.quietHi : -1;
    // Without a ROM window nearly every instruction would leave the fast path again.
    if (window && opts.fastCpu !== false) this.cpu.useFastBus(this);
    this.fixedRom = this.cart.scheme === '2K' || this.cart.scheme === '4K' ? window : null;

    let format: 'NTSC' | 'PAL' = props.format === 'PAL' ? 'PAL' : 'NTSC';
    if (props.format === 'AUTO-DETECT') {
      this.systemReset(false);
      let palFrames = 0;
      for (let i = 0; i < 60; i++) {
        this.runFrame();
        if (i >= 30 && this.tia.scanlines() > 285) palFrames++;
      }
      format = palFrames >= 15 ? 'PAL' : 'NTSC';
    }
    this.displayFormat = format;
    if (format === 'PAL' && props.height === 210) props.height = 250;
    this.systemReset();
  }

  /** ALE's System::reset: cycle counter, RIOT, TIA, cartridge, CPU. */
  systemReset(pal = this.displayFormat === 'PAL'): void {
    this.resetCycles();
    this.riot.reset();
    this.tia.reset(pal);
    this.cart.reset();
    this.cpu.reset();
  }

  /** Devices adjust their remembered cycle counts, then the counter goes back to 0. */
  resetCycles(): void {
    const cycles = this.cpu.cycles;
    this.riot.cyclesReset(cycles);
    this.tia.cyclesReset(cycles);
    this.cart.cyclesReset();
    this.cpu.cycles = 0;
  }

  /** One ALE frame (TIA::update). Throws the CPU's jam error if the CPU jams. */
  runFrame(): void {
    this.tia.beginUpdate();
    this.cpu.run(FRAME_INSTRUCTION_LIMIT);
    if (this.cpu.jamError) throw this.cpu.jamError;
    this.tia.endUpdate();
  }

  /** The picture: `height` lines of 160 palette indices (a view of the TIA's buffer). */
  screen(): Uint8Array {
    return this.tia.current.subarray(0, 160 * this.tia.frameHeight);
  }

  /** RIOT RAM ($80-$FF). */
  get ramBytes(): Uint8Array {
    return this.ram;
  }

  // ------------------------------------------------------------------ bus

  peek(addr: number): number {
    // The common cases first, kept small so that the CPU's calls inline them.
    const rom = this.fixedRom;
    let value: number;
    if (addr & 0x1000 && rom !== null) value = rom[addr & 0xfff]!;
    else if ((addr & 0x1280) === 0x80 && !this.snoop) value = this.ram[addr & 0x7f]!;
    else return this.peekDevice(addr);
    this.dataBus = value;
    this.lastAccessWasRead = true;
    return value;
  }

  private peekDevice(addr: number): number {
    let value: number;
    if (addr & 0x1000) {
      value = this.cart.peek(addr);
    } else {
      if (!(addr & 0x80)) value = this.tia.peek(addr);
      else if (!(addr & 0x200)) value = this.ram[addr & 0x7f]!;
      else value = this.riot.peek(addr);
      if (this.snoop) value = this.cart.snoopRead(addr & 0x1fff, value);
    }
    this.dataBus = value;
    this.lastAccessWasRead = true;
    return value;
  }

  poke(addr: number, value: number): void {
    if (addr & 0x1000) {
      this.cart.poke(addr, value);
    } else {
      if (!(addr & 0x80)) this.tia.poke(addr, value);
      else if (!(addr & 0x200)) this.ram[addr & 0x7f] = value;
      else this.riot.poke(addr, value);
      if (this.snoop) this.cart.snoopWrite(addr & 0x1fff, value);
    }
    this.dataBus = value;
    this.lastAccessWasRead = false;
  }

  cartWindow(): Uint8Array {
    return this.cart.romWindow() ?? NO_WINDOW;
  }

  quietIntimPolls(cycle: number, period: number): number {
    return this.riot.quietNonZeroReads(cycle, period);
  }

  // ------------------------------------------------------- CartridgeHost

  cycles(): number {
    return this.cpu.cycles;
  }

  tiaPoke(addr: number, value: number): void {
    this.tia.poke(addr, value);
  }
}
