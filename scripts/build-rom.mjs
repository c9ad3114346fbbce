// npm run rom:build: assembles roms/src/catch.asm into roms/catch.bin (see roms/README.md).
import { createHash } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { assembleRom, ROMS_DIR } from './rom-assemble.mjs';

const name = process.argv[2] ?? 'catch';
try {
  const { bytes } = assembleRom(name);
  writeFileSync(`${ROMS_DIR}${name}.bin`, bytes);
  const md5 = createHash('md5').update(bytes).digest('hex');
  console.log(`roms/${name}.bin: ${bytes.length} bytes, md5 ${md5}`);
} catch (err) {
  console.error(err instanceof Error ? err.message : String(err));
  process.exit(1);
}
