import type { Command } from 'commander';
import { relative } from 'node:path';
import { parseQueueUrl, shownUrl } from '../../experiment/queue/queue-url.js';
import { UserError } from '../errors.js';
import { printFailures } from '../failures.js';

export function registerCollect(program: Command): void {
  program
    .command('collect')
    .description('append the finished results of a queued sweep to a results CSV (the schema of local runs; rows already there are skipped)')
    .requiredOption('--queue <url>', 'the Redis queue, redis://HOST:PORT[/DB]')
    .requiredOption('--out <file>', 'results CSV to append to')
    .action(async (flags: { queue: string; out: string }) => {
      const url = parseQueueUrl(flags.queue);
      const { openQueue } = await import('../../experiment/queue/connection.js'); // BullMQ loads only for queue commands
      const { collectResults } = await import('../../experiment/queue/collect.js');
      const { queue } = await openQueue(url);
      const o = await collectResults(queue, flags.out).finally(() => queue.close());
      const shown = relative(process.cwd(), flags.out) || flags.out;
      console.log(`${o.added} new results appended to ${shown} (${o.already} were there already); ${o.pending} jobs still waiting or running at ${shownUrl(url)}`);
      if (o.failures.length > 0) {
        printFailures(o.failures);
        throw new UserError(
          `${o.failures.length} episode job${o.failures.length > 1 ? 's' : ''} failed for good (listed in ${relative(process.cwd(), o.failuresFile)}); fix their cause and run \`sap-rl batch CONFIG --queue ${shownUrl(url)}\` again to queue them again`,
          1,
        );
      }
    });
}
