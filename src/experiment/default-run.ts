// The embedded default: what `sap-rl play` with no --agent and no --game runs. Our own game
// (Catch, roms/catch.bin) with the agent this project trained on it (agents/catch-dqn, see its
// agent.json for the exact `sap-rl train` command), dense vs SAP-100 under FGSM with EOT over
// lambda, so that a fresh `npm ci && npx sap-rl play` needs no ROM, no Python and no download.
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { PACKAGE_ROOT } from '../version.js';

export const DEFAULT_RUN = {
  game: 'catch',
  agentDir: join(PACKAGE_ROOT, 'agents', 'catch-dqn'),
  /**
   * Episodes per (defense, lambda). A Catch episode is 20 objects (return -20..20); measured
   * with agents/catch-dqn, 16 episodes give 95% confidence intervals narrower than a quarter
   * of the clean score at every setting (README: "The default run").
   */
  episodes: 16,
  /** Results and figures, relative to the working directory. */
  out: join('results', 'default', 'catch-dqn.csv'),
  plotDir: join('results', 'default'),
  /** Episodes run in parallel: one worker thread per core. */
  workers: (): number => availableParallelism(),
} as const;
