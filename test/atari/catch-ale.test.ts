import { expect } from 'chai';
import { copyFileSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { AleEnvironment } from '../../src/atari/ale/environment.js';
import { freewayRules } from '../../src/atari/games/freeway.js';
import { ActFlags } from '../../src/env/backend.js';
import { AlePyBackend } from '../../src/env/backends/ale-py.js';
import { PACKAGE_ROMS_DIR } from '../../src/env/roms.js';
import { makeTempDir, removeTempDir, requirePython } from '../helpers/python.js';

// Our game on the real ALE. ALE refuses a ROM whose md5 it does not know, unless the file
// is named like one of its games: then it plays it with that game's settings. Named
// freeway.bin, catch.bin gets Freeway's reset (no SELECT presses: RAM $80 is 0) and reward
// rule, so our emulator with Freeway's rules must give the same screens and RAM every frame.
describe('Catch on ale-py (differential)', function () {
  let dir: string;
  let rom: string;
  before(function () {
    requirePython(this, 'ale_py');
    dir = makeTempDir();
    rom = join(dir, 'freeway.bin');
    copyFileSync(join(PACKAGE_ROMS_DIR, 'catch.bin'), rom);
  });
  after(() => dir && removeTempDir(dir));

  it('ALE cannot load catch.bin under its own name (it ends its process)', async () => {
    const ale = new AlePyBackend();
    let err: unknown;
    try {
      await ale.load({ rom: join(PACKAGE_ROMS_DIR, 'catch.bin'), seed: 0, repeatActionProbability: 0.25, maxFramesPerEpisode: 0 });
    } catch (e) {
      err = e;
    }
    await ale.close().catch(() => undefined);
    expect(err).to.be.instanceOf(Error);
    expect((err as Error).message).to.match(/stopped/);
  });

  it('gives the same screens, RAM and rewards as our emulator, frame by frame, across resets', async () => {
    const bytes = readFileSync(rom);
    const ale = new AlePyBackend();
    try {
      for (const seed of [1, 2]) {
        await ale.load({ rom, seed, repeatActionProbability: 0.25, maxFramesPerEpisode: 0 });
        const js = new AleEnvironment(bytes, freewayRules, { seed, repeatActionProbability: 0.25, maxFramesPerEpisode: 0 });
        let x = seed;
        for (let f = 0; f < 3000; f++) {
          x = (x * 1103515245 + 12345) & 0x7fffffff;
          const action = [0, 3, 4][(x >> 16) % 3]!;
          const reward = js.act(action);
          const r = await ale.act(action, 1, ActFlags.CaptureLast);
          expect(r.reward, `seed ${seed} frame ${f}: reward`).to.equal(reward);
          expect(Buffer.from(await ale.ram()).equals(Buffer.from(js.ram())), `seed ${seed} frame ${f}: RAM`).to.equal(true);
          expect(Buffer.from(ale.lastScreen).equals(Buffer.from(js.screen())), `seed ${seed} frame ${f}: screen`).to.equal(true);
          if (f === 1400) {
            js.reset();
            await ale.resetGame();
          }
        }
        // Both played whole games: 20 objects, caught + missed (BCD).
        const ram = js.ram();
        expect(ram[2]).to.equal(20);
      }
    } finally {
      await ale.close();
    }
  });
});
