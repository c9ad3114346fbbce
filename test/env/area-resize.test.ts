import { expect } from 'chai';
import { writeFileSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { AreaResizer } from '../../src/env/preprocess/area-resize.js';
import { makeTempDir, removeTempDir, requirePython, runPython } from '../helpers/python.js';

describe('AreaResizer (OpenCV INTER_AREA)', function () {
  before(function () {
    requirePython(this, 'cv2', 'numpy');
  });

  it('equals cv2.resize(INTER_AREA) exactly on random and Atari-like images', () => {
    const dir = makeTempDir();
    try {
      const n = 20;
      const imgs = new Uint8Array(n * 210 * 160);
      let x = 12345;
      for (let k = 0; k < n; k++) {
        for (let i = 0; i < 210 * 160; i++) {
          x = (Math.imul(x, 1103515245) + 12345) >>> 0;
          // half the images are noise, half are blocky like Atari screens
          imgs[k * 33600 + i] = k % 2 ? x >>> 24 : ((Math.floor(i / 160 / 7) * 37 + Math.floor((i % 160) / 5) * 11) * (k + 1)) & 0xff;
        }
      }
      writeFileSync(join(dir, 'in.bin'), imgs);
      runPython(
        `
import sys, numpy as np, cv2
imgs = np.fromfile(sys.argv[1] + "/in.bin", dtype=np.uint8).reshape(-1, 210, 160)
out = np.stack([cv2.resize(im, (84, 84), interpolation=cv2.INTER_AREA) for im in imgs])
out.tofile(sys.argv[1] + "/out.bin")`,
        { args: [dir] },
      );
      const expected = readFileSync(join(dir, 'out.bin'));
      const resizer = new AreaResizer(160, 210, 84, 84);
      let maxDiff = 0;
      let differing = 0;
      for (let k = 0; k < n; k++) {
        const ours = resizer.resize(imgs.subarray(k * 33600, (k + 1) * 33600));
        for (let i = 0; i < ours.length; i++) {
          const d = Math.abs(ours[i]! - expected[k * 7056 + i]!);
          if (d) differing++;
          maxDiff = Math.max(maxDiff, d);
        }
      }
      expect(maxDiff, `max difference (${differing} pixels differ)`).to.equal(0);
    } finally {
      removeTempDir(dir);
    }
  });
});
