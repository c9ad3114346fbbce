// `npm run parity`: the js backend against ale-py on every installed target game, with
// random actions from the same seed, in two settings (frameskip 1 without sticky actions,
// and ALE v5's frameskip 4 with sticky actions 0.25). For each game it prints the first
// diverging agent step, and writes the two screens there as PNGs plus the RAM diff.
// Usage: npm run parity [-- --steps N --seed S --games pong,breakout --out DIR]
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { ALE_GAMES } from '../src/atari/games/index.js';
import { toRGB } from '../src/env/atari-env.js';
import { SCREEN_HEIGHT, SCREEN_WIDTH } from '../src/env/backend.js';
import { runParity, type ParityResult } from '../src/env/parity.js';
import { findRoms, romSearchDirs } from '../src/env/roms.js';
import { encodePng } from '../src/report/png.js';

const arg = (name: string, fallback: string): string => {
  const i = process.argv.indexOf(name);
  return i > 0 && process.argv[i + 1] !== undefined ? process.argv[i + 1]! : fallback;
};
const STEPS = Number(arg('--steps', '2000'));
const SEED = Number(arg('--seed', '0'));
const OUT = resolve(arg('--out', 'results/parity'));
const wanted = arg('--games', '');
const SETTINGS = [
  { name: 'frameskip1-sticky0', frameskip: 1, repeatActionProbability: 0 },
  { name: 'frameskip4-sticky0.25', frameskip: 4, repeatActionProbability: 0.25 },
];

function report(result: ParityResult, dir: string): string {
  const d = result.divergence;
  if (!d) return `ok, ${result.stepsMatched} steps (${result.episodes} episodes)`;
  mkdirSync(dir, { recursive: true });
  const [a, b] = result.backends;
  writeFileSync(join(dir, `${a}.png`), encodePng(SCREEN_WIDTH, SCREEN_HEIGHT, toRGB(d.snapshots[0].screen)));
  writeFileSync(join(dir, `${b}.png`), encodePng(SCREEN_WIDTH, SCREEN_HEIGHT, toRGB(d.snapshots[1].screen)));
  const lines = [
    `game ${result.game}, first divergence at step ${d.step} (episode ${d.episode}, action ${d.action})`,
    ...d.differences,
    '',
    `RAM ${a}: ${Buffer.from(d.snapshots[0].ram).toString('hex')}`,
    `RAM ${b}: ${Buffer.from(d.snapshots[1].ram).toString('hex')}`,
  ];
  writeFileSync(join(dir, 'divergence.txt'), lines.join('\n') + '\n');
  return `DIVERGES at step ${d.step} (after ${result.stepsMatched} matching steps): ${d.differences.join('; ')} -> ${dir}`;
}

const findings = findRoms(romSearchDirs());
const games = ALE_GAMES.filter((g) => !wanted || wanted.split(',').includes(g.id));
console.log(`parity: js vs ale-py, ${STEPS} steps per game and setting, seed ${SEED}`);
let failures = 0;
for (const game of games) {
  const finding = findings.find((f) => f.game === game);
  if (!finding?.path) {
    console.log(`${game.id.padEnd(15)} skipped: no ROM installed`);
    continue;
  }
  for (const s of SETTINGS) {
    const result = await runParity({ game: game.id, steps: STEPS, seed: SEED, ...s });
    if (result.divergence) failures++;
    console.log(`${game.id.padEnd(15)} ${s.name.padEnd(22)} ${report(result, join(OUT, game.id, s.name))}`);
  }
}
process.exitCode = failures ? 1 : 0;
