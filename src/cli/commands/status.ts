import type { Command } from 'commander';
import { dbOf, parseQueueUrl, shownUrl } from '../../experiment/queue/queue-url.js';
import { printFailures } from '../failures.js';
import { formatTable } from '../table.js';

export function registerStatus(program: Command): void {
  program
    .command('status')
    .description('how far a queued sweep is: done, running, waiting and failed jobs, and why they failed')
    .requiredOption('--queue <url>', 'the Redis queue, redis://HOST:PORT[/DB]')
    .action(async (flags: { queue: string }) => {
      const url = parseQueueUrl(flags.queue);
      const { openQueue } = await import('../../experiment/queue/connection.js'); // BullMQ loads only for queue commands
      const { queueStatus } = await import('../../experiment/queue/status.js');
      const { queue, info } = await openQueue(url);
      const s = await queueStatus(queue, dbOf(url)).finally(() => queue.close());
      console.log(`${shownUrl(url)} (Redis ${info.version}, persistence ${info.persistence}): ${s.total} episode jobs, ${s.workers} worker${s.workers === 1 ? '' : 's'} (sap-rl worker processes) connected`);
      console.log(formatTable(['done', 'running', 'waiting', 'retrying', 'failed'], [[s.done, s.running, s.waiting, s.retrying, s.failed]]));
      if (info.persistence === 'off') console.log('Redis persistence is off: the results are lost if Redis restarts before they are collected (see README: Sweeps on several machines)');
      if (s.failures.length > 0) printFailures(s.failures, (l) => console.log(l));
    });
}
