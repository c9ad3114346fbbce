// Animated GIF files, written safely: frames are encoded by gifenc (LZW, colour tables) and
// streamed to a hidden temporary file beside the target, which is renamed onto the target
// only when the last frame is in. A failed or interrupted recording leaves no GIF behind
// (a process killed outright leaves its hidden temporary file, which the next recording to
// the same target removes).
//
// To keep files small, a frame after the first marks the pixels that did not change as
// transparent (each frame is drawn over the one before: disposal "leave in place"), and a
// frame whose colours are the first frame's uses the global colour table. Every colour
// table has one extra entry after the frame's colours: the transparent index.
import gifenc, { type GifEncoder } from 'gifenc';
import { closeSync, existsSync, fsyncSync, openSync, readdirSync, renameSync, statSync, unlinkSync, writeSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { UserError } from '../cli/errors.js';
import { ensureDir } from '../util/ensure-dir.js';
import type { IndexedFrame } from './panels.js';

const code = (err: unknown): string => String((err as NodeJS.ErrnoException).code ?? err);

/**
 * Checks, before any work, that a GIF can be written at `path` (a .gif file name in a
 * folder we can create files in; missing folders are made). Throws a UserError naming `flag`.
 */
export function checkGifTarget(path: string, flag: string): void {
  if (!/\.gif$/i.test(path)) throw new UserError(`${flag} ${path}: give a file name ending in .gif`);
  const file = resolve(path);
  if (existsSync(file) && statSync(file).isDirectory()) throw new UserError(`${flag} ${path} is a folder; give a .gif file path`);
  const dir = dirname(file);
  const probe = join(dir, `.${basename(file)}.${process.pid}.probe`);
  try {
    ensureDir(dir);
    closeSync(openSync(probe, 'wx'));
    unlinkSync(probe);
  } catch (err) {
    throw new UserError(`${flag} ${path}: cannot write in ${dir} (${code(err)}); choose a writable folder`);
  }
}

/** Temporary files of recordings in progress, removed if the process exits first. */
const pending = new Set<string>();
process.once('exit', () => {
  for (const tmp of pending) {
    try {
      unlinkSync(tmp);
    } catch {
      // already gone
    }
  }
});

const tempName = (file: string, pid: number): string => join(dirname(file), `.${basename(file)}.${pid}.partial`);

/** Removes the temporary files of recordings to `file` whose process is gone (killed outright). */
function removeStaleTemps(file: string): void {
  const prefix = `.${basename(file)}.`;
  for (const name of readdirSync(dirname(file))) {
    const pid = name.startsWith(prefix) && name.endsWith('.partial') ? Number(name.slice(prefix.length, -'.partial'.length)) : NaN;
    if (!Number.isInteger(pid) || pid <= 0 || pid === process.pid || alive(pid)) continue;
    try {
      unlinkSync(join(dirname(file), name));
    } catch {
      // another process got there first
    }
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export class GifWriter {
  private readonly encoder: GifEncoder = gifenc.GIFEncoder({ auto: false });
  private fd: number;
  private frames = 0;
  /** Index of each colour (RGB as one number) in the global colour table. */
  private readonly global = new Map<number, number>();
  /** The RGB of every pixel as shown after the last frame. */
  private readonly shown: Int32Array;

  private constructor(
    readonly path: string,
    private readonly tmp: string,
    readonly width: number,
    readonly height: number,
    private readonly flag: string,
  ) {
    this.shown = new Int32Array(width * height).fill(-1);
    this.fd = openSync(tmp, 'w');
    pending.add(tmp);
    this.encoder.writeHeader();
  }

  /** Starts a GIF that will appear at `path` when finished; `flag` is named in errors. */
  static create(path: string, width: number, height: number, flag: string): GifWriter {
    const file = resolve(path);
    const tmp = tempName(file, process.pid);
    try {
      ensureDir(dirname(file));
      removeStaleTemps(file);
      return new GifWriter(file, tmp, width, height, flag);
    } catch (err) {
      if (err instanceof UserError) throw err;
      throw new UserError(`${flag} ${path}: cannot write in ${dirname(file)} (${code(err)}); choose a writable folder`);
    }
  }

  get frameCount(): number {
    return this.frames;
  }

  /** Appends a frame shown for `delayMs` (GIFs count in hundredths of a second). */
  addFrame(frame: IndexedFrame, delayMs: number): void {
    if (this.fd < 0) throw new Error('GIF already closed');
    if (frame.index.length !== this.width * this.height) throw new RangeError(`a ${this.width}x${this.height} frame needs ${this.width * this.height} pixels`);
    const { palette } = frame;
    if (palette.length === 0 || palette.length > 256) throw new RangeError(`a GIF frame needs 1..256 colours, not ${palette.length}`);
    const first = this.frames === 0;
    const rgb = palette.map(([r, g, b]) => (r << 16) | (g << 8) | b);
    if (first && palette.length < 256) rgb.forEach((c, i) => this.global.set(c, i));
    // the global table when it holds all of this frame's colours, else a local one
    const useGlobal = !first && this.global.size > 0 && rgb.every((c) => this.global.has(c));
    const slots = useGlobal ? rgb.map((c) => this.global.get(c)!) : rgb.map((_, i) => i);
    const size = useGlobal ? this.global.size : palette.length;
    const transparent = !first && size < 256;
    const index = new Uint8Array(frame.index.length);
    for (let p = 0; p < index.length; p++) {
      const i = frame.index[p]!;
      const c = rgb[i]!;
      if (transparent && c === this.shown[p]) index[p] = size;
      else {
        index[p] = slots[i]!;
        this.shown[p] = c;
      }
    }
    const table = palette.length < 256 ? [...palette, [0, 0, 0]] : palette;
    this.encoder.writeFrame(index, this.width, this.height, {
      palette: useGlobal ? null : table,
      first,
      repeat: 0,
      delay: delayMs,
      transparent,
      transparentIndex: transparent ? size : 0,
      dispose: 1,
    });
    this.flush();
    this.frames++;
  }

  /** Writes the trailer and moves the file into place. */
  finish(): void {
    if (this.frames === 0) throw new Error('a GIF needs at least one frame');
    this.encoder.finish();
    this.flush();
    try {
      fsyncSync(this.fd);
      this.close();
      renameSync(this.tmp, this.path);
    } catch (err) {
      this.abort();
      throw new UserError(`${this.flag} ${this.path}: the GIF could not be put in place (${code(err)}); check the path and run again`);
    }
    pending.delete(this.tmp);
  }

  /** Drops the recording: no file is left at `path` (an older one there is kept). */
  abort(): void {
    this.close();
    if (pending.delete(this.tmp)) {
      try {
        unlinkSync(this.tmp);
      } catch {
        // already gone
      }
    }
  }

  private flush(): void {
    const bytes = this.encoder.bytesView();
    try {
      let off = 0;
      while (off < bytes.length) off += writeSync(this.fd, bytes, off, bytes.length - off);
    } catch (err) {
      this.abort();
      throw new UserError(`${this.flag} ${this.path}: writing the GIF failed (${code(err)}); free some space and run again`);
    }
    this.encoder.reset();
  }

  private close(): void {
    if (this.fd >= 0) closeSync(this.fd);
    this.fd = -1;
  }
}
