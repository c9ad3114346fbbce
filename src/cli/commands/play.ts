import type { Command } from 'commander';
import { SingleBar } from 'cli-progress';
import { initTf, type TfBackendName } from '../../agent/tf-backend.js';
import { parseAttackConfig } from '../../attack/index.js';
import { parseDefenses } from '../../defense/index.js';
import { DEFAULT_BACKEND, parseBackendName } from '../../env/backends/index.js';
import { PERTURB_MODES, type PerturbMode } from '../../experiment/episode.js';
import { runPlay, type PlayHooks } from '../../experiment/play.js';
import { DEFAULT_RUN, runPlayToPrecision } from '../../experiment/default-run.js';
import { EpisodeRecorder } from '../../experiment/recorder.js';
import { writePlots } from '../../report/plot.js';
import { summarise } from '../../report/summary.js';
import { UserError } from '../errors.js';
import { parseIntFlag } from '../parse.js';
import { formatTable } from '../table.js';

interface PlayFlags {
  game?: string;
  agent?: string;
  defense: string;
  attack: string;
  lambda: string;
  episodes?: string;
  seed: string;
  eot: string;
  pgdSteps?: string;
  pgdAlpha?: string;
  perturb: string;
  backend: string;
  out?: string;
  romDir?: string;
  maxFrames: string;
  tfBackend?: string;
  record?: string;
  recordEvery: string;
  workers?: string;
}

export function registerPlay(program: Command): void {
  program
    .command('play')
    .description(
      'play episodes with an agent, dense and defended, under an observation attack at each lambda; one CSV row per episode. ' +
        'Without --agent and --game: the default run, our own game Catch with agents/catch-dqn, results and a plot in results/default/',
    )
    .option('--game <id>', "game id (default: the agent's game)")
    .option('--agent <dir>', 'agent folder (model.json + agent.json)')
    .option('--defense <list>', 'comma-separated defenses: dense, sap:TAU, dropout:P, rna:SIGMA', 'dense,sap:1.0')
    .option('--attack <name>', 'none, fgsm, pgd or noise', 'fgsm')
    .option('--lambda <list>', 'comma-separated perturbation sizes in pixels (0..255)', '0,1,2,4,8')
    .option('--episodes <n>', `episodes per (defense, lambda) (default 10; ${DEFAULT_RUN.episodes} in the default run)`)
    .option('--seed <s>', 'base seed: episode e sees the same game randomness under every setting', '0')
    .option('--eot <k>', 'samples per gradient against stochastic defenses (1 = single-sample attack)', '10')
    .option('--pgd-steps <n>', 'PGD steps')
    .option('--pgd-alpha <a>', 'PGD step size in pixels (default 2.5 * lambda / steps)')
    .option('--perturb <mode>', 'frame (each new frame once) or stack (the whole input every step)', 'stack')
    .option('--backend <name>', 'emulator backend: js or ale-py', DEFAULT_BACKEND)
    .option('--rom-dir <dir>', 'search this folder first for ROMs')
    .option('--max-frames <n>', 'truncate episodes after this many frames (ALE v5: 108000)', '108000')
    .option('--tf-backend <name>', 'tfjs backend: wasm, cpu or tensorflow')
    .option('--out <file>', `results CSV (appended; finished episodes are skipped); default results/play-<time>.csv, ${DEFAULT_RUN.out} in the default run`)
    .option('--record <file.gif>', 'animated GIF of episode 0 of each (defense, lambda): clean frame, perturbation, what the agent saw; several settings: FILE-<defense>-lambda<L>.gif')
    .option('--record-every <k>', 'keep every k-th agent step in the GIF', '1')
    .option('--workers <n>', 'worker threads playing episodes in parallel (default 1: in this thread; one per core in the default run)')
    .action(async (flags: PlayFlags) => {
      // No agent and no game: the embedded default (src/experiment/default-run.ts).
      const embedded = flags.agent === undefined && flags.game === undefined;
      if (flags.agent === undefined && !embedded) throw new UserError('play needs --agent DIR (an agent folder, see `sap-rl import` and `sap-rl train`)');
      const agentDir = flags.agent ?? DEFAULT_RUN.agentDir;
      const lambdas = flags.lambda.split(',').map((l) => parseAttackConfig({ attack: flags.attack, lambda: l }).lambda);
      const parsed = parseAttackConfig({ attack: flags.attack, lambda: 0, eot: flags.eot, pgdSteps: flags.pgdSteps, pgdAlpha: flags.pgdAlpha });
      // PGD's default step depends on each lambda (2.5 * lambda / steps), so only an explicit --pgd-alpha is kept
      const attack = { name: parsed.name, eot: parsed.eot, pgdSteps: parsed.pgdSteps, pgdAlpha: flags.pgdAlpha === undefined ? undefined : parsed.pgdAlpha };
      const defenses = parseDefenses(flags.defense);
      if (!(PERTURB_MODES as readonly string[]).includes(flags.perturb)) {
        throw new UserError(`--perturb must be frame or stack, not '${flags.perturb}'`);
      }
      const episodes = parseIntFlag(flags.episodes ?? String(embedded ? DEFAULT_RUN.episodes : 10), '--episodes', 1);
      const seed = parseIntFlag(flags.seed, '--seed', 0);
      const maxFrames = parseIntFlag(flags.maxFrames, '--max-frames', 1);
      const workers = parseIntFlag(flags.workers ?? String(embedded ? DEFAULT_RUN.workers() : 1), '--workers', 1);
      const backend = parseBackendName(flags.backend);
      const out = flags.out ?? (embedded ? DEFAULT_RUN.out : `results/play-${new Date().toISOString().replace(/[:.]/g, '-')}.csv`);
      const every = parseIntFlag(flags.recordEvery, '--record-every', 1);
      if (flags.record !== undefined && workers > 1) {
        throw new UserError('--record plays its episodes in this thread; drop --workers (or record in a run of its own)');
      }
      const recorder =
        flags.record === undefined ? undefined : new EpisodeRecorder({ file: flags.record, defenses, lambdas, attack, perturb: flags.perturb as PerturbMode, every });
      await initTf(flags.tfBackend as TfBackendName | undefined);
      const bar = new SingleBar({
        format: '{bar} {value}/{total} episodes | {setting} | episode {episode} | step {steps} reward {reward}',
        hideCursor: true,
        clearOnComplete: true,
      });
      let started = false;
      let steps = 0;
      const cfg = { game: flags.game ?? (embedded ? DEFAULT_RUN.game : undefined), agentDir, defenses, attack, lambdas, episodes, seed, perturb: flags.perturb as PerturbMode, backend, out, romDir: flags.romDir, maxFrames, workers, tfBackend: flags.tfBackend as TfBackendName | undefined };
      // The default run adds episodes until every CI is narrow enough, unless --episodes fixes their number.
      const toPrecision = embedded && flags.episodes === undefined;
      const rows = await (toPrecision ? (c: typeof cfg, h: PlayHooks) => runPlayToPrecision(c, DEFAULT_RUN, h) : runPlay)(
        cfg,
        EpisodeRecorder.wrap(recorder, {
          onEpisodeStart: ({ defense, lambda, episode, index, total }) => {
            steps = 0;
            const payload = { setting: `${defense.spec} ${attack.name} lambda ${lambda}`, episode, steps, reward: 0 };
            if (!started) bar.start(total, index, payload);
            started = true;
            bar.setTotal(total); // a top-up round of the default run is a grid of its own
            bar.update(index, payload);
          },
          onStep: ({ reward }) => {
            if (++steps % 25 === 0) bar.update({ steps, reward });
          },
          onEpisodeEnd: () => bar.increment(),
        }),
      ).finally(() => {
        bar.stop();
        recorder?.abort();
      });
      console.log(`results: ${out}`);
      if (recorder) for (const line of recorder.report(out)) console.log(line);
      const table = summarise(rows).map((s) => [s.defense, s.attack, s.lambda, s.n, round(s.mean), round(s.std), `±${round(s.ci95)}`]);
      console.log(formatTable(['defense', 'attack', 'lambda', 'episodes', 'mean reward', 'std', '95% CI'], table));
      if (embedded) {
        const plots = await writePlots(rows, DEFAULT_RUN.plotDir, [out]);
        console.log(`plot: ${plots.files.find((f) => f.endsWith('reward-vs-lambda.png'))} (report: ${plots.index})`);
      }
    });
}

function round(v: number): string {
  return Number.isFinite(v) ? (Math.round(v * 100) / 100).toString() : '-';
}
