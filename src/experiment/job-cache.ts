// What one episode runner keeps between jobs: loaded agents (tfjs model + QNetwork) and
// emulators wrapped in the DQN preprocessing, so that consecutive jobs of the same agent
// and game load nothing. One cache per worker (thread, process or queue consumer); it
// holds a few of each and closes the least recently used when it needs room.
import { loadAgent, type Agent } from '../agent/agent-store.js';
import { QNetwork } from '../agent/q-network.js';
import { UserError } from '../cli/errors.js';
import { AtariEnv } from '../env/atari-env.js';
import { AtariPreprocessing } from '../env/preprocess/atari-preprocessing.js';
import { requireGame } from '../env/roms.js';
import type { EpisodeJob } from './job.js';

export interface LoadedAgent {
  agent: Agent;
  net: QNetwork;
}

export interface PreparedJob {
  net: QNetwork;
  pp: AtariPreprocessing;
}

export interface JobCacheOptions {
  /** Agents kept loaded (default 4). */
  maxAgents?: number;
  /** Emulators kept open (default 2; an ale-py env is a Python process). */
  maxEnvs?: number;
}

/** A map that keeps the `limit` most recently used entries and closes the others. */
class Lru<T> {
  private readonly map = new Map<string, Promise<T>>();
  constructor(
    private readonly limit: number,
    private readonly close: (value: T) => Promise<void> | void,
  ) {}

  async get(key: string, make: () => Promise<T>): Promise<T> {
    let p = this.map.get(key);
    if (p) {
      this.map.delete(key); // re-insert: most recent last
      this.map.set(key, p);
    } else {
      p = make();
      this.map.set(key, p);
      p.catch(() => this.map.get(key) === p && this.map.delete(key)); // a failed load is retried by the next job
      while (this.map.size > this.limit) {
        const [oldKey, old] = this.map.entries().next().value as [string, Promise<T>];
        this.map.delete(oldKey);
        await old.then(this.close, () => undefined);
      }
    }
    return p;
  }

  async clear(): Promise<void> {
    const all = [...this.map.values()];
    this.map.clear();
    for (const p of all) await p.then(this.close, () => undefined);
  }
}

export class JobCache {
  private readonly agents: Lru<LoadedAgent>;
  private readonly envs: Lru<AtariPreprocessing>;

  constructor(opts: JobCacheOptions = {}) {
    this.agents = new Lru(opts.maxAgents ?? 4, ({ agent, net }) => {
      net.dispose();
      agent.model.dispose();
    });
    this.envs = new Lru(opts.maxEnvs ?? 2, (pp) => pp.env.close());
  }

  /**
   * The network and the preprocessed env for a job, loading what is not cached. Problems
   * the user can fix (missing or corrupt agent, missing ROM, an agent for another game)
   * are UserErrors naming the file.
   */
  async prepare(job: EpisodeJob): Promise<PreparedJob> {
    const { agent, net } = await this.agent(job.agentDir);
    const game = requireGame(job.game);
    if (game.id !== agent.spec.game) {
      throw new UserError(`agent ${job.agentDir} plays ${agent.spec.game}, not ${game.id}; pass an agent trained on ${game.id}`);
    }
    const { frameStack, height } = agent.spec.observation;
    const envKey = JSON.stringify([game.id, job.backend, job.maxFrames, job.romDir ?? null, frameStack, height]);
    const pp = await this.envs.get(envKey, async () => {
      const env = await AtariEnv.create({ game: game.id, romDir: job.romDir, backend: job.backend, maxFramesPerEpisode: job.maxFrames });
      try {
        return new AtariPreprocessing(env, { frameStack, screenSize: height });
      } catch (e) {
        await env.close();
        throw e;
      }
    });
    if (pp.env.actionSet.join(',') !== agent.spec.actions.join(',')) {
      throw new UserError(
        `agent ${job.agentDir} acts on actions ${agent.spec.actions.join(',')} but ${game.id} here has ${pp.env.actionSet.join(',')}; the agent does not fit this game`,
      );
    }
    return { net, pp };
  }

  /** The agent in `dir`, loaded once (every problem with its files is a UserError naming them). */
  agent(dir: string): Promise<LoadedAgent> {
    return this.agents.get(dir, async () => {
      const agent = await loadAgent(dir);
      try {
        return { agent, net: QNetwork.fromModel(agent.model, dir) };
      } catch (e) {
        agent.model.dispose();
        throw e;
      }
    });
  }

  /** Disposes every model and closes every env. */
  async close(): Promise<void> {
    await this.envs.clear();
    await this.agents.clear();
  }
}
