// A private redis-server for a test suite: on 127.0.0.1, a free port, its own folder, no
// persistence unless asked; killed at the end. Suites skip (with the reason printed) when
// redis-server is not installed (`apt-get install redis-server`; .ci/run installs it).
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';

export function redisMissing(): string | undefined {
  const r = spawnSync('redis-server', ['--version'], { encoding: 'utf8' });
  return r.status === 0 ? undefined : `redis-server is not installed (${r.error?.message ?? r.stderr.trim()}); apt-get install -y redis-server`;
}

export function requireRedis(ctx: Mocha.Context): void {
  const why = redisMissing();
  if (why) {
    console.log(`      skipped: ${why}`);
    ctx.skip();
  }
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const port = (srv.address() as { port: number }).port;
      srv.close(() => resolve(port));
    });
  });
}

export interface RedisOptions {
  /** The folder for its files (the AOF with `aof`). */
  dir: string;
  /** appendonly yes, fsynced at every write: what a crash keeps. Default: no persistence. */
  aof?: boolean;
}

export class TestRedis {
  private proc: ChildProcess | undefined;
  private log = '';

  private constructor(
    readonly port: number,
    readonly opts: RedisOptions,
  ) {}

  static async start(opts: RedisOptions): Promise<TestRedis> {
    const r = new TestRedis(await freePort(), opts);
    await r.start();
    return r;
  }

  /** redis://127.0.0.1:PORT[/DB] */
  url(db = 0): string {
    return `redis://127.0.0.1:${this.port}${db ? `/${db}` : ''}`;
  }

  /** Starts it (again, on the same port and folder). */
  async start(): Promise<void> {
    const persistence = this.opts.aof ? ['--appendonly', 'yes', '--appendfsync', 'always'] : ['--appendonly', 'no'];
    const proc = spawn('redis-server', ['--port', String(this.port), '--bind', '127.0.0.1', '--save', '', ...persistence, '--dir', this.opts.dir], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.proc = proc;
    this.log = '';
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`redis-server did not start in 20 s:\n${this.log}`)), 20_000);
      const onData = (d: Buffer): void => {
        this.log += d.toString();
        if (/Ready to accept connections/.test(this.log)) {
          clearTimeout(timer);
          resolve();
        }
      };
      proc.stdout!.on('data', onData);
      proc.stderr!.on('data', onData);
      proc.once('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`redis-server exited with code ${code}:\n${this.log}`));
      });
    });
  }

  /** Stops it: SIGKILL for a crash, SIGTERM for a clean shutdown. */
  async stop(signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
    const proc = this.proc;
    this.proc = undefined;
    if (!proc || proc.exitCode !== null || proc.signalCode !== null) return;
    await new Promise<void>((resolve) => {
      proc.once('exit', () => resolve());
      proc.kill(signal);
    });
  }
}
