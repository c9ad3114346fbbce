import { expect } from 'chai';
import { chmodSync, existsSync, mkdirSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { UserError } from '../../src/cli/errors.js';
import { checkGifTarget, GifWriter } from '../../src/report/gif.js';
import type { IndexedFrame } from '../../src/report/panels.js';
import { decodeGif } from '../helpers/gif.js';
import { makeTempDir, removeTempDir } from '../helpers/python.js';

const W = 40;
const H = 30;
/** A frame of `colours` greys, with a moving square of another colour. */
function frame(t: number, colours: number): IndexedFrame {
  const palette = Array.from({ length: colours }, (_, i) => [i, i, 255 - i] as [number, number, number]);
  const index = new Uint8Array(W * H);
  for (let y = 0; y < H; y++) for (let x = 0; x < W; x++) index[y * W + x] = (x + y) % Math.max(1, colours - 1);
  for (let y = 5; y < 10; y++) for (let x = t; x < t + 5; x++) index[y * W + x] = colours - 1;
  return { index, palette };
}
const rgbOf = (f: IndexedFrame): number[] => [...f.index].flatMap((i) => f.palette[i]!);

describe('GIF writer', () => {
  let dir: string;
  before(() => (dir = makeTempDir('sap-rl-gif-')));
  after(() => dir && removeTempDir(dir));

  it('writes frames that another decoder reads back pixel for pixel, with delay, looping and no temporary file left', () => {
    const file = join(dir, 'a.gif');
    const gif = GifWriter.create(file, W, H, '--record');
    // the same colours (global table), other colours (local), the full 256 (no transparent slot), back
    const frames = [frame(0, 16), frame(3, 16), frame(6, 40), frame(9, 256), frame(9, 256), frame(12, 16)];
    for (const f of frames) gif.addFrame(f, 70);
    expect(existsSync(file), 'nothing at the target before the end').to.equal(false);
    gif.finish();
    expect(readdirSync(dir)).to.deep.equal(['a.gif']);
    const d = decodeGif(file);
    expect([d.width, d.height, d.loopCount]).to.deep.equal([W, H, 0]);
    expect(d.frames).to.have.length(frames.length);
    expect(d.delays).to.deep.equal(frames.map(() => 7));
    expect(d.disposals).to.deep.equal(frames.map(() => 1));
    d.frames.forEach((rgb, i) => expect([...rgb], `frame ${i}`).to.deep.equal(rgbOf(frames[i]!)));
  });

  it('stores an unchanged region as transparency: a still picture costs little', () => {
    const still = join(dir, 'still.gif');
    const moving = join(dir, 'moving.gif');
    const a = GifWriter.create(still, W, H, '--record');
    const b = GifWriter.create(moving, W, H, '--record');
    for (let t = 0; t < 20; t++) {
      a.addFrame(frame(0, 16), 10);
      b.addFrame({ index: frame(0, 16).index.map((v, p) => (v + t * (p % 7)) % 16), palette: frame(0, 16).palette }, 10);
    }
    a.finish();
    b.finish();
    const da = decodeGif(still);
    for (const f of da.frames) expect([...f]).to.deep.equal(rgbOf(frame(0, 16)));
    expect(decodeGif(moving).frames).to.have.length(20);
    expect(statSync(still).size).to.be.below(statSync(moving).size / 3);
  });

  it('abort leaves no file, and an older GIF at the target is kept', () => {
    const file = join(dir, 'b.gif');
    writeFileSync(file, 'old');
    const gif = GifWriter.create(file, W, H, '--record');
    gif.addFrame(frame(0, 4), 10);
    gif.abort();
    expect(readdirSync(dir).filter((f) => f.includes('b.gif'))).to.deep.equal(['b.gif']);
    const none = GifWriter.create(join(dir, 'c.gif'), W, H, '--record');
    expect(() => none.finish()).to.throw(/at least one frame/);
    none.abort();
    expect(existsSync(join(dir, 'c.gif'))).to.equal(false);
  });

  it('checks a target before any work, naming the flag', () => {
    const err = (path: string): string => {
      try {
        checkGifTarget(path, '--record');
      } catch (e) {
        expect(e).to.be.instanceOf(UserError);
        return (e as Error).message;
      }
      return 'no error';
    };
    writeFileSync(join(dir, 'file'), 'x');
    mkdirSync(join(dir, 'folder.gif'));
    expect(err(join(dir, 'x.png'))).to.match(/^--record .*x\.png: give a file name ending in \.gif$/);
    expect(err(join(dir, 'folder.gif'))).to.match(/^--record .* is a folder/);
    expect(err(join(dir, 'file', 'x.gif'))).to.match(/^--record .*: cannot write in .*file \(ENOTDIR\); choose a writable folder$/);
    expect(err(join(dir, 'new', 'deeper', 'x.GIF'))).to.equal('no error');
    expect(existsSync(join(dir, 'new', 'deeper')), 'missing folders are made').to.equal(true);
    expect(readdirSync(join(dir, 'new', 'deeper')), 'the probe is removed').to.deep.equal([]);
    if (process.getuid?.() !== 0) {
      const ro = join(dir, 'ro');
      mkdirSync(ro);
      chmodSync(ro, 0o500);
      expect(err(join(ro, 'x.gif'))).to.match(/cannot write in .*ro \(EACCES\)/);
    }
  });
});
