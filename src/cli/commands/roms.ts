import type { Command } from 'commander';
import { GAMES } from '../../atari/games/index.js';
import { findRoms, identifyRom, requireGame, romSearchDirs } from '../../env/roms.js';
import { UserError } from '../errors.js';
import { formatTable } from '../table.js';

export function registerRoms(program: Command): void {
  program
    .command('roms')
    .description('list the supported games, where their ROMs were found and whether their md5 matches')
    .option('--rom-dir <dir>', "search this folder first (then $SAP_RL_ROMS, ./roms, ale-py, sap-rl's own roms/)")
    .option('--game <id>', 'check one game only; exit code 2 when its ROM is missing')
    .option('--rom <file>', 'identify one ROM file by its md5')
    .action((opts: { romDir?: string; game?: string; rom?: string }) => {
      if (opts.rom !== undefined) {
        const { game, md5, bytes } = identifyRom(opts.rom);
        if (!game) {
          throw new UserError(
            `ROM file ${opts.rom} has md5 ${md5}, which matches no supported game; use ALE's ROM (see roms.md and the md5 table of \`sap-rl roms\`)`,
          );
        }
        console.log(`${opts.rom}: ${game.title} (--game ${game.id}), ${bytes.length} bytes, md5 ${md5} ok`);
        return;
      }
      const only = opts.game !== undefined ? requireGame(opts.game) : undefined;
      const dirs = romSearchDirs({ romDir: opts.romDir });
      console.log('ROM folders searched, in order:');
      if (dirs.length === 0) console.log('  (none: give --rom-dir, set $SAP_RL_ROMS, or install ale-py; see roms.md)');
      for (const d of dirs) console.log(`  ${d.source.padEnd(13)} ${d.path}`);
      console.log('');
      const findings = findRoms(dirs).filter((f) => !only || f.game === only);
      const rows = findings.map((f) => [
        f.game.id,
        f.game.md5,
        f.game.size,
        f.path ? 'ok' : f.problems.length ? 'bad file' : 'missing',
        f.path ?? '',
      ]);
      console.log(formatTable(['game', 'expected md5', 'size', 'status', 'found at'], rows));
      const problems = findings.flatMap((f) => f.problems);
      for (const p of problems) console.log(`\nwarning: ${p}; replace it with ALE's ROM (see roms.md)`);
      const playable = findings.filter((f) => f.path).length;
      console.log(`\n${playable} of ${only ? 1 : GAMES.length} games playable.`);
      if (only && !findings[0]!.path) {
        throw new UserError(`no good ROM for ${only.title} (${only.romFile}) was found; see roms.md for how to get it, then pass --rom-dir`);
      }
      if (opts.romDir !== undefined && problems.length > 0) {
        throw new UserError(`${problems[0]}; replace it with ALE's ROM (see roms.md)`);
      }
    });
}
