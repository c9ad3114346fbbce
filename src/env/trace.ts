// `sap-rl trace`: one JSON line per agent step, the raw material of backend parity checks.
import { AtariEnv } from './atari-env.js';
import { fnv1a64 } from './fnv.js';
import { Pcg64 } from './seeding.js';

export interface TraceLine {
  step: number;
  episode: number;
  /** ALE action id. */
  action: number;
  reward: number;
  lives: number;
  terminated: boolean;
  truncated: boolean;
  /** FNV-1a 64 of the 160x210 palette-index screen, row order. */
  screen: string;
  /** The 128 RAM bytes, hex. */
  ram: string;
}

export interface TraceOptions {
  steps: number;
  seed: number;
  /** 'random' (uniform over the action set, from a generator seeded with `seed`) or ALE action ids, cycled. */
  actions: 'random' | number[];
}

/** Plays `steps` agent steps from reset(seed), resetting (unseeded) after each episode end. */
export async function* trace(env: AtariEnv, opts: TraceOptions): AsyncGenerator<TraceLine> {
  const rng = new Pcg64(opts.seed);
  const indices =
    opts.actions === 'random'
      ? undefined
      : opts.actions.map((a) => {
          const i = env.actionSet.indexOf(a);
          if (i < 0) throw new RangeError(`action ${a} is not in this game's action set (${env.actionSet.join(', ')})`);
          return i;
        });
  await env.reset(opts.seed);
  let episode = 0;
  for (let step = 0; step < opts.steps; step++) {
    const index = indices ? indices[step % indices.length]! : rng.integers(0, env.actionSet.length);
    const s = await env.step(index);
    const ram = await env.ram();
    yield {
      step,
      episode,
      action: env.actionSet[index]!,
      reward: s.reward,
      lives: s.lives,
      terminated: s.terminated,
      truncated: s.truncated,
      screen: fnv1a64(env.screen),
      ram: Buffer.from(ram).toString('hex'),
    };
    if (s.terminated || s.truncated) {
      episode++;
      await env.reset();
    }
  }
}
