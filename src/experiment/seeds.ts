// Where every random choice of an experiment comes from. The game's randomness (ALE's seed,
// no-op starts, sticky actions) depends only on (seed, episode), so every defense and every
// lambda meets the same game randomness in episode e; the defense's and the attack's own
// draws also depend on the setting, so settings do not share noise by accident.
import { SeedSequence } from '../env/seeding.js';

/** The env's reset seed for episode `episode` of a run seeded `seed`. */
export function episodeEnvSeed(seed: number, episode: number): number {
  return new SeedSequence([seed, episode, 0x656e76]).generateState(1)[0]!; // 'env'
}

/** A 32-bit seed for the defense/attack generator of one (setting, episode). */
export function episodeNoiseSeed(seed: number, episode: number, setting: string): number {
  const words = [seed, episode, 0x6e6f6973]; // 'nois'
  for (let i = 0; i < setting.length; i++) words.push(setting.charCodeAt(i));
  return new SeedSequence(words).generateState(1)[0]!;
}
