/**
 * Atari 2600 cartridges: ALE 0.12.1's scheme detection and the bank-switching schemes.
 *
 *   const cart = createCartridge(romBytes, { rng: systemRng });
 *   cart.connect(host);   // DPC (cycle counter), 3F/3E (TIA forwarding); harmless for others
 *   cart.reset();         // during every system reset, after the RIOT's reset
 *   cart.peek(0xf000); cart.poke(0x1ff8, 0);
 *
 * The bus contract (see types.ts for details):
 * - every CPU access with A12 set goes to `peek`/`poke` with the address as the CPU drove
 *   it (FE needs A13; the others mask to 12 bits themselves);
 * - when `snoopsBus` is true (3F, 3E, UA only) every CPU access outside cartridge space is
 *   also shown to the cartridge: reads as `value = cart.snoopRead(addr13, value)` after the
 *   TIA/RIOT produced `value`, writes as `cart.snoopWrite(addr13, value)` after the TIA/RIOT
 *   got them. A bus can read the flag once at plug-in time, so other schemes cost nothing.
 */
import { MT19937 } from '../mt19937.js';
import { CartridgeDPC } from './dpc.js';
import { ALE_SCHEMES, autodetectScheme, detectScheme, md5Hex, md5SchemeTable } from './detect.js';
import { CartridgeFE } from './fe.js';
import { CartridgeMB, FSeriesCartridge, F_FAMILY_SCHEMES } from './fseries.js';
import { Cartridge2K, Cartridge4K, CartridgeCV } from './plain.js';
import { CartridgeE0, CartridgeE7 } from './segmented.js';
import { Cartridge3E, Cartridge3F, CartridgeUA } from './snooping.js';
import { CartridgeError, type Cartridge, type CartridgeOptions, type RandomSource } from './types.js';

export { CartridgeError, detectScheme, autodetectScheme, md5Hex, md5SchemeTable, ALE_SCHEMES };
export type { Cartridge, CartridgeHost, CartridgeOptions, CartridgeState, RandomSource } from './types.js';

/** ALE's default `system_random_seed`. */
export const ALE_SYSTEM_RANDOM_SEED = 4753849;

/** Schemes ALE can pick that this module does not emulate (none is used by ale-py's ROM set). */
export const UNSUPPORTED_SCHEMES: readonly string[] = ['AR', 'MC', '4A50', '0840'];

/** The schemes `createCartridge` builds. */
export const SUPPORTED_SCHEMES: readonly string[] = [
  '2K', '4K', 'CV', ...F_FAMILY_SCHEMES, 'MB', 'E0', 'E7', 'FE', '3F', '3E', 'UA', 'DPC',
];

/**
 * Builds the cartridge ALE would build for this image: the scheme is `opts.scheme`, else
 * ALE's md5 table, else ALE's auto-detection. Throws CartridgeError for empty or
 * unrecognised images and for schemes this module does not emulate.
 */
export function createCartridge(rom: Uint8Array, opts: CartridgeOptions = {}): Cartridge {
  if (!(rom instanceof Uint8Array)) throw new CartridgeError('the ROM image must be a Uint8Array');
  if (rom.length === 0) throw new CartridgeError('the ROM image is empty (0 bytes)');
  const scheme = opts.scheme ?? detectScheme(rom, opts.md5);
  const rng: RandomSource = opts.rng ?? new MT19937(ALE_SYSTEM_RANDOM_SEED);

  if (F_FAMILY_SCHEMES.includes(scheme)) return new FSeriesCartridge(scheme, rom, rng);
  switch (scheme) {
    case '2K':
      return new Cartridge2K(rom, rng);
    case '4K':
      return new Cartridge4K(rom, rng);
    case 'CV':
      return new CartridgeCV(rom, rng);
    case 'MB':
      return new CartridgeMB(rom, rng);
    case 'E0':
      return new CartridgeE0(rom, rng);
    case 'E7':
      return new CartridgeE7(rom, rng);
    case 'FE':
      return new CartridgeFE(rom, rng);
    case '3F':
      return new Cartridge3F(rom, rng);
    case '3E':
      return new Cartridge3E(rom, rng);
    case 'UA':
      return new CartridgeUA(rom, rng);
    case 'DPC':
      return new CartridgeDPC(rom, rng);
    default:
      if (UNSUPPORTED_SCHEMES.includes(scheme)) {
        throw new CartridgeError(
          `the ROM image (${rom.length} bytes) uses the ${scheme} bank-switching scheme, which is not emulated`,
        );
      }
      throw new CartridgeError(`unknown bank-switching scheme "${scheme}"`);
  }
}
