// On the worker's machine: from a queued job to the EpisodeJob it plays there. The agent
// folder is looked up under this machine's agents root, and the agent's files and the ROM
// must have the md5s the job was enqueued with; otherwise the job fails with one sentence
// saying what differs (a UserError: retrying cannot help).
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { agentMd5, differingFiles } from '../../agent/agent-md5.js';
import { AGENT_JSON } from '../../agent/agent-store.js';
import { UserError } from '../../cli/errors.js';
import { md5Of, resolveRom } from '../../env/roms.js';
import type { EpisodeJob } from '../job.js';
import type { QueuedJob } from './queued-job.js';

/** How this worker finds agents and ROMs. */
export interface WorkerPaths {
  /** The folder that queued agent paths are relative to (absolute). */
  readonly agentsRoot: string;
  /** Searched first for ROMs (absolute), before $SAP_RL_ROMS, ./roms, ale-py's and sap-rl's. */
  readonly romDir?: string | undefined;
}

export class LocalJobs {
  /** The ROM found for each game (ROM files are not expected to change while a worker runs). */
  private readonly roms = new Map<string, { path: string; md5: string }>();

  constructor(readonly paths: WorkerPaths) {}

  /** The job to play here; a UserError if this machine's agent or ROM is missing or differs. */
  localise(q: QueuedJob): EpisodeJob {
    if (typeof q?.key !== 'string' || typeof q.job?.agentDir !== 'string' || typeof q.agent?.md5 !== 'string' || typeof q.rom?.md5 !== 'string') {
      throw new UserError(`queue job ${JSON.stringify(q?.key ?? null)} is not a sap-rl episode job (enqueued by ${q?.enqueuedBy ?? 'something else'}); enqueue it again with \`sap-rl batch CONFIG --queue URL\``);
    }
    const queued = q.job.agentDir;
    const agentDir = resolve(this.paths.agentsRoot, queued);
    if (!existsSync(join(agentDir, AGENT_JSON))) {
      throw new UserError(
        `agent ${queued} is not on this machine (${join(agentDir, AGENT_JSON)} is missing); copy the agent folder there, or start the worker with --agents-root set to the folder that holds ${queued}`,
      );
    }
    const here = agentMd5(agentDir);
    if (here.md5 !== q.agent.md5) {
      const files = differingFiles(here, q.agent);
      throw new UserError(
        `agent ${queued} on this machine differs from the one enqueued (md5 ${here.md5} here, ${q.agent.md5} enqueued; ${files.join(', ')} differ${files.length === 1 ? 's' : ''}); copy the same agent folder to ${agentDir} on every worker machine, or point --agents-root at the folder that holds the right copy`,
      );
    }
    const rom = this.rom(q.job.game);
    if (rom.md5 !== q.rom.md5) {
      throw new UserError(
        `the ROM ${rom.path} on this machine differs from the one enqueued (md5 ${rom.md5} here, ${q.rom.md5} enqueued); put the same ${q.rom.file} in --rom-dir (see roms.md)`,
      );
    }
    return { ...q.job, agentDir, ...(this.paths.romDir !== undefined ? { romDir: this.paths.romDir } : {}) };
  }

  private rom(game: string): { path: string; md5: string } {
    let rom = this.roms.get(game);
    if (!rom) {
      const { path } = resolveRom(game, { romDir: this.paths.romDir }); // none: a UserError naming the folders searched
      this.roms.set(game, (rom = { path, md5: md5Of(readFileSync(path)) }));
    }
    return rom;
  }
}
