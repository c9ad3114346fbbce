// Where the queue lives: a Redis URL (--queue redis://HOST:PORT[/DB]), checked and reached
// once up front so that a typo or a Redis that is not running ends in one sentence naming
// the flag, before any work. Every sweep command (batch --queue, worker, collect, status)
// opens the same BullMQ queue in it.
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { UserError } from '../../cli/errors.js';
import { shownUrl } from './queue-url.js';

/** The BullMQ queue of episode jobs; another sweep can use another Redis database (redis://HOST:PORT/1). */
export const QUEUE_NAME = 'sap-rl-episodes';
/** The BullMQ job name of every episode job. */
export const JOB_NAME = 'episode';

/** What Redis says about itself, read by checkRedis. */
export interface RedisInfo {
  readonly version: string;
  /** "appendonly yes", "save 3600 1 ...", or "off" (results are lost when Redis restarts); "unknown" if CONFIG is not allowed. */
  readonly persistence: string;
}

/** Connects once, without retrying: an unreachable or refusing Redis is a UserError naming the flag. */
export async function checkRedis(url: string, flag = '--queue'): Promise<RedisInfo> {
  const client = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null, connectTimeout: 5000, enableOfflineQueue: false });
  let cause: Error | undefined; // the socket's error; connect() itself only says "Connection is closed."
  client.on('error', (err: Error) => (cause ??= err));
  try {
    await client.connect();
    const server = await client.info('server');
    const version = /redis_version:(\S+)/.exec(server)?.[1] ?? '?';
    return { version, persistence: await persistence(client) };
  } catch (err) {
    const e = (cause ?? err) as NodeJS.ErrnoException;
    const why = e.code ?? e.message;
    if (/NOAUTH|WRONGPASS|invalid password|invalid username/i.test(e.message)) {
      throw new UserError(`${flag} ${shownUrl(url)}: Redis refused the login (${e.message.replace(/\.$/, '')}); put its password in the URL, redis://:PASSWORD@HOST:PORT`);
    }
    throw new UserError(`${flag} ${shownUrl(url)}: cannot reach Redis (${why}); start redis-server there (README: Sweeps on several machines) or fix the URL`);
  } finally {
    client.disconnect();
  }
}

async function persistence(client: Redis): Promise<string> {
  try {
    const aof = (await client.config('GET', 'appendonly')) as string[];
    if (aof[1] === 'yes') return 'appendonly yes';
    const save = (await client.config('GET', 'save')) as string[];
    return save[1] ? `save ${save[1]}` : 'off';
  } catch {
    return 'unknown';
  }
}

/** The BullMQ connection options for a URL (BullMQ makes its own ioredis clients from them). */
export function connectionOf(url: string): { url: string } {
  return { url };
}

/** The queue, after checkRedis; close it when done. */
export async function openQueue(url: string, flag = '--queue'): Promise<{ queue: Queue; info: RedisInfo }> {
  const info = await checkRedis(url, flag);
  const queue = new Queue(QUEUE_NAME, { connection: connectionOf(url) });
  queue.on('error', (err) => process.stderr.write(`sap-rl: Redis at ${shownUrl(url)}: ${err.message}\n`));
  await queue.waitUntilReady();
  return { queue, info };
}
