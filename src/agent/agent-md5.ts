// The md5 of an agent folder's files (agent.json, model.json and the weight shards it
// lists), so that a queue worker on another machine can tell whether its copy of the agent
// is the one a sweep was enqueued with.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { UserError } from '../cli/errors.js';
import { AGENT_JSON } from './agent-store.js';
import { modelFileNames } from './model-files.js';

export interface AgentMd5 {
  /** md5 over the files' names and md5s (in order): one value for the whole agent. */
  readonly md5: string;
  /** md5 of each file, by its name in the folder. */
  readonly files: Readonly<Record<string, string>>;
}

/** md5s of the agent's files; a missing or unreadable file is a UserError naming it. */
export function agentMd5(dir: string): AgentMd5 {
  const names = [AGENT_JSON, ...modelFileNames(dir)];
  const files: Record<string, string> = {};
  const all = createHash('md5');
  for (const name of names) {
    const path = join(dir, name);
    let bytes: Buffer;
    try {
      bytes = readFileSync(path);
    } catch (err) {
      throw new UserError(`${path} cannot be read (${(err as NodeJS.ErrnoException).code ?? err}); every agent folder needs ${AGENT_JSON}, model.json and its weight files`);
    }
    const md5 = createHash('md5').update(bytes).digest('hex');
    files[name] = md5;
    all.update(`${name} ${md5}\n`);
  }
  return { md5: all.digest('hex'), files };
}

/** The names of the files whose md5 differs between two agents (or that only one has). */
export function differingFiles(a: AgentMd5, b: AgentMd5): string[] {
  const names = new Set([...Object.keys(a.files), ...Object.keys(b.files)]);
  return [...names].filter((n) => a.files[n] !== b.files[n]);
}
