import type { Command } from 'commander';
import { TF_BACKENDS, initTf, type TfBackendName } from '../../agent/tf-backend.js';
import { importCleanRL } from '../../agent/import-cleanrl.js';
import { importSb3 } from '../../agent/import-sb3.js';
import type { Agent } from '../../agent/agent-store.js';
import { UserError } from '../errors.js';

interface ImportFlags {
  game: string;
  out: string;
  overwrite?: boolean;
  tfBackend?: string;
}

const FORMATS = {
  cleanrl: { run: importCleanRL, what: 'a CleanRL dqn_atari checkpoint (a PyTorch state_dict file)' },
  sb3: { run: importSb3, what: 'a Stable-Baselines3 / RL Zoo DQN zip (with policy.pth)' },
} as const;

export function registerImport(program: Command): void {
  program
    .command('import')
    .description('import a trained DQN agent: cleanrl (CleanRL dqn_atari state_dict) or sb3 (Stable-Baselines3 / RL Zoo zip)')
    .argument('<format>', 'cleanrl or sb3')
    .argument('<file>', 'the checkpoint file')
    .requiredOption('--game <id>', 'the game the agent plays (selects its action set), e.g. pong')
    .requiredOption('--out <dir>', 'agent folder to create, e.g. agents/pong-dqn')
    .option('--overwrite', 'replace an existing agent folder')
    .option('--tf-backend <name>', `tfjs backend: ${TF_BACKENDS.join(', ')}`)
    .action(async (format: string, file: string, flags: ImportFlags) => {
      const entry = FORMATS[format as keyof typeof FORMATS];
      if (!entry) throw new UserError(`unknown import format '${format}'; use cleanrl or sb3`);
      await initTf(flags.tfBackend as TfBackendName | undefined);
      const agent: Agent = await entry.run(file, { game: flags.game, out: flags.out, overwrite: flags.overwrite ?? false });
      const { spec } = agent;
      console.log(`imported ${entry.what}`);
      console.log(`  from    ${file}`);
      console.log(`  agent   ${flags.out} (game ${spec.game}, actions ${spec.actions.join(',')}, ${spec.observation.height}x${spec.observation.width}x${spec.observation.frameStack}${spec.observation.scaleInside ? ', divides by 255 inside' : ''})`);
      agent.model.dispose();
    });
}
