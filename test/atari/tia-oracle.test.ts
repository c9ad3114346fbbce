import { expect } from 'chai';
import { createHash } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { AleEnvironment } from '../../src/atari/ale/environment.js';
import { seaquestRules } from '../../src/atari/games/seaquest.js';
import { makeTempDir, removeTempDir, requirePython, runPython } from '../helpers/python.js';
import { tortureRom } from './tia-torture.js';

// Random TIA register abuse (tia-torture.ts) on our machine and on ALE 0.12.1: after the
// ROM load and after every frame, the screen (md5 of the palette indices) and the RAM
// must be identical.
const ORACLE = `
import sys, hashlib, ale_py
ale = ale_py.ALEInterface()
ale.setLoggerMode(ale_py.LoggerMode.Error)
ale.setInt("random_seed", 0)
ale.setFloat("repeat_action_probability", 0.0)
ale.loadROM(sys.argv[1])
def line():
    print(hashlib.md5(ale.getScreen().tobytes()).hexdigest(), ale.getRAM().tobytes().hex())
line()
for i in range(int(sys.argv[2])):
    ale.act(ale_py.Action.NOOP)
    line()
`;

describe('TIA vs ALE 0.12.1 on torture ROMs (differential)', function () {
  let dir: string;
  before(function () {
    requirePython(this, 'ale_py');
    dir = makeTempDir();
  });
  after(() => dir && removeTempDir(dir));

  const cases: [number, boolean, boolean, number][] = [
    [1, false, false, 400], [610, false, false, 400], [4000, false, false, 400], [31337, false, false, 400],
    [5, true, false, 300], [13, true, false, 300], [7, false, true, 400], [99, false, true, 400],
  ];
  for (const [seed, busy, narrow, frames] of cases) {
    const what = busy ? ' (with instruction-budget frames)' : narrow ? ' (values 0-3: repeated writes)' : '';
    it(`seed ${seed}${what}: ${frames} frames agree`, () => {
      const rom = tortureRom(seed, busy, narrow);
      const path = join(dir, 'seaquest.bin'); // ALE picks its settings by file name for unknown ROMs
      writeFileSync(path, rom);
      const expected = runPython(ORACLE, { args: [path, String(frames)] })
        .split('\n')
        .filter((l) => /^[0-9a-f]{32} [0-9a-f]{256}$/.test(l));
      expect(expected).to.have.length(frames + 1);
      const env = new AleEnvironment(rom, seaquestRules, { seed: 0, repeatActionProbability: 0, maxFramesPerEpisode: 0 });
      for (let i = 0; i <= frames; i++) {
        if (i > 0) env.act(0);
        const got = `${createHash('md5').update(env.screen()).digest('hex')} ${Buffer.from(env.ram()).toString('hex')}`;
        expect(got, `frame ${i}`).to.equal(expected[i]);
      }
    });
  }
});
