import type { Command } from 'commander';
import { existsSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { TF_BACKENDS, initTf, type TfBackendName } from '../../agent/tf-backend.js';
import { QUEUE_DEFAULTS, parseQueueUrl, shownUrl } from '../../experiment/queue/queue-url.js';
import { UserError } from '../errors.js';
import { parseIntFlag, parseSecondsFlag } from '../parse.js';

interface WorkerFlags {
  queue: string;
  concurrency?: string;
  agentsRoot?: string;
  romDir?: string;
  tfBackend?: string;
  stallTimeout?: string;
}

export function registerWorker(program: Command): void {
  program
    .command('worker')
    .description('play the episode jobs of a queued sweep (`sap-rl batch CONFIG --queue URL`) on this machine, until stopped')
    .requiredOption('--queue <url>', 'the Redis queue, redis://HOST:PORT[/DB]')
    .option('--concurrency <n>', 'jobs played at once, one worker thread each (default 1)')
    .option('--agents-root <dir>', 'the folder the queued agent paths are relative to on this machine (default: the current directory)')
    .option('--rom-dir <dir>', 'search this folder first for ROMs')
    .option('--tf-backend <name>', `tfjs backend of the worker threads: ${TF_BACKENDS.join(', ')}`)
    .option('--stall-timeout <seconds>', `a job whose worker stops answering for this long is played again by another (default ${QUEUE_DEFAULTS.stallTimeoutS})`)
    .action(async (flags: WorkerFlags) => {
      const url = parseQueueUrl(flags.queue);
      const concurrency = flags.concurrency === undefined ? 1 : parseIntFlag(flags.concurrency, '--concurrency', 1, 1024);
      const stallTimeoutMs = parseSecondsFlag(flags.stallTimeout ?? String(QUEUE_DEFAULTS.stallTimeoutS), '--stall-timeout');
      const agentsRoot = resolve(flags.agentsRoot ?? '.');
      if (!existsSync(agentsRoot) || !statSync(agentsRoot).isDirectory()) {
        throw new UserError(`--agents-root ${flags.agentsRoot}: no such folder; give the folder that holds the agent paths the sweep was queued with`);
      }
      const romDir = flags.romDir === undefined ? undefined : resolve(flags.romDir);
      if (romDir !== undefined && (!existsSync(romDir) || !statSync(romDir).isDirectory())) {
        throw new UserError(`--rom-dir ${flags.romDir}: no such folder; give the folder that holds the ROMs (see roms.md)`);
      }
      let tfBackend: TfBackendName | undefined;
      if (flags.tfBackend !== undefined) {
        if (!(TF_BACKENDS as readonly string[]).includes(flags.tfBackend)) {
          throw new UserError(`--tf-backend must be one of ${TF_BACKENDS.join(', ')}, not '${flags.tfBackend}'`);
        }
        tfBackend = flags.tfBackend as TfBackendName;
        await initTf(tfBackend); // one that cannot start here fails now, not in every job
      }
      const { checkRedis } = await import('../../experiment/queue/connection.js'); // BullMQ loads only for queue commands
      const { startConsumer } = await import('../../experiment/queue/consumer.js');
      const info = await checkRedis(url);
      const log = (line: string): void => console.log(`${new Date().toISOString()} ${line}`);
      let lastError = '';
      const worker = await startConsumer(
        { url, concurrency, stallTimeoutMs, settings: { agentsRoot, romDir, tfBackend } },
        {
          onStart: (key, attempt) => {
            lastError = ''; // connected again: the next outage is reported too
            log(`start ${key}${attempt > 1 ? ` (attempt ${attempt})` : ''}`);
          },
          onDone: (key, row) => log(`done ${key}: reward ${row.reward} in ${row.frames} frames (${row.seconds} s)`),
          onFailed: (key, message, attempt, retryIn) =>
            log(`failed ${key} (attempt ${attempt}): ${message}${retryIn === undefined ? '; failed for good' : `; retried in ${retryIn / 1000} s`}`),
          onStalled: (key) => log(`stalled ${key}: its worker stopped answering; queued again`),
          onError: (message) => {
            if (message !== lastError) log(`error: ${message} (retrying)`);
            lastError = message;
          },
        },
      );
      log(
        `worker: ${concurrency} job${concurrency > 1 ? 's' : ''} at a time from ${shownUrl(url)} (Redis ${info.version}, persistence ${info.persistence}); agents under ${agentsRoot}${romDir ? `, ROMs first from ${romDir}` : ''}; Ctrl-C to stop`,
      );
      await new Promise<void>((done) => worker.once('closed', () => done()));
    });
}
