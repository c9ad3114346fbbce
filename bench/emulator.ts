// Raw emulator speed: frames/s of sap-rl's js machine (AleEnvironment.act, one frame per
// call, in-process) against ale-py's C++ core (ALEInterface.act in a Python loop), same
// games, same action sequence, same run. Prints the ratio js / C++.
// Usage: npm run bench:emulator [-- --frames N --rounds R --games pong,breakout]
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { AleEnvironment } from '../src/atari/ale/environment.js';
import type { GameSpec } from '../src/atari/games/index.js';
import { pythonExecutable } from '../src/env/python.js';
import { resolveRom } from '../src/env/roms.js';

const arg = (name: string, fallback: string): string => {
  const i = process.argv.indexOf(name);
  return i > 0 && process.argv[i + 1] !== undefined ? process.argv[i + 1]! : fallback;
};
const GAMES = arg('--games', 'pong,breakout,space_invaders,seaquest,ms_pacman').split(',');
const FRAMES = Number(arg('--frames', '20000'));
// Rounds alternate js / C++; medians resist the noise of a shared machine.
const ROUNDS = Number(arg('--rounds', '3'));
const WARMUP = 2000;
const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

/** The action of frame i: the game's minimal set, cycled in a fixed stride (same in both runs). */
const actionAt = (actions: readonly number[], i: number): number => actions[((i * 7) >> 3) % actions.length]!;

function js(path: string, game: GameSpec): number {
  const actions = game.minimalActions;
  const env = new AleEnvironment(readFileSync(path), game.rules, { seed: 0, repeatActionProbability: 0, maxFramesPerEpisode: 0 });
  for (let i = 0; i < WARMUP; i++) {
    env.act(actionAt(actions, i));
    if (env.isTerminal()) env.reset();
  }
  const t0 = performance.now();
  for (let i = 0; i < FRAMES; i++) {
    env.act(actionAt(actions, i));
    if (env.isTerminal()) env.reset();
  }
  return FRAMES / ((performance.now() - t0) / 1000);
}

function cpp(path: string, actions: readonly number[]): number {
  const script = `
import sys, time, ale_py
ale = ale_py.ALEInterface()
ale.setLoggerMode(ale_py.LoggerMode.Error)
ale.setInt("random_seed", 0)
ale.setFloat("repeat_action_probability", 0.0)
ale.loadROM(sys.argv[1])
acts = [ale_py.Action(int(a)) for a in sys.argv[2].split(",")]
n, warm = int(sys.argv[3]), int(sys.argv[4])
def run(count):
    for i in range(count):
        ale.act(acts[((i * 7) >> 3) % len(acts)])
        if ale.game_over(): ale.reset_game()
run(warm)
t0 = time.perf_counter()
run(n)
print(n / (time.perf_counter() - t0))
`;
  const res = spawnSync(pythonExecutable(), ['-c', script, path, actions.join(','), String(FRAMES), String(WARMUP)], { encoding: 'utf8' });
  if (res.status !== 0) throw new Error(`ale-py reference failed: ${res.stderr}`);
  return Number(res.stdout.trim().split('\n').pop());
}

console.log(`emulator bench: ${FRAMES} frames per run (sticky 0, one act per frame), median of ${ROUNDS} alternating runs`);
console.log('game              js frames/s   C++ frames/s   ratio');
for (const id of GAMES) {
  const { game, path } = resolveRom(id);
  const a: number[] = [];
  const b: number[] = [];
  for (let r = 0; r < ROUNDS; r++) {
    a.push(js(path, game));
    b.push(cpp(path, game.minimalActions));
  }
  const ours = median(a);
  const ref = median(b);
  console.log(`${id.padEnd(16)} ${ours.toFixed(0).padStart(12)} ${ref.toFixed(0).padStart(14)}   ${(ours / ref).toFixed(2)}x`);
}
