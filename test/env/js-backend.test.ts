import { expect } from 'chai';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { UserError } from '../../src/cli/errors.js';
import { JsBackend } from '../../src/env/backends/js.js';
import { createBackend } from '../../src/env/backends/index.js';
import { makeTempDir, removeTempDir } from '../helpers/python.js';
import { FRAME_PROGRAM, rom2k } from '../atari/programs.js';

// The js backend on ROMs no game matches (no Python needed): it loads any playable NTSC
// image with reward 0 / never over, and turns unusable images into one clear sentence.
describe('js backend', () => {
  let dir: string;
  before(() => {
    dir = makeTempDir();
  });
  after(() => removeTempDir(dir));

  const rom = (name: string, code: number[]): string => {
    const path = join(dir, name);
    writeFileSync(path, rom2k(code));
    return path;
  };
  const config = (path: string) => ({ rom: path, seed: 0, repeatActionProbability: 0, maxFramesPerEpisode: 10 });

  it('is what createBackend("js") gives', () => {
    expect(createBackend('js')).to.be.instanceOf(JsBackend);
  });

  it('plays an unknown ROM with all 18 actions, reward 0, and truncates at the frame limit', async () => {
    const b = new JsBackend();
    const info = await b.load(config(rom('frames.bin', FRAME_PROGRAM)));
    expect(info.minimalActions).to.have.length(18);
    expect(info.modes).to.deep.equal([0]);
    await b.resetGame();
    const r = await b.act(0, 20, 1 | 8);
    expect(r).to.include({ reward: 0, framesRun: 10, terminated: false, truncated: true, episodeFrameNumber: 10 });
    expect((await b.ram()).length).to.equal(128);
    await b.close();
  });

  it('turns a ROM that jams the CPU, or a bad mode, into a UserError', async () => {
    const b = new JsBackend();
    let err: unknown;
    try {
      await b.load(config(rom('jam.bin', [0xea, 0x02])));
    } catch (e) {
      err = e;
    }
    expect(err).to.be.instanceOf(UserError);
    expect((err as Error).message).to.match(/jam\.bin: 6507 CPU jammed/);
    err = undefined;
    try {
      await b.load({ ...config(rom('frames2.bin', FRAME_PROGRAM)), mode: 3 });
    } catch (e) {
      err = e;
    }
    expect(err).to.be.instanceOf(UserError);
    expect((err as Error).message).to.match(/mode 3 is not available/);
    err = undefined;
    try {
      await b.load(config(rom('pal.bin', [0x85, 0x02, 0x4c, 0x00, 0xf8]))); // no VSYNC: PAL, 250 lines
    } catch (e) {
      err = e;
    }
    expect((err as Error).message).to.match(/210-line screens, this ROM has 250/);
  });
});
