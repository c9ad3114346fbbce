import { Command, CommanderError } from 'commander';
import { UserError } from './errors.js';
import { VERSION } from '../version.js';

export function buildProgram(): Command {
  const program = new Command();
  program
    .name('sap-rl')
    .description('Measure how defended Atari DQN agents hold up against adversarial observation attacks.')
    .version(VERSION)
    .exitOverride()
    .showHelpAfterError(false);
  return program;
}

/** Runs the CLI; resolves to the process exit code. */
export async function main(argv: string[]): Promise<number> {
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
