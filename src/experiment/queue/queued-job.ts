// An episode job as it travels through the queue: the EpisodeJob with its agent folder
// relative to an agents root (so another machine can find its own copy), plus the md5s of
// the agent's files and of the ROM, which the worker checks before playing. Its BullMQ id
// is the job key itself (made safe for Redis keys), so enqueuing a job twice adds nothing.
import { readFileSync } from 'node:fs';
import { isAbsolute, relative, resolve, sep } from 'node:path';
import { agentMd5, type AgentMd5 } from '../../agent/agent-md5.js';
import { md5Of, resolveRom } from '../../env/roms.js';
import { VERSION } from '../../version.js';
import { jobKey, type EpisodeJob } from '../job.js';

export interface QueuedJob {
  /** jobKey(job): the key of the results row it yields. */
  readonly key: string;
  /** The episode; `agentDir` is relative to the agents root (with / separators) and there is no `romDir`. */
  readonly job: EpisodeJob;
  /** md5s of the agent's files on the machine that enqueued it. */
  readonly agent: AgentMd5;
  /** The ROM file name and md5 on the machine that enqueued it. */
  readonly rom: { readonly file: string; readonly md5: string };
  /** The sap-rl version that enqueued it. */
  readonly enqueuedBy: string;
}

/** The BullMQ job id of a job key: the key, with every character a Redis key or BullMQ id should not hold (':', '%', spaces...) %-escaped. */
export function queueJobId(key: string): string {
  return key.replace(/[^A-Za-z0-9._~|+=-]/gu, (c) => encodeURIComponent(c));
}

/** The job key of a queue job id. */
export function keyOfJobId(id: string): string {
  return decodeURIComponent(id);
}

/** `path` relative to `root`, with / separators ("." for the root itself). */
export function relativeToRoot(root: string, path: string): string {
  const rel = relative(resolve(root), resolve(path));
  return rel === '' ? '.' : isAbsolute(rel) ? rel : rel.split(sep).join('/');
}

/** Builds queued jobs, computing each agent's and each ROM's md5 once. */
export class QueuedJobMaker {
  private readonly agents = new Map<string, AgentMd5>();
  private readonly roms = new Map<string, { file: string; md5: string }>();

  /** @param agentsRoot agent folders are recorded relative to it */
  constructor(readonly agentsRoot: string) {}

  /** Missing or unreadable agent files and missing ROMs are UserErrors naming them. */
  make(job: EpisodeJob): QueuedJob {
    const { romDir: _local, agentDir, ...rest } = job;
    let agent = this.agents.get(agentDir);
    if (!agent) this.agents.set(agentDir, (agent = agentMd5(agentDir)));
    let rom = this.roms.get(job.game);
    if (!rom) {
      const found = resolveRom(job.game, { romDir: job.romDir });
      this.roms.set(job.game, (rom = { file: found.game.romFile, md5: md5Of(readFileSync(found.path)) }));
    }
    return { key: jobKey(job), job: { ...rest, agentDir: relativeToRoot(this.agentsRoot, agentDir) }, agent, rom, enqueuedBy: VERSION };
  }
}
