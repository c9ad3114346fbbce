import type { Command } from 'commander';
import type { Agent } from '../../agent/agent-store.js';
import { readObservations } from '../../agent/observations.js';
import { QNetwork } from '../../agent/q-network.js';
import { TF_BACKENDS, initTf, type TfBackendName } from '../../agent/tf-backend.js';
import { argmaxRows, defendedQ, parseDefense, Xoshiro128 } from '../../defense/index.js';
import { parseIntFlag } from '../parse.js';
import { formatTable } from '../table.js';

/** ALE action names by id (ALE's Action enum). */
const ACTION_NAMES = [
  'NOOP', 'FIRE', 'UP', 'RIGHT', 'LEFT', 'DOWN', 'UPRIGHT', 'UPLEFT', 'DOWNRIGHT', 'DOWNLEFT',
  'UPFIRE', 'RIGHTFIRE', 'LEFTFIRE', 'DOWNFIRE', 'UPRIGHTFIRE', 'UPLEFTFIRE', 'DOWNRIGHTFIRE', 'DOWNLEFTFIRE',
];

interface InspectFlags {
  agent: string;
  obs?: string;
  defense: string;
  samples: string;
  seed: string;
  json?: boolean;
  tfBackend?: string;
}

export function registerInspect(program: Command): void {
  program
    .command('inspect')
    .description("print an agent's architecture, action set and provenance; with --obs, its Q-values for a .npy batch of observations")
    .requiredOption('--agent <dir>', 'agent folder, e.g. agents/pong-dqn')
    .option('--obs <file.npy>', 'uint8 observations, N x 4 x 84 x 84 (PyTorch layout) or N x 84 x 84 x 4')
    .option('--defense <spec>', 'Q-values of the defended network: dense, sap:TAU, dropout:P, rna:SIGMA', 'dense')
    .option('--samples <k>', 'average the Q-values of a stochastic defense over k passes', '1')
    .option('--seed <s>', 'seed of the defense', '0')
    .option('--json', 'print everything as one JSON object')
    .option('--tf-backend <name>', `tfjs backend: ${TF_BACKENDS.join(', ')}`)
    .action(async (flags: InspectFlags) => {
      const defense = parseDefense(flags.defense);
      const samples = parseIntFlag(flags.samples, '--samples', 1, 10000);
      const seed = parseIntFlag(flags.seed, '--seed', 0);
      await initTf(flags.tfBackend as TfBackendName | undefined);
      const { loadAgent } = await import('../../agent/agent-store.js');
      const agent = await loadAgent(flags.agent);
      try {
        const batch = flags.obs !== undefined ? readObservations(flags.obs, agent.spec.observation) : undefined;
        let q: number[][] | undefined;
        if (batch) {
          const net = QNetwork.fromModel(agent.model, flags.agent);
          const values = defendedQ(net, defense, batch.nhwc, batch.n, new Xoshiro128(seed), samples);
          net.dispose();
          q = Array.from({ length: batch.n }, (_, i) => Array.from(values.subarray(i * net.nActions, (i + 1) * net.nActions)));
        }
        const greedy = q ? Array.from(argmaxRows(Float32Array.from(q.flat()), q.length, agent.spec.actions.length)) : undefined;
        if (flags.json) {
          const out = { ...describe(agent), ...(q ? { obs: flags.obs, layout: batch!.layout, defense: defense.spec, q, greedy } : {}) };
          console.log(JSON.stringify(out));
          return;
        }
        printSummary(agent);
        if (q) {
          console.log(`\nQ-values for ${flags.obs} (${batch!.n} observation${batch!.n === 1 ? '' : 's'}, ${batch!.layout}, defense ${defense.spec}):`);
          console.log(JSON.stringify({ q, greedy }));
        }
      } finally {
        agent.model.dispose();
      }
    });
}

function describe(agent: Agent): Record<string, unknown> {
  return {
    agent: agent.dir,
    game: agent.spec.game,
    actions: agent.spec.actions.map((id) => ({ id, name: ACTION_NAMES[id] ?? String(id) })),
    observation: agent.spec.observation,
    provenance: agent.spec.provenance,
    cleanScore: agent.spec.cleanScore ?? null,
    layers: agent.model.layers.map((l) => ({
      name: l.name,
      type: l.getClassName(),
      output: (l.outputShape as (number | null)[]).slice(1),
      params: l.countParams(),
    })),
    params: agent.model.countParams(),
  };
}

function printSummary(agent: Agent): void {
  const { spec } = agent;
  const o = spec.observation;
  const p = spec.provenance;
  console.log(`agent        ${agent.dir}`);
  console.log(`game         ${spec.game}`);
  console.log(`actions      ${spec.actions.map((id, i) => `${i}:${ACTION_NAMES[id] ?? id}`).join(' ')}`);
  console.log(`observation  ${o.height} x ${o.width} x ${o.frameStack} (${o.layout}), pixels 0..255${o.scaleInside ? ', divided by 255 inside the network' : ''}`);
  console.log(`provenance   ${p.kind} (${p.format}) from ${p.source} on ${p.date}${p.sourceSha256 ? `, sha256 ${p.sourceSha256}` : ''}`);
  const score = spec.cleanScore;
  console.log(`clean score  ${score ? `${score.mean} +- ${score.std} over ${score.episodes} episodes` : 'not measured'}`);
  console.log('');
  const rows = agent.model.layers.map((l) => [l.name, l.getClassName(), (l.outputShape as (number | null)[]).slice(1).join(' x '), l.countParams()]);
  console.log(formatTable(['layer', 'type', 'output', 'params'], rows));
  console.log(`total params ${agent.model.countParams()}`);
}
