/**
 * Which bank-switching scheme ALE 0.12.1 uses for a ROM image.
 *
 * ALE first looks the ROM's md5 up in its properties table; a non-empty type there wins
 * over auto-detection. In ALE 0.12.1's built-in table (2676 entries, read out of the
 * installed _ale_py module) only three md5s carry a type, and two more md5s are forced to
 * "F8 swapped" in Cartridge::create. Every other ROM is auto-detected from its size and a
 * few byte-signature searches (Cartridge::autodetectType in src/ale/emucore/Cart.cxx).
 */
import { createHash } from 'node:crypto';
import { CartridgeError } from './types.js';

/** md5 -> scheme decided before (and instead of) auto-detection. */
const MD5_SCHEMES: ReadonlyMap<string, string> = new Map([
  // Cartridge::create: normal 8K images that must start in bank 0.
  ['bc24440b59092559a1ec26055fd1270e', 'F8 swapped'],
  ['75ee371ccfc4f43e7d9b8f24e1266b55', 'F8 swapped'],
  // The properties table's Cartridge.Type column (its only non-empty entries).
  ['52a0003efb3b1c49fcde4dbc2c685d8f', '2K'], // Surround (1978) (Atari) [a1]
  ['5bcc83677d68f7ef74c1b4a0697ba2a8', '4K'], // Ice Hockey (1981) (Activision) [o1]
  ['6dda84fb8e442ecf34241ac0d1d91d69', 'F6SC'], // Dig Dug (1983) (Atari)
]);

/** The md5 table ALE consults before auto-detection (md5 -> scheme). */
export function md5SchemeTable(): ReadonlyMap<string, string> {
  return MD5_SCHEMES;
}

/** Every scheme name ALE's Cartridge::create accepts. */
export const ALE_SCHEMES: readonly string[] = [
  '2K', '3E', '3F', '4A50', '4K', 'AR', 'DPC', 'E0', 'E7', 'F4', 'F4SC', 'F6', 'F6SC',
  'F8', 'F8 swapped', 'F8SC', 'FASC', 'FE', 'MC', 'MB', 'CV', 'UA', '0840',
];

export function md5Hex(rom: Uint8Array): string {
  return createHash('md5').update(rom).digest('hex');
}

/**
 * Counts non-overlapping occurrences of `sig` the way Stella does: the scan stops one
 * position short of the end, and after a hit it skips the signature plus one byte.
 */
function searchForBytes(image: Uint8Array, sig: readonly number[], minHits: number): boolean {
  const n = sig.length;
  if (n > image.length) return false;
  let count = 0;
  for (let i = 0; i < image.length - n; i++) {
    let j = 0;
    while (j < n && image[i + j] === sig[j]) j++;
    if (j === n) {
      count++;
      i += n;
    }
    if (count >= minHits) break;
  }
  return count >= minHits;
}

/** Superchip: the first 256 bytes of every 4K bank hold one repeated value. */
function isProbablySC(image: Uint8Array): boolean {
  const banks = Math.floor(image.length / 4096);
  for (let b = 0; b < banks; b++) {
    const first = image[b * 4096];
    for (let j = 0; j < 256; j++) if (image[b * 4096 + j] !== first) return false;
  }
  return true;
}

const STA_3F = [0x85, 0x3f];
const STA_3E_LDA_0 = [0x85, 0x3e, 0xa9, 0x00];
const E0_SIGS = [
  [0x8d, 0xe0, 0x1f], [0x8d, 0xe0, 0x5f], [0x8d, 0xe9, 0xff],
  [0xad, 0xe9, 0xff], [0xad, 0xed, 0xff], [0xad, 0xf3, 0xbf],
];
const STA_0240 = [0x8d, 0x40, 0x02];
const CV_SIGS = [[0x9d, 0xff, 0xf3], [0x99, 0x00, 0xf4]];
const FE_SIGS = [
  [0x20, 0x00, 0xd0, 0xc6, 0xc5], [0x20, 0xc3, 0xf8, 0xa5, 0x82],
  [0xd0, 0xfb, 0x20, 0x73, 0xfe], [0x20, 0x00, 0xf0, 0x84, 0xd6],
];

const isProbably3F = (img: Uint8Array) => searchForBytes(img, STA_3F, 2);
const isProbably3E = (img: Uint8Array) => searchForBytes(img, STA_3E_LDA_0, 1);
const isProbablyE0 = (img: Uint8Array) => E0_SIGS.some((s) => searchForBytes(img, s, 1));
const isProbablyUA = (img: Uint8Array) => searchForBytes(img, STA_0240, 1);
const isProbablyCV = (img: Uint8Array) => CV_SIGS.some((s) => searchForBytes(img, s, 1));
const isProbablyFE = (img: Uint8Array) => FE_SIGS.some((s) => searchForBytes(img, s, 1));

/**
 * E7: the RAM window $3800-$39FF of a 16K image holds one repeated value, and something
 * in the 32 bytes before or after it differs.
 */
function isProbablyE7(img: Uint8Array): boolean {
  const first = img[0x3800];
  for (let i = 0x3800; i < 0x3a00; i++) if (img[i] !== first) return false;
  for (let i = 0x3800 - 32; i < 0x3800; i++) if (img[i] !== first) return true;
  for (let i = 0x3a00; i < 0x3a00 + 32; i++) if (img[i] !== first) return true;
  return false;
}

function halvesEqual(img: Uint8Array): boolean {
  const h = img.length >> 1;
  for (let i = 0; i < h; i++) if (img[i] !== img[i + h]) return false;
  return true;
}

/**
 * ALE's auto-detection alone (no md5 table). Throws CartridgeError where ALE reports
 * "Unrecognized cartridge".
 */
export function autodetectScheme(rom: Uint8Array): string {
  const size = rom.length;
  if (size === 0) throw new CartridgeError('the ROM image is empty (0 bytes)');
  if (size % 8448 === 0) return 'AR';
  if (size === 2048 || (size === 4096 && halvesEqual(rom))) return isProbablyCV(rom) ? 'CV' : '2K';
  if (size === 4096) return isProbablyCV(rom) ? 'CV' : '4K';
  if (size === 8192) {
    if (isProbablySC(rom)) return 'F8SC';
    if (halvesEqual(rom)) return '4K';
    if (isProbablyE0(rom)) return 'E0';
    if (isProbably3E(rom)) return '3E';
    if (isProbably3F(rom)) return '3F';
    if (isProbablyUA(rom)) return 'UA';
    if (isProbablyFE(rom)) return 'FE';
    return 'F8';
  }
  if (size === 10495 || size === 10496 || size === 10240) return 'DPC';
  if (size === 12288) return 'FASC';
  if (size === 16384) {
    if (isProbablySC(rom)) return 'F6SC';
    if (isProbablyE7(rom)) return 'E7';
    if (isProbably3E(rom)) return '3E';
    if (isProbably3F(rom)) return '3F';
    return 'F6';
  }
  if (size === 32768) {
    if (isProbablySC(rom)) return 'F4SC';
    if (isProbably3E(rom)) return '3E';
    if (isProbably3F(rom)) return '3F';
    return 'F4';
  }
  if (size === 65536) {
    if (isProbably3E(rom)) return '3E';
    if (isProbably3F(rom)) return '3F';
    return 'MB';
  }
  if (size === 131072) {
    if (isProbably3E(rom)) return '3E';
    if (isProbably3F(rom)) return '3F';
    return 'MC';
  }
  if (isProbably3E(rom)) return '3E';
  if (isProbably3F(rom)) return '3F';
  throw new CartridgeError(
    `unrecognized cartridge: a ROM image of ${size} bytes matches no bank-switching scheme ` +
      '(2048, 4096, 8192, 10240, 10495, 10496, 12288, 16384, 32768, 65536, 131072 or a multiple of 8448 bytes)',
  );
}

/**
 * The scheme ALE 0.12.1 picks for this ROM: the md5 table first, then auto-detection.
 * `md5` may be passed when the caller already knows it.
 */
export function detectScheme(rom: Uint8Array, md5?: string): string {
  if (rom.length === 0) throw new CartridgeError('the ROM image is empty (0 bytes)');
  const fromTable = MD5_SCHEMES.get((md5 ?? md5Hex(rom)).toLowerCase());
  return fromTable ?? autodetectScheme(rom);
}
