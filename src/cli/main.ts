import { Command, CommanderError } from 'commander';
import { UserError } from './errors.js';
import { VERSION } from '../version.js';
import { registerBatch } from './commands/batch.js';
import { registerCollect } from './commands/collect.js';
import { registerImport } from './commands/import.js';
import { registerInfo } from './commands/info.js';
import { registerInspect } from './commands/inspect.js';
import { registerPerturb } from './commands/perturb.js';
import { registerPlay } from './commands/play.js';
import { registerPlot } from './commands/plot.js';
import { registerRoms } from './commands/roms.js';
import { registerStatus } from './commands/status.js';
import { registerTrace } from './commands/trace.js';
import { registerTrain } from './commands/train.js';
import { registerWorker } from './commands/worker.js';

export function buildProgram(): Command {
  const program = new Command();
  program
    .name('sap-rl')
    .description('Measure how defended Atari DQN agents hold up against adversarial observation attacks.')
    .version(VERSION)
    .exitOverride()
    .showHelpAfterError(false);
  registerInfo(program);
  registerImport(program);
  registerRoms(program);
  registerTrace(program);
  registerPlay(program);
  registerBatch(program);
  registerWorker(program);
  registerStatus(program);
  registerCollect(program);
  registerPlot(program);
  registerTrain(program);
  registerInspect(program);
  registerPerturb(program);
  return program;
}

/** Runs the CLI; resolves to the process exit code. */
export async function main(argv: string[]): Promise<number> {
  // Ctrl-C / kill: exit through process.exit so that 'exit' handlers stop child processes.
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => process.exit(signal === 'SIGINT' ? 130 : 143));
  }
  const program = buildProgram();
  try {
    await program.parseAsync(argv);
    return 0;
  } catch (err) {
    if (err instanceof CommanderError) {
      // commander has already printed its message (or the help text)
      return err.exitCode === 0 ? 0 : 2;
    }
    if (err instanceof UserError) {
      process.stderr.write(`sap-rl: ${err.message}\n`);
      return err.exitCode;
    }
    throw err;
  }
}
