/**
 * The cartridge contract shared by every bank-switching scheme.
 *
 * Facts that shape it (learned from ALE 0.12.1's Stella core, src/ale/emucore/Cart*.cxx,
 * System.cxx, Console.cxx, and checked against the installed ale-py):
 * - The CPU reads and writes cartridge space ($1000-$1FFF of the 13-bit bus). Most
 *   schemes switch banks on an access (read OR write) to a "hotspot" address; a read of
 *   a hotspot returns the byte at that address in the NEW bank.
 * - Stella hands a device the address exactly as the CPU drove it (16 bits, not reduced
 *   to 13). Only the FE scheme looks above A12: it picks its 4K bank from A13 (code at
 *   $Dxxx runs in the second 4K of the image, code at $Fxxx in the first). Every other
 *   scheme masks the address itself, so passing a 13-bit address works for them.
 * - Cartridge RAM is filled at every system reset from the system's random generator
 *   (one std::mt19937 seeded with the `system_random_seed` setting, 4753849 by default),
 *   one draw per byte, low 8 bits kept, in address order. During a system reset the
 *   devices are reset in attach order: RIOT (1 draw: its timer), TIA (no draw), then the
 *   cartridge; so a cartridge's draws come right after the RIOT timer draw.
 * - A few schemes watch bus accesses outside cartridge space (3F/3E own $00-$3F, UA
 *   watches $0220/$0240); see `snoopsBus`.
 */

/** Raised for ROMs that cannot be turned into a cartridge (wrong size, empty, unsupported scheme). */
export class CartridgeError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CartridgeError';
  }
}

/** A source of 32-bit random numbers (MT19937 from ../mt19937.js fits). */
export interface RandomSource {
  next(): number;
}

/**
 * What a cartridge may ask of the machine it is plugged into. Only two schemes use it:
 * DPC reads the system cycle counter (its music oscillators run off it), and 3F/3E
 * forward writes made to cartridge space to the TIA, as Stella does.
 */
export interface CartridgeHost {
  /** The system cycle counter (CPU cycles since the last reset of the counter). */
  cycles(): number;
  /** A write to a TIA register (the TIA decodes the low 6 bits). */
  tiaPoke(addr: number, value: number): void;
}

/** A snapshot of a cartridge's mutable state (bank registers, RAM, chip registers). */
export interface CartridgeState {
  readonly scheme: string;
  /** The current bank / slice numbers, in the scheme's own order. */
  readonly banks: readonly number[];
  /** A copy of the cartridge RAM, or null when the scheme has none. */
  readonly ram: Uint8Array | null;
  /** Scheme-specific registers (DPC data fetchers, random number, oscillator clock). */
  readonly regs: readonly number[];
}

export interface Cartridge {
  /** ALE's name for the scheme: '2K', '4K', 'F8', 'F8 swapped', 'F8SC', 'F6', 'F6SC', 'F4', 'F4SC', 'FASC', 'E0', 'E7', 'FE', '3F', '3E', 'UA', 'CV', 'MB', 'DPC'. */
  readonly scheme: string;
  /** The ROM image size in bytes, as given. */
  readonly romSize: number;
  /**
   * True only for the schemes that must see bus accesses outside cartridge space
   * (3F, 3E, UA). When false, `snoopRead`/`snoopWrite` are no-ops and the bus need not
   * call them; a bus can check the flag once when the cartridge is plugged in and pick
   * a code path without any per-access cost for the other schemes.
   */
  readonly snoopsBus: boolean;

  /**
   * What Stella's Cartridge::reset does on a system reset: select the starting bank(s)
   * and refill cartridge RAM from the random source given at creation. Chip registers
   * that Stella keeps across resets (DPC's data fetchers and random number) are kept.
   * A freshly created cartridge is in its power-on state but has NOT been reset: call
   * reset() as part of the machine's system reset, after the RIOT's reset.
   */
  reset(): void;

  /**
   * A CPU read of cartridge space. `addr` is the address as the CPU drove it: bit 12 is
   * set; bits 13-15 may be present (FE needs A13; all other schemes ignore bits above 11).
   * May switch banks. Returns 0..255.
   */
  peek(addr: number): number;

  /** A CPU write to cartridge space (same address convention as `peek`). May switch banks or write RAM. */
  poke(addr: number, value: number): void;

  /**
   * Called by the bus, only when `snoopsBus`, for every CPU read OUTSIDE cartridge space,
   * after the normal device (TIA/RIOT) produced `value`; returns the byte the CPU sees.
   * `addr` is the 13-bit bus address. 3F/3E return their own ROM/RAM byte for $00-$3F
   * (Stella maps that page to the cartridge, so the TIA is not read there); UA switches on
   * $0220/$0240 and passes `value` through.
   */
  snoopRead(addr: number, value: number): number;

  /**
   * Called by the bus, only when `snoopsBus`, for every CPU write OUTSIDE cartridge space,
   * after the normal device got the write (the TIA still receives writes to $00-$3F).
   * 3F: any write to $00-$3F selects bank `value`; 3E: $3F selects ROM bank `value`, $3E
   * RAM bank `value`; UA: $0220 selects bank 0, $0240 bank 1.
   */
  snoopWrite(addr: number, value: number): void;

  /**
   * For the CPU's fast path: the 4K of ROM that `peek` returns right now at $1000-$1FFF
   * (indexed by addr & $FFF), or null when the scheme offers no such view. It is only valid
   * for offsets `quietLo`..`quietHi`, where a read has no side effect and returns ROM; other
   * offsets (hotspots, RAM ports) must go through `peek`. Only peek, poke, reset and
   * loadState can change what it returns: ask again after any of them.
   */
  romWindow(): Uint8Array | null;
  /** First offset (addr & $FFF) `romWindow` covers; with `quietHi` < `quietLo` it covers none. */
  readonly quietLo: number;
  /** Last offset `romWindow` covers. */
  readonly quietHi: number;

  /** Gives the cartridge the machine services it may need (DPC, 3F, 3E). Optional for other schemes. */
  connect(host: CartridgeHost): void;

  /** Call just before the machine sets its cycle counter back to 0 (Stella's systemCyclesReset). */
  cyclesReset(): void;

  /** The current bank numbers (same as `saveState().banks`), for debugging and tests. */
  banks(): number[];

  saveState(): CartridgeState;
  /** Restores a state from `saveState` of a cartridge of the same scheme and ROM. */
  loadState(state: CartridgeState): void;
}

export interface CartridgeOptions {
  /**
   * The system random generator; RAM-carrying schemes draw from it in reset(). Pass the
   * machine's own generator (the one the RIOT draws from) so the draw order matches ALE.
   * Default: a private MT19937 seeded with 4753849 (ALE's default system_random_seed).
   */
  rng?: RandomSource;
  /** Override the detected scheme (e.g. from a user's setting); must be one ALE knows. */
  scheme?: string;
  /** The ROM's md5 (hex), if the caller already has it; saves hashing the image. */
  md5?: string;
}
