// Typed access to scripts/rom-assemble.mjs (the dasm build of the project's own ROMs),
// loaded from the package root at run time since scripts/ is not compiled.
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { PACKAGE_ROOT } from '../../src/version.js';

export interface AssembledRom {
  bytes: Uint8Array;
  /** dasm's symbol table: name -> value. */
  symbols: Map<string, number>;
}

export async function assembleRom(name: string): Promise<AssembledRom> {
  const url = pathToFileURL(join(PACKAGE_ROOT, 'scripts', 'rom-assemble.mjs')).href;
  const mod = (await import(url)) as { assembleRom(name: string): AssembledRom };
  return mod.assembleRom(name);
}
