// Backend parity: play the same game on two backends (normally js and ale-py) with the same
// seed and the same random actions, and find the first agent step where anything an agent
// or the harness can see differs: screen bytes, RAM, reward, flags, lives, frame counters.
import { AtariEnv, type StepResult } from './atari-env.js';
import type { BackendName } from './backend.js';
import { Pcg64 } from './seeding.js';

export interface ParityOptions {
  game: string;
  /** Agent steps to play (episodes restart as they end). */
  steps: number;
  seed: number;
  frameskip: number;
  repeatActionProbability: number;
  romDir?: string;
  mode?: number;
  difficulty?: number;
  /** The backend under test and the reference (default js vs ale-py). */
  backends?: [BackendName, BackendName];
}

/** What one backend showed at a step. */
export interface ParitySnapshot {
  screen: Uint8Array;
  ram: Uint8Array;
  result: StepResult | undefined;
}

export interface Divergence {
  /** Agent step (0-based) at which they first differ; -1 = right after a reset. */
  step: number;
  episode: number;
  /** ALE action id played at that step (-1 for a reset). */
  action: number;
  /** Human-readable differences. */
  differences: string[];
  /** [backend under test, reference]. */
  snapshots: [ParitySnapshot, ParitySnapshot];
}

export interface ParityResult {
  game: string;
  backends: [BackendName, BackendName];
  /** Steps that agreed. */
  stepsMatched: number;
  episodes: number;
  divergence: Divergence | undefined;
}

const FIELDS = ['reward', 'terminated', 'truncated', 'lives', 'frameNumber', 'episodeFrameNumber'] as const;

function hex(n: number): string {
  return n.toString(16).padStart(2, '0');
}

/** The differences between two snapshots, in words (empty when they agree). */
export function describeDifferences(a: ParitySnapshot, b: ParitySnapshot, names: [string, string]): string[] {
  const out: string[] = [];
  let pixels = 0;
  let first = -1;
  for (let i = 0; i < a.screen.length; i++) {
    if (a.screen[i] !== b.screen[i]) {
      if (first < 0) first = i;
      pixels++;
    }
  }
  if (pixels) {
    const row = Math.floor(first / 160);
    out.push(
      `screen: ${pixels} pixels differ, first at row ${row} column ${first % 160} (${names[0]} ${a.screen[first]}, ${names[1]} ${b.screen[first]})`,
    );
  }
  const ram: string[] = [];
  for (let i = 0; i < a.ram.length; i++) {
    if (a.ram[i] !== b.ram[i]) ram.push(`$${hex(0x80 + i)}: ${hex(a.ram[i]!)} vs ${hex(b.ram[i]!)}`);
  }
  if (ram.length) out.push(`ram (${names[0]} vs ${names[1]}): ${ram.join(', ')}`);
  if (a.result && b.result) {
    for (const k of FIELDS) {
      if (a.result[k] !== b.result[k]) out.push(`${k}: ${names[0]} ${a.result[k]}, ${names[1]} ${b.result[k]}`);
    }
  }
  return out;
}

async function snapshot(env: AtariEnv, result: StepResult | undefined): Promise<ParitySnapshot> {
  return { screen: Uint8Array.from(env.screen), ram: Uint8Array.from(await env.ram()), result };
}

/** Plays both backends step by step until they differ or `steps` steps agreed. */
export async function runParity(opts: ParityOptions): Promise<ParityResult> {
  const backends = opts.backends ?? ['js', 'ale-py'];
  const make = (backend: BackendName): Promise<AtariEnv> =>
    AtariEnv.create({
      game: opts.game,
      romDir: opts.romDir,
      backend,
      frameskip: opts.frameskip,
      repeatActionProbability: opts.repeatActionProbability,
      seed: opts.seed,
      ...(opts.mode !== undefined ? { mode: opts.mode } : {}),
      ...(opts.difficulty !== undefined ? { difficulty: opts.difficulty } : {}),
    });
  const envs = [await make(backends[0]), await make(backends[1])] as const;
  const result: ParityResult = { game: opts.game, backends, stepsMatched: 0, episodes: 0, divergence: undefined };
  try {
    const rng = new Pcg64(opts.seed);
    const check = async (step: number, action: number, results: (StepResult | undefined)[]): Promise<boolean> => {
      const snaps = [await snapshot(envs[0], results[0]), await snapshot(envs[1], results[1])] as [ParitySnapshot, ParitySnapshot];
      const differences = describeDifferences(snaps[0], snaps[1], backends);
      if (!differences.length) return true;
      result.divergence = { step, episode: result.episodes, action, differences, snapshots: snaps };
      return false;
    };
    const reset = async (step: number, seed?: number): Promise<boolean> => {
      await envs[0].reset(seed);
      await envs[1].reset(seed);
      return check(step, -1, [undefined, undefined]);
    };
    if (!(await reset(-1, opts.seed))) return result;
    for (let step = 0; step < opts.steps; step++) {
      const index = rng.integers(0, envs[0].actionSet.length);
      const results = [await envs[0].step(index), await envs[1].step(index)];
      if (!(await check(step, envs[0].actionSet[index]!, results))) return result;
      result.stepsMatched = step + 1;
      if (results[1]!.terminated || results[1]!.truncated) {
        result.episodes++;
        if (!(await reset(step))) return result;
      }
    }
    return result;
  } finally {
    await envs[0].close();
    await envs[1].close();
  }
}
