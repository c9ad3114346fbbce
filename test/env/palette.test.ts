import { expect } from 'chai';
import { NTSC_GREY, NTSC_RGB } from '../../src/atari/palette.js';
import { requirePython, runPython } from '../helpers/python.js';

// Every colour the ten target games show in their first frames: ale-py's RGB and grey for
// that palette index must be ours.
describe('NTSC palette', function () {
  before(function () {
    requirePython(this, 'ale_py', 'numpy');
  });

  it('matches ale-py getScreenRGB / getScreenGrayscale for every colour seen', () => {
    const seen = JSON.parse(
      runPython(`
import json, os, numpy as np, ale_py
roms = os.path.join(os.path.dirname(ale_py.__file__), "roms")
ale = ale_py.ALEInterface()
ale.setLoggerMode(ale_py.LoggerMode.Error)
seen = {}
for name in ["pong", "breakout", "freeway", "boxing", "space_invaders", "seaquest", "bank_heist", "road_runner", "enduro", "ms_pacman"]:
    ale.loadROM(os.path.join(roms, name + ".bin"))
    ale.reset_game()
    actions = ale.getMinimalActionSet()
    for t in range(600):
        ale.act(actions[(t // 7) % len(actions)])
        if t % 10: continue
        idx, rgb, grey = ale.getScreen().reshape(-1), ale.getScreenRGB().reshape(-1, 3), ale.getScreenGrayscale().reshape(-1)
        for c in np.unique(idx):
            i = int(np.flatnonzero(idx == c)[0])
            seen[int(c)] = [int(rgb[i, 0]) << 16 | int(rgb[i, 1]) << 8 | int(rgb[i, 2]), int(grey[i])]
print(json.dumps(seen))`),
    ) as Record<string, [number, number]>;
    const indices = Object.keys(seen).map(Number);
    expect(indices.length).to.be.greaterThan(20);
    for (const c of indices) {
      expect(NTSC_RGB[c]!.toString(16), `RGB of colour ${c}`).to.equal(seen[c]![0].toString(16));
      expect(NTSC_GREY[c], `grey of colour ${c}`).to.equal(seen[c]![1]);
    }
  });
});
