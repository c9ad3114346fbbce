// Episodes/hour of `sap-rl batch` with 1 and with 2 worker threads on the same small grid
// (Pong on our js emulator, a random-weight Nature-CNN agent, dense and SAP-100 under FGSM,
// EOT 2, 8 episodes of each setting), wall clock from the start of the pool to its last
// result, and the scaling ratio.
// Runs alternate (1, 2, 1, 2...) and the median of each is taken. Target (issue 5): >= 1.8x.
// The wall clock only scales when two cores are free; the CPU time per episode is printed too.
// Usage: npm run bench:batch [-- --episodes N --frames F --repeats R]
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { importCleanRL } from '../src/agent/import-cleanrl.js';
import { initTf } from '../src/agent/tf-backend.js';
import { writeRandomCleanRLCheckpoint } from './torch-reference.js';
import { runBatch } from '../src/experiment/batch.js';
import { planBatch } from '../src/experiment/batch-plan.js';
import { episodeKey } from '../src/report/results-schema.js';

const arg = (name: string, fallback: number): number => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
};
// 8 per setting (32 episodes): with 4 (16 episodes, ~30 s of work) the pool's start (~1 s)
// and the last job's tail were a tenth of the 2-worker run, which a real sweep never sees.
const EPISODES = arg('episodes', 8);
const FRAMES = arg('frames', 1500);
const REPEATS = arg('repeats', 2);

const median = (v: number[]): number => {
  const s = [...v].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};

const dir = mkdtempSync(join(tmpdir(), 'sap-rl-bench-batch-'));
try {
  const ckpt = join(dir, 'pong.cleanrl_model');
  writeRandomCleanRLCheckpoint(ckpt, 6);
  await initTf();
  await importCleanRL(ckpt, { game: 'pong', out: join(dir, 'agents', 'pong-dqn') });
  const config = join(dir, 'grid.yaml');
  writeFileSync(config, [
    'defaults:',
    '  defenses: [dense, sap:1.0]',
    '  attacks: [{ name: fgsm, eot: 2 }]',
    '  lambdas: [0, 4]',
    `  episodes: ${EPISODES}`,
    `  max-frames: ${FRAMES}`,
    'runs:',
    '  - { game: pong, agent: agents/pong-dqn }',
    '',
  ].join('\n'));

  const jobs = planBatch(config).jobs.length;
  console.log(`batch bench: Pong (js backend), ${jobs} episodes of ${FRAMES} frames (dense and SAP-100, FGSM EOT-2, lambda 0 and 4), ${REPEATS} runs each`);
  console.log(`load average before: ${loadavg().map((l) => l.toFixed(2)).join(' ')}`);
  const rates: Record<number, number[]> = { 1: [], 2: [] };
  const cpu: Record<number, number[]> = { 1: [], 2: [] };
  let reference: string | undefined;
  for (let r = 0; r < REPEATS; r++) {
    for (const workers of [1, 2]) {
      const out = join(dir, `r${r}-w${workers}.csv`);
      const t0 = performance.now();
      const c0 = process.cpuUsage(); // every thread of this process: the workers too
      const { rows } = await runBatch(planBatch(config, { out }), { workers });
      const hours = (performance.now() - t0) / 3_600_000;
      const c = process.cpuUsage(c0);
      const cpuPerEpisode = (c.user + c.system) / 1e6 / rows.length;
      rates[workers]!.push(rows.length / hours);
      cpu[workers]!.push(cpuPerEpisode);
      const rewards = rows.map((row) => `${episodeKey(row)}=${row.reward}`).sort().join(';');
      if (reference !== undefined && rewards !== reference) throw new Error(`run ${r} with ${workers} workers gave other rewards`);
      reference = rewards;
      console.log(
        `  run ${r + 1}, ${workers} worker${workers > 1 ? 's' : ' '}: ${(rows.length / hours).toFixed(0).padStart(6)} episodes/h, ` +
          `${cpuPerEpisode.toFixed(2)} CPU s/episode, ${((rows.length * cpuPerEpisode) / (hours * 3600)).toFixed(2)} cores used, load average ${loadavg()[0]!.toFixed(2)}`,
      );
    }
  }
  const one = median(rates[1]!);
  const two = median(rates[2]!);
  console.log(`load average after: ${loadavg().map((l) => l.toFixed(2)).join(' ')}`);
  console.log('workers   episodes/h (median)   CPU s/episode (median)');
  console.log(`1         ${one.toFixed(0).padStart(10)}   ${median(cpu[1]!).toFixed(2).padStart(22)}`);
  console.log(`2         ${two.toFixed(0).padStart(10)}   ${median(cpu[2]!).toFixed(2).padStart(22)}`);
  console.log(`scaling 2/1: ${(two / one).toFixed(2)}x (target >= 1.8); the same rewards in every run`);
  // With other processes on the cores the wall clock cannot scale (and where the kernel
  // groups processes by session, sched_autogroup, this one gets a single core as long as one
  // other session is busy: see "cores used"). The CPU time per episode says whether two
  // workers waste any: 2 x (CPU/episode at 1) / (CPU/episode at 2) is the scaling two free
  // cores would give.
  console.log(`scaling on two free cores, from CPU time: ${((2 * median(cpu[1]!)) / median(cpu[2]!)).toFixed(2)}x`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
