import type { Command } from 'commander';
import { readObservations, writeObservations } from '../../agent/observations.js';
import { QNetwork } from '../../agent/q-network.js';
import { TF_BACKENDS, initTf, type TfBackendName } from '../../agent/tf-backend.js';
import { parseAttackConfig, perturb, type PerturbTarget } from '../../attack/index.js';
import { greedyActions, parseDefense, Xoshiro128 } from '../../defense/index.js';
import { UserError } from '../errors.js';
import { parseIntFlag } from '../parse.js';

interface PerturbFlags {
  agent: string;
  obs: string;
  out: string;
  attack: string;
  lambda: string;
  defense: string;
  eot: string;
  seed: string;
  pgdSteps: string;
  pgdAlpha?: string;
  perturb: string;
  tfBackend?: string;
}

export function registerPerturb(program: Command): void {
  program
    .command('perturb')
    .description('attack a .npy batch of observations against an agent (optionally defended) and write the attacked batch')
    .requiredOption('--agent <dir>', 'agent folder, e.g. agents/pong-dqn')
    .requiredOption('--obs <file.npy>', 'uint8 observations, N x 4 x 84 x 84 (PyTorch layout) or N x 84 x 84 x 4')
    .requiredOption('--attack <name>', 'fgsm, pgd or noise')
    .requiredOption('--lambda <pixels>', 'L-inf budget in pixels 0..255 (8 = 8/255)')
    .requiredOption('--out <file.npy>', 'where to write the attacked observations (same layout as --obs)')
    .option('--defense <spec>', 'the defended network the attack targets: dense, sap:TAU, dropout:P, rna:SIGMA', 'dense')
    .option('--eot <k>', 'samples per gradient for a stochastic defense (1 = single-sample attack)', '10')
    .option('--seed <s>', 'seed of the defense and attack draws', '0')
    .option('--pgd-steps <n>', 'PGD iterations', '10')
    .option('--pgd-alpha <pixels>', 'PGD step size in pixels (default 2.5 * lambda / steps)')
    .option('--perturb <what>', "'stack' attacks all frames, 'frame' only the newest (last) one", 'stack')
    .option('--tf-backend <name>', `tfjs backend: ${TF_BACKENDS.join(', ')}`)
    .action(async (flags: PerturbFlags) => {
      const defense = parseDefense(flags.defense);
      const attack = parseAttackConfig(flags);
      const seed = parseIntFlag(flags.seed, '--seed', 0);
      if (flags.perturb !== 'stack' && flags.perturb !== 'frame') throw new UserError(`--perturb must be 'stack' or 'frame', not '${flags.perturb}'.`);
      const target: PerturbTarget = flags.perturb === 'frame' ? 'newest' : 'stack';
      await initTf(flags.tfBackend as TfBackendName | undefined);
      const { loadAgent } = await import('../../agent/agent-store.js');
      const agent = await loadAgent(flags.agent);
      const net = QNetwork.fromModel(agent.model, flags.agent);
      try {
        const batch = readObservations(flags.obs, agent.spec.observation);
        const rng = new Xoshiro128(seed);
        const adv = perturb(net, defense, batch.nhwc, batch.n, attack, rng, target);
        await writeObservations(flags.out, adv, batch, agent.spec.observation);
        // How often the attacked agent's action changes (one pass each, as it would act).
        const before = greedyActions(net, defense, batch.nhwc, batch.n, rng);
        const after = greedyActions(net, defense, adv, batch.n, rng);
        const changed = before.reduce((k, a, i) => k + (a !== after[i] ? 1 : 0), 0);
        let maxDelta = 0;
        for (let j = 0; j < adv.length; j++) maxDelta = Math.max(maxDelta, Math.abs(adv[j]! - batch.nhwc[j]!));
        const eot = defense.stochastic && attack.name !== 'noise' ? `, eot ${attack.eot}` : '';
        console.log(
          `wrote ${flags.out}: ${batch.n} observation${batch.n === 1 ? '' : 's'} (${batch.layout}), ${attack.name} lambda ${attack.lambda}` +
            `${attack.name === 'pgd' ? ` (${attack.pgdSteps} steps of ${attack.pgdAlpha})` : ''} against ${defense.spec}${eot}, ` +
            `max |delta| ${maxDelta}, greedy action changed on ${changed} of ${batch.n}`,
        );
      } finally {
        net.dispose();
        agent.model.dispose();
      }
    });
}
