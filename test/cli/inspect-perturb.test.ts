import { expect } from 'chai';
import * as tf from '@tensorflow/tfjs';
import { join } from 'node:path';
import { AGENT_FORMAT_VERSION } from '../../src/agent/agent-spec.js';
import { saveAgent } from '../../src/agent/agent-store.js';
import { buildNatureCnn } from '../../src/agent/nature-cnn.js';
import { readNpy } from '../../src/agent/npy.js';
import { nchwToNhwc } from '../../src/agent/observations.js';
import { ensureTf } from '../../src/agent/tf-backend.js';
import { runCli } from '../helpers/cli.js';
import { makeTempDir, removeTempDir, requirePython, runPython } from '../helpers/python.js';

describe('sap-rl inspect / perturb', function () {
  let dir: string;
  let agentDir: string;
  let qWant: Float32Array;
  let obsNchw: Uint8Array;

  before(async function () {
    requirePython(this, 'numpy');
    await ensureTf();
    dir = makeTempDir('sap-rl-cli-');
    agentDir = join(dir, 'agent');
    const model = buildNatureCnn({ nActions: 6, scaleInside: true, seed: 8 });
    await saveAgent(agentDir, model, {
      formatVersion: AGENT_FORMAT_VERSION,
      game: 'pong',
      actions: [0, 1, 3, 4, 11, 12],
      observation: { frameStack: 4, height: 84, width: 84, layout: 'NHWC', scaleInside: true },
      provenance: { kind: 'trained', source: 'test', format: 'sap-rl', date: new Date(0).toISOString() },
    });
    runPython(
      `import numpy as np, sys
rng = np.random.default_rng(3)
a = rng.integers(0, 256, size=(3, 4, 84, 84), dtype=np.uint8)
np.save(sys.argv[1] + '/obs.npy', a)
np.save(sys.argv[1] + '/obs_nhwc.npy', np.ascontiguousarray(a.transpose(0, 2, 3, 1)))
np.save(sys.argv[1] + '/bad.npy', a[:, :3])`,
      { args: [dir] },
    );
    obsNchw = readNpy(join(dir, 'obs.npy')).data as Uint8Array;
    const x = tf.tensor4d(nchwToNhwc(obsNchw, 3, 4, 84, 84), [3, 84, 84, 4]);
    qWant = (model.predict(x) as tf.Tensor).dataSync() as Float32Array;
    x.dispose();
    model.dispose();
  });
  after(() => dir && removeTempDir(dir));

  it('inspect prints the architecture, actions and provenance', () => {
    const res = runCli(['inspect', '--agent', agentDir]);
    expect(res.code, res.stderr).to.equal(0);
    expect(res.stdout).to.match(/game\s+pong/);
    expect(res.stdout).to.match(/0:NOOP 1:FIRE 2:RIGHT 3:LEFT 4:RIGHTFIRE 5:LEFTFIRE/);
    expect(res.stdout).to.match(/conv1\s+Conv2D\s+20 x 20 x 32\s+8224/);
    expect(res.stdout).to.match(/trained \(sap-rl\) from test/);
  });

  it("inspect --obs gives the network's Q-values as JSON, for either layout", () => {
    for (const file of ['obs.npy', 'obs_nhwc.npy']) {
      const res = runCli(['inspect', '--agent', agentDir, '--obs', join(dir, file), '--json']);
      expect(res.code, res.stderr).to.equal(0);
      const out = JSON.parse(res.stdout) as { q: number[][]; greedy: number[]; layout: string; actions: { id: number }[] };
      expect(out.layout).to.equal(file === 'obs.npy' ? 'NCHW' : 'NHWC');
      expect(out.actions.map((a) => a.id)).to.deep.equal([0, 1, 3, 4, 11, 12]);
      const q = out.q.flat();
      expect(q.length).to.equal(18);
      q.forEach((v, i) => expect(v).to.be.closeTo(qWant[i]!, 1e-5));
      expect(out.greedy.length).to.equal(3);
    }
    const sap = runCli(['inspect', '--agent', agentDir, '--obs', join(dir, 'obs.npy'), '--defense', 'sap:1.0', '--samples', '4', '--json']);
    expect(sap.code, sap.stderr).to.equal(0);
    expect((JSON.parse(sap.stdout) as { defense: string }).defense).to.equal('sap:1');
  });

  it('perturb writes the attacked batch in the layout of its input, within lambda', () => {
    for (const [file, args] of [
      ['obs.npy', ['--attack', 'fgsm', '--lambda', '4']],
      ['obs_nhwc.npy', ['--attack', 'pgd', '--lambda', '3', '--pgd-steps', '3', '--defense', 'sap:1.0', '--eot', '2', '--seed', '5']],
      ['obs.npy', ['--attack', 'noise', '--lambda', '2', '--perturb', 'frame']],
    ] as const) {
      const out = join(dir, `adv-${args[1]}.npy`);
      const res = runCli(['perturb', '--agent', agentDir, '--obs', join(dir, file), ...args, '--out', out]);
      expect(res.code, res.stderr).to.equal(0);
      expect(res.stdout).to.match(/greedy action changed on \d of 3/);
      const check = runPython(
        `import numpy as np, sys
a = np.load(sys.argv[1]); b = np.load(sys.argv[2])
d = np.abs(a.astype(int) - b.astype(int))
print(a.shape == b.shape, b.dtype, d.max(), (d > 0).mean())`,
        { args: [join(dir, file), out] },
      );
      const [sameShape, dtype, maxDelta, movedFraction] = check.trim().split(' ');
      expect(sameShape).to.equal('True');
      expect(dtype).to.equal('uint8');
      expect(Number(maxDelta)).to.equal(Number(args[3]));
      expect(Number(movedFraction)).to.be.greaterThan(args[1] === 'noise' ? 0.2 : 0.5);
    }
    // --perturb frame leaves the three older frames alone (channel 3 is the newest, NCHW).
    const older = runPython(
      `import numpy as np, sys
a = np.load(sys.argv[1]); b = np.load(sys.argv[2])
print(int((a[:, :3] != b[:, :3]).sum()), int((a[:, 3] != b[:, 3]).sum()) > 0)`,
      { args: [join(dir, 'obs.npy'), join(dir, 'adv-noise.npy')] },
    );
    expect(older.trim()).to.equal('0 True');
  });

  it('bad input gives one clear sentence and exit code 2', () => {
    const obs = join(dir, 'obs.npy');
    const out = join(dir, 'x.npy');
    for (const [args, msg] of [
      [['perturb', '--agent', agentDir, '--obs', obs, '--attack', 'cw', '--lambda', '4', '--out', out], /--attack: unknown attack 'cw'/],
      [['perturb', '--agent', agentDir, '--obs', obs, '--attack', 'fgsm', '--lambda', 'big', '--out', out], /--lambda must be/],
      [['perturb', '--agent', agentDir, '--obs', obs, '--attack', 'fgsm', '--lambda', '4', '--eot', '0', '--out', out], /--eot must be/],
      [['perturb', '--agent', agentDir, '--obs', obs, '--attack', 'fgsm', '--lambda', '4', '--defense', 'sap:0', '--out', out], /--defense: .*TAU/],
      [['perturb', '--agent', agentDir, '--obs', obs, '--attack', 'fgsm', '--lambda', '4', '--perturb', 'all', '--out', out], /--perturb must be/],
      [['perturb', '--agent', agentDir, '--obs', join(dir, 'bad.npy'), '--attack', 'fgsm', '--lambda', '4', '--out', out], /bad\.npy: shape \(3, 3, 84, 84\)/],
      [['perturb', '--agent', agentDir, '--obs', join(dir, 'none.npy'), '--attack', 'fgsm', '--lambda', '4', '--out', out], /none\.npy: no such file/],
      [['perturb', '--agent', join(dir, 'no-agent'), '--obs', obs, '--attack', 'fgsm', '--lambda', '4', '--out', out], /no-agent: no such agent directory/],
      [['perturb', '--agent', agentDir, '--obs', obs, '--attack', 'fgsm', '--lambda', '4'], /--out/],
      [['inspect', '--agent', agentDir, '--obs', join(dir, 'bad.npy')], /bad\.npy/],
      [['inspect', '--agent', agentDir, '--samples', '0'], /--samples must be/],
    ] as const) {
      const res = runCli([...args]);
      expect(res.code, `${args.join(' ')}: ${res.stderr}`).to.equal(2);
      expect(res.stderr.trim()).to.match(msg);
      expect(res.stderr).not.to.match(/\n\s+at /);
    }
  });
});
