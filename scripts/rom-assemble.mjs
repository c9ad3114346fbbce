// Assembles one of the project's own ROMs (roms/src/<name>.asm) with the dasm npm package.
// Used by scripts/build-rom.mjs (npm run rom:build) and by the test that checks the
// committed roms/<name>.bin is exactly what its source assembles to.
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import dasmModule from 'dasm';

/** The package's roms/ folder. */
export const ROMS_DIR = fileURLToPath(new URL('../roms/', import.meta.url));
const SRC_DIR = fileURLToPath(new URL('../roms/src/', import.meta.url));

// dasm is CommonJS with its function under `default`.
const dasm = dasmModule.default ?? dasmModule;

/**
 * Assembles roms/src/<name>.asm as a raw 4K image (dasm -f3); every *.inc file next to it
 * can be included by name. Returns the bytes and the symbol table (name -> value).
 * Throws with dasm's messages when assembly fails.
 */
export function assembleRom(name) {
  const source = readFileSync(`${SRC_DIR}${name}.asm`, 'utf8');
  const includes = {};
  for (const file of readdirSync(SRC_DIR)) {
    if (file.endsWith('.inc')) includes[file] = readFileSync(`${SRC_DIR}${file}`, 'utf8');
  }
  const result = dasm(source, { format: 3, quick: false, includes });
  const errors = (result.list ?? []).filter((l) => l.errorMessage).map((l) => `line ${l.number}: ${l.errorMessage}`);
  if (!result.success || errors.length > 0) {
    const why = errors.length > 0 ? errors : result.output;
    throw new Error(`dasm could not assemble roms/src/${name}.asm:\n${why.join('\n')}`);
  }
  const symbols = new Map((result.symbols ?? []).map((s) => [s.name, s.value]));
  return { bytes: Uint8Array.from(result.data), symbols };
}
