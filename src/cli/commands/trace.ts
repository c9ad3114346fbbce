import type { Command } from 'commander';
import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import { AtariEnv } from '../../env/atari-env.js';
import { DEFAULT_BACKEND, parseBackendName } from '../../env/backends/index.js';
import { trace } from '../../env/trace.js';
import { UserError } from '../errors.js';
import { parseActions, parseIntFlag, parseProbability } from '../parse.js';

interface TraceFlags {
  game?: string;
  rom?: string;
  romDir?: string;
  backend: string;
  steps: string;
  seed: string;
  actions: string;
  frameskip: string;
  sticky: string;
  out?: string;
}

export function registerTrace(program: Command): void {
  program
    .command('trace')
    .description('play N agent steps and write one JSON line per step (action, reward, lives, screen hash, RAM)')
    .option('--game <id>', 'game id (see `sap-rl roms`)')
    .option('--rom <file>', 'a ROM file instead of --game')
    .option('--rom-dir <dir>', 'search this folder first for ROMs')
    .option('--backend <name>', 'js or ale-py', DEFAULT_BACKEND)
    .option('--steps <n>', 'agent steps', '1000')
    .option('--seed <s>', 'reset seed, also seeds the random actions', '0')
    .option('--actions <list>', "'random' or comma-separated ALE action ids, cycled", 'random')
    .option('--frameskip <k>', 'frames per agent step', '4')
    .option('--sticky <p>', 'sticky-action probability', '0.25')
    .option('--out <file>', 'write here instead of stdout')
    .action(async (flags: TraceFlags) => {
      if (flags.game === undefined && flags.rom === undefined) throw new UserError('trace needs --game or --rom');
      const steps = parseIntFlag(flags.steps, '--steps', 0);
      const seed = parseIntFlag(flags.seed, '--seed', 0);
      const actions = flags.actions === 'random' ? 'random' : parseActions(flags.actions, '--actions');
      const env = await AtariEnv.create({
        game: flags.game,
        rom: flags.rom,
        romDir: flags.romDir,
        backend: parseBackendName(flags.backend),
        frameskip: parseIntFlag(flags.frameskip, '--frameskip', 1, 65535),
        repeatActionProbability: parseProbability(flags.sticky, '--sticky'),
        seed,
      });
      const out = flags.out ? createWriteStream(flags.out) : process.stdout;
      try {
        for await (const line of trace(env, { steps, seed, actions })) {
          if (!out.write(JSON.stringify(line) + '\n')) await once(out, 'drain');
        }
      } catch (err) {
        if (err instanceof RangeError) throw new UserError(`--actions: ${err.message}`);
        throw err;
      } finally {
        await env.close();
        if (out !== process.stdout) await new Promise<void>((r) => out.end(() => r()));
      }
    });
}
