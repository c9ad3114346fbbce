import type { Command } from 'commander';
import { SingleBar } from 'cli-progress';
import { availableParallelism } from 'node:os';
import { relative } from 'node:path';
import { TF_BACKENDS, type TfBackendName } from '../../agent/tf-backend.js';
import { runBatch } from '../../experiment/batch.js';
import { planBatch } from '../../experiment/batch-plan.js';
import { summarise } from '../../report/summary.js';
import { UserError } from '../errors.js';
import { parseIntFlag } from '../parse.js';
import { formatTable } from '../table.js';
import { printFailures } from '../failures.js';
import { QUEUE_DEFAULTS } from '../../experiment/queue/queue-url.js';

interface BatchFlags {
  workers?: string;
  out?: string;
  romDir?: string;
  tfBackend?: string;
  skipMissing?: boolean;
  dryRun?: boolean;
  queue?: string;
  agentsRoot?: string;
  attempts?: string;
  retryDelay?: string;
}

export function registerBatch(program: Command): void {
  program
    .command('batch')
    .description('run a sweep from a YAML config (games x agents x defenses x attacks x lambdas x seeds x episodes) in parallel; resumable')
    .argument('<config>', 'the sweep, e.g. sweeps/paper.yaml (see README: batch configs)')
    .option('--workers <n>', `worker threads (default: the config's workers, else one per core: ${availableParallelism()})`)
    .option('--out <file>', "results CSV (default: the config's out); finished episodes are skipped")
    .option('--rom-dir <dir>', "search this folder first for ROMs (overrides the config's rom-dir)")
    .option('--tf-backend <name>', `tfjs backend of the workers: ${TF_BACKENDS.join(', ')}`)
    .option('--skip-missing', 'leave out the runs whose agent folder is missing instead of refusing the config')
    .option('--dry-run', 'check the config and count the jobs, without running any')
    .option('--queue <url>', 'put the jobs in this Redis queue (redis://HOST:PORT[/DB]) for `sap-rl worker`s on any machine, instead of running them here')
    .option('--agents-root <dir>', 'with --queue: record agent folders relative to this folder (default: the current directory); workers give theirs')
    .option('--attempts <n>', `with --queue: tries per job before it fails for good (default ${QUEUE_DEFAULTS.attempts})`)
    .option('--retry-delay <seconds>', `with --queue: wait before the first retry, doubled for each further one (default ${QUEUE_DEFAULTS.retryDelayS})`)
    .action(async (config: string, flags: BatchFlags) => {
      if (flags.queue !== undefined) return (await import('./batch-queue.js')).enqueueBatch(config, flags); // loads BullMQ only when needed
      for (const flag of ['agentsRoot', 'attempts', 'retryDelay'] as const) {
        if (flags[flag] !== undefined) throw new UserError(`--${flag.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)} applies only with --queue`);
      }
      if (flags.tfBackend !== undefined && !(TF_BACKENDS as readonly string[]).includes(flags.tfBackend)) {
        throw new UserError(`--tf-backend must be one of ${TF_BACKENDS.join(', ')}, not '${flags.tfBackend}'`);
      }
      const workersFlag = flags.workers === undefined ? undefined : parseIntFlag(flags.workers, '--workers', 1);
      const plan = planBatch(config, { out: flags.out, romDir: flags.romDir, skipMissing: flags.skipMissing });
      const workers = workersFlag ?? plan.workers ?? availableParallelism();
      const shown = (p: string) => relative(process.cwd(), p) || p;
      for (const run of plan.skipped) console.log(`skipped ${run.where} (${run.game}): no agent at ${shown(run.agentDir)}`);
      if (flags.dryRun) {
        for (const { run, jobs } of plan.runs) console.log(`${run.where}: ${run.game}, agent ${shown(run.agentDir)}: ${jobs} episodes`);
        console.log(`${plan.jobs.length} episode jobs; results: ${shown(plan.out)}`);
        return;
      }

      const bar = new SingleBar({
        format: '{bar} {value}/{total} episodes | {rate} episodes/h | ETA {eta_formatted} | {failed} failed | {workers} workers',
        hideCursor: true,
        clearOnComplete: true,
      });
      let started = 0;
      let ranHere = 0;
      let failed = 0;
      const rate = (): string => {
        const hours = (performance.now() - started) / 3_600_000;
        return ranHere > 0 && hours > 0 ? String(Math.round(ranHere / hours)) : '-';
      };
      const outcome = await runBatch(
        plan,
        { workers, tfBackend: (flags.tfBackend as TfBackendName | undefined) ?? plan.tfBackend, outFlag: flags.out !== undefined ? '--out' : `${config}: out` },
        {
          onBegin: ({ total, done, pending }) => {
            if (done > 0) console.log(`${done} of ${total} episodes are already in ${shown(plan.out)}; ${pending} to play`);
            started = performance.now();
            if (pending > 0) bar.start(total, done, { rate: '-', failed, workers: Math.min(workers, pending) });
          },
          onJobDone: () => {
            ranHere++;
            bar.increment({ rate: rate() });
          },
          onJobFailed: () => {
            failed++;
            bar.update({ failed });
          },
        },
      ).finally(() => bar.stop());

      console.log(`results: ${shown(plan.out)} (${outcome.ran} episodes played now${ranHere > 0 ? `, ${rate()} episodes/h` : ''})`);
      const table = summarise(outcome.rows).map((s) => [s.game, s.agent, s.defense, s.attack, s.lambda, s.n, round(s.mean), round(s.std), `±${round(s.ci95)}`]);
      if (table.length > 0) console.log(formatTable(['game', 'agent', 'defense', 'attack', 'lambda', 'episodes', 'mean reward', 'std', '95% CI'], table));
      if (outcome.failures.length > 0) {
        printFailures(outcome.failures);
        throw new UserError(
          `${outcome.failures.length} of ${plan.jobs.length} episode jobs failed (listed in ${shown(outcome.failuresFile)}); fix their cause and run the same command again to play just those`,
          1,
        );
      }
    });
}

function round(v: number): string {
  return Number.isFinite(v) ? (Math.round(v * 100) / 100).toString() : '-';
}
