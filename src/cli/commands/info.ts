import type { Command } from 'commander';
import { findRoms, romSearchDirs } from '../../env/roms.js';
import { probeAlePy } from '../../env/python.js';
import { DEFAULT_BACKEND } from '../../env/backends/index.js';
import { VERSION } from '../../version.js';

export function registerInfo(program: Command): void {
  program
    .command('info')
    .description('print versions (node, tfjs backend, ale-py), where ROMs were found and which games are playable')
    .option('--rom-dir <dir>', 'search this folder first for ROMs')
    .action(async (opts: { romDir?: string }) => {
      const { ensureTf } = await import('../../agent/tf-backend.js');
      const tf = await import('@tensorflow/tfjs');
      const backend = await ensureTf();
      const ale = probeAlePy();
      console.log(`sap-rl        ${VERSION}`);
      console.log(`node          ${process.version} (${process.platform}-${process.arch})`);
      console.log(`tfjs          ${tf.version.tfjs}, backend ${backend.name} (${backend.detail}; --tf-backend wasm|cpu|tensorflow)`);
      console.log(`ale-py        ${ale.version ? `${ale.version} (${ale.python})` : `not available: ${ale.error}`}`);
      console.log(`env backend   ${DEFAULT_BACKEND} (default; --backend js|ale-py)`);
      const dirs = romSearchDirs({ romDir: opts.romDir });
      console.log(`ROM folders   ${dirs.length ? dirs.map((d) => `${d.path} (${d.source})`).join('\n              ') : 'none (see roms.md)'}`);
      const findings = findRoms(dirs);
      const playable = findings.filter((f) => f.path).map((f) => f.game.id);
      const missing = findings.filter((f) => !f.path).map((f) => f.game.id);
      console.log(`playable      ${playable.length ? playable.join(', ') : 'none'}`);
      if (missing.length) console.log(`missing ROMs  ${missing.join(', ')} (see \`sap-rl roms\`)`);
    });
}
