// The reference backend: the real ALE (ale-py) in a Python child process, driven over
// stdin/stdout with the binary protocol of python/ale_bridge.py.
import { spawn, type ChildProcessByStdio } from 'node:child_process';
import { closeSync, constants, openSync, readSync, rmSync, writeSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { Readable, Writable } from 'node:stream';
import { UserError } from '../../cli/errors.js';
import { PACKAGE_ROOT } from '../../version.js';
import { pythonExecutable } from '../python.js';
import {
  RAM_SIZE,
  SCREEN_PIXELS,
  type ActResult,
  type EmulatorBackend,
  type FrameStatus,
  type GameInfo,
  type LoadConfig,
} from '../backend.js';

const BRIDGE_SCRIPT = join(PACKAGE_ROOT, 'python', 'ale_bridge.py');

const enum Op {
  Hello = 1,
  Load = 2,
  Reset = 3,
  Act = 4,
  Screen = 5,
  Ram = 6,
  Close = 7,
}

/** An error raised inside the Python bridge (ale-py or the bridge itself). */
export class AlePyError extends Error {
  override name = 'AlePyError';
}

export interface AlePyVersion {
  python: string;
  executable: string;
  alePy: string;
  romDir: string;
}

type Child = ChildProcessByStdio<Writable, Readable, Readable>;

/** Live bridges, killed when this process exits however it exits. */
const live = new Set<Child>();
process.once('exit', () => {
  for (const child of live) child.kill('SIGKILL');
});

/**
 * How long (microseconds) to poll for an answer before sleeping in a blocking read.
 * Waking a process that slept costs ~100-150 us on a virtual machine, more than the ALE
 * needs for a 4-frame step, so a short poll pays for itself; 0 turns it off (for many
 * parallel workers on few cores). The Python side polls for requests the same way.
 */
const SPIN_US = Number(process.env['SAP_RL_BRIDGE_SPIN_US'] ?? 1000);

/**
 * One Python process with one ALEInterface. The handshake (HELLO) runs over the child's
 * stdin/stdout; its answer names two FIFOs, and every later request is a write and a read
 * on them with synchronous system calls (a round trip costs ~27-50 us here, against ~45-120 us
 * through Node's asynchronous pipes). The child is unreferenced, so an idle bridge never
 * keeps Node alive.
 */
class BridgeProcess {
  private child: Child | undefined;
  private starting: Promise<void> | undefined;
  private fdOut = -1; // request FIFO (we write)
  private fdIn = -1; // response FIFO (we read), blocking
  private fdPoll = -1; // the same FIFO, non-blocking, for polling
  private requestBuf = Buffer.alloc(64);
  private stderrTail = '';
  private dead: Error | undefined;
  private readonly header = Buffer.alloc(5);
  private body = Buffer.alloc(1 << 17);

  constructor(private readonly python: string) {}

  get pid(): number | undefined {
    return this.child?.pid;
  }

  /** The HELLO answer (JSON); starts the child on the first call. */
  hello(): Promise<Buffer> {
    this.starting ??= this.start();
    return this.starting.then(() => this.helloAnswer!);
  }

  private helloAnswer: Buffer | undefined;

  /** One request after the handshake; the answer's payload is valid until the next request. */
  request(op: Op, payload: Uint8Array = EMPTY): Buffer {
    if (this.dead) throw this.dead;
    if (this.fdOut < 0) throw new AlePyError('the ale-py bridge is not started (call hello first)');
    if (payload.length + 5 > this.requestBuf.length) this.requestBuf = Buffer.alloc(payload.length + 5);
    const req = this.requestBuf;
    req.writeUInt8(op, 0);
    req.writeUInt32LE(payload.length, 1);
    req.set(payload, 5);
    const h = this.header;
    try {
      writeSync(this.fdOut, req, 0, payload.length + 5); // one write: one wake-up of the child
      this.readExact(h, 5);
      const size = h.readUInt32LE(1);
      if (size > this.body.length) this.body = Buffer.alloc(size);
      const body = this.body.subarray(0, size);
      this.readExact(body, size);
      if (h.readUInt8(0) !== 0) throw new AlePyError(body.toString('utf8'));
      return body;
    } catch (err) {
      if (err instanceof AlePyError) throw err;
      this.dead = new AlePyError(`the ale-py bridge (${this.python}) stopped: ${(err as Error).message}${this.tail()}`);
      this.child?.kill('SIGKILL');
      throw this.dead;
    }
  }

  close(): void {
    if (this.fdOut < 0 || this.dead) return;
    try {
      this.request(Op.Close);
    } catch {
      this.child?.kill('SIGKILL');
    }
    closeSync(this.fdOut);
    closeSync(this.fdIn);
    closeSync(this.fdPoll);
    this.fdOut = this.fdIn = this.fdPoll = -1;
    this.dead = new AlePyError('the ale-py backend is closed');
  }

  private readExact(buf: Buffer, size: number): void {
    let got = 0;
    const deadline = SPIN_US > 0 ? performance.now() + SPIN_US / 1000 : 0;
    while (got < size) {
      let n: number;
      if (deadline && performance.now() < deadline) {
        try {
          n = readSync(this.fdPoll, buf, got, size - got, null);
        } catch (err) {
          if ((err as NodeJS.ErrnoException).code === 'EAGAIN') continue;
          throw err;
        }
      } else {
        n = readSync(this.fdIn, buf, got, size - got, null);
      }
      if (n === 0) throw new Error('it closed its end of the pipe (crashed or was killed)');
      got += n;
    }
  }

  private tail(): string {
    const t = this.stderrTail.trim().split('\n').slice(-3).join(' | ');
    return t ? ` (${t})` : '';
  }

  private async start(): Promise<void> {
    const child = spawn(this.python, ['-u', BRIDGE_SCRIPT], { stdio: ['pipe', 'pipe', 'pipe'] });
    this.child = child;
    live.add(child);
    child.stderr.on('data', (chunk: Buffer) => {
      this.stderrTail = (this.stderrTail + chunk.toString('utf8')).slice(-4000);
    });
    child.stdin.on('error', () => undefined); // reported through 'exit'
    const exited = new Promise<Error>((resolve) => {
      child.on('error', (err) =>
        resolve(new UserError(`cannot start ${this.python} for the ale-py backend (${err.message}); set SAP_RL_PYTHON or run \`npm run oracle:setup\``)),
      );
      child.on('exit', (code, signal) => {
        live.delete(child);
        resolve(new AlePyError(`the ale-py bridge (${this.python}) stopped with ${signal ? `signal ${signal}` : `exit code ${code}`}${this.tail()}`));
      });
    });
    exited.then((err) => (this.dead ??= err));
    // The handshake: one request, one answer over stdio.
    const answer = new Promise<Buffer>((resolve) => {
      let chunks: Buffer[] = [];
      let have = 0;
      const onData = (chunk: Buffer): void => {
        chunks.push(chunk);
        have += chunk.length;
        const all = Buffer.concat(chunks);
        chunks = [all];
        if (have >= 5 && have >= 5 + all.readUInt32LE(1)) {
          child.stdout.off('data', onData);
          resolve(all);
        }
      };
      child.stdout.on('data', onData);
    });
    const h = Buffer.alloc(5);
    h.writeUInt8(Op.Hello, 0);
    child.stdin.write(h);
    const reply = await Promise.race([answer, exited]);
    if (reply instanceof Error) throw reply;
    const body = reply.subarray(5, 5 + reply.readUInt32LE(1));
    if (reply.readUInt8(0) !== 0) {
      child.kill('SIGKILL');
      throw new AlePyError(body.toString('utf8'));
    }
    const { fifos } = JSON.parse(body.toString('utf8')) as { fifos: [string, string] };
    // Same order as the child opens them, so neither side waits on the other for long.
    this.fdOut = openSync(fifos[0], 'w');
    this.fdIn = openSync(fifos[1], 'r');
    this.fdPoll = openSync(fifos[1], constants.O_RDONLY | constants.O_NONBLOCK);
    rmSync(dirname(fifos[0]), { recursive: true, force: true });
    this.helloAnswer = Buffer.from(body);
    child.unref();
    for (const s of [child.stdin, child.stdout, child.stderr] as unknown as { unref?(): void }[]) s.unref?.();
  }
}

const EMPTY = new Uint8Array(0);

const STATUS_BYTES = 4 + 4 + 1 + 1 + 4 + 4 + 4;

function parseStatus(b: Buffer): FrameStatus {
  return {
    reward: b.readInt32LE(0),
    framesRun: b.readUInt32LE(4),
    terminated: b.readUInt8(8) !== 0,
    truncated: b.readUInt8(9) !== 0,
    lives: b.readInt32LE(10),
    frameNumber: b.readUInt32LE(14),
    episodeFrameNumber: b.readUInt32LE(18),
  };
}

export interface AlePyBackendOptions {
  /** The Python interpreter (default: see src/env/python.ts). */
  python?: string;
}

/** The real ALE through ale-py. The Python process starts on the first call. */
export class AlePyBackend implements EmulatorBackend {
  readonly name = 'ale-py' as const;
  readonly prevScreen = new Uint8Array(SCREEN_PIXELS);
  readonly lastScreen = new Uint8Array(SCREEN_PIXELS);
  private readonly bridge: BridgeProcess;
  private readonly python: string;
  private version: AlePyVersion | undefined;
  private readonly actArgs = Buffer.alloc(8);

  constructor(options: AlePyBackendOptions = {}) {
    this.python = options.python ?? pythonExecutable();
    this.bridge = new BridgeProcess(this.python);
  }

  /** The Python process id, once started (for diagnostics and tests). */
  get pid(): number | undefined {
    return this.bridge.pid;
  }

  /** Versions of Python and ale-py in the bridge; fails clearly when ale-py is missing. */
  async hello(): Promise<AlePyVersion> {
    if (this.version) return this.version;
    try {
      const body = await this.bridge.hello();
      this.version = JSON.parse(body.toString('utf8')) as AlePyVersion;
      return this.version;
    } catch (err) {
      if (err instanceof AlePyError && /cannot import ale_py/.test(err.message)) {
        throw new UserError(
          `the ale-py backend needs the Python package ale-py, but ${err.message.replace(/^RuntimeError: /, '')}; ` +
            'run `npm run oracle:setup` (creates .venv with ale-py), set SAP_RL_PYTHON to a Python that has it, or use --backend js',
        );
      }
      throw err;
    }
  }

  async load(config: LoadConfig): Promise<GameInfo> {
    await this.hello();
    const body = this.bridge.request(Op.Load, Buffer.from(JSON.stringify(config), 'utf8'));
    return JSON.parse(body.toString('utf8')) as GameInfo;
  }

  async resetGame(): Promise<FrameStatus> {
    return parseStatus(this.bridge.request(Op.Reset));
  }

  async act(action: number, frames: number, flags: number, paddleStrength = 1): Promise<ActResult> {
    const args = this.actArgs;
    args.writeUInt8(action, 0);
    args.writeUInt16LE(frames, 1);
    args.writeUInt8(flags, 3);
    args.writeFloatLE(paddleStrength, 4);
    const body = this.bridge.request(Op.Act, args);
    const captured = body.readUInt8(STATUS_BYTES);
    let at = STATUS_BYTES + 1;
    if (captured & 1) {
      this.prevScreen.set(body.subarray(at, at + SCREEN_PIXELS));
      at += SCREEN_PIXELS;
    }
    if (captured & 2) this.lastScreen.set(body.subarray(at, at + SCREEN_PIXELS));
    return { ...parseStatus(body), captured };
  }

  async screen(out: Uint8Array = new Uint8Array(SCREEN_PIXELS)): Promise<Uint8Array> {
    out.set(this.bridge.request(Op.Screen));
    return out;
  }

  async ram(): Promise<Uint8Array> {
    const body = this.bridge.request(Op.Ram);
    if (body.length !== RAM_SIZE) throw new AlePyError(`expected ${RAM_SIZE} bytes of RAM, got ${body.length}`);
    return Uint8Array.from(body);
  }

  async close(): Promise<void> {
    this.bridge.close();
  }
}
