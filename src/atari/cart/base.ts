/** Shared plumbing for the cartridge classes: defaults for the optional hooks and state checks. */
import {
  CartridgeError,
  type Cartridge,
  type CartridgeHost,
  type CartridgeState,
  type RandomSource,
} from './types.js';

export abstract class BaseCartridge implements Cartridge {
  abstract readonly scheme: string;
  readonly snoopsBus: boolean = false;
  /** Cartridge RAM, or null for schemes without it. */
  protected ram: Uint8Array | null = null;

  constructor(
    readonly romSize: number,
    protected readonly rng: RandomSource,
  ) {}

  abstract reset(): void;
  abstract peek(addr: number): number;
  abstract poke(addr: number, value: number): void;
  abstract banks(): number[];
  /** Re-select the banks a state recorded (validated by `loadState`). */
  protected abstract setBanks(banks: readonly number[]): void;

  readonly quietLo: number = 0;
  readonly quietHi: number = -1;

  romWindow(): Uint8Array | null {
    return null;
  }

  snoopRead(_addr: number, value: number): number {
    return value;
  }

  snoopWrite(_addr: number, _value: number): void {}

  connect(_host: CartridgeHost): void {}

  cyclesReset(): void {}

  /** Scheme-specific registers for the state (none by default). */
  protected saveRegs(): number[] {
    return [];
  }

  protected loadRegs(_regs: readonly number[]): void {}

  /** Fill the cartridge RAM from the system generator: one draw per byte, low 8 bits, address order. */
  protected randomizeRam(): void {
    const ram = this.ram;
    if (!ram) return;
    for (let i = 0; i < ram.length; i++) ram[i] = this.rng.next() & 0xff;
  }

  saveState(): CartridgeState {
    return {
      scheme: this.scheme,
      banks: this.banks(),
      ram: this.ram ? this.ram.slice() : null,
      regs: this.saveRegs(),
    };
  }

  loadState(state: CartridgeState): void {
    if (state.scheme !== this.scheme) {
      throw new CartridgeError(`cannot load a ${state.scheme} cartridge state into a ${this.scheme} cartridge`);
    }
    const banks = this.banks();
    if (state.banks.length !== banks.length) {
      throw new CartridgeError(`a ${this.scheme} cartridge state needs ${banks.length} bank numbers, got ${state.banks.length}`);
    }
    if ((state.ram === null) !== (this.ram === null) || (state.ram && this.ram && state.ram.length !== this.ram.length)) {
      throw new CartridgeError(`the ${this.scheme} cartridge state has the wrong RAM size`);
    }
    this.setBanks(state.banks);
    if (state.ram && this.ram) this.ram.set(state.ram);
    this.loadRegs(state.regs);
  }
}

/** Copies `size` bytes of the image (throws when it is shorter). */
export function romCopy(image: Uint8Array, size: number, scheme: string, from = 0): Uint8Array {
  if (image.length < from + size) {
    throw new CartridgeError(`a ${scheme} cartridge needs a ROM image of at least ${from + size} bytes, got ${image.length}`);
  }
  return image.slice(from, from + size);
}
