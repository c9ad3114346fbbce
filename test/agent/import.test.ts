import { expect } from 'chai';
import * as tf from '@tensorflow/tfjs';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { importCleanRL } from '../../src/agent/import-cleanrl.js';
import { importSb3 } from '../../src/agent/import-sb3.js';
import { loadAgent, type Agent } from '../../src/agent/agent-store.js';
import { ensureTf } from '../../src/agent/tf-backend.js';
import { findReluLayers } from '../../src/agent/relu-layers.js';
import { makeTempDir, removeTempDir, requirePython } from '../helpers/python.js';
import { expectUserError } from './expect-user-error.js';
import { makeFixtures, nchwToNhwc, N_OBS, type QFixture } from '../helpers/torch-fixtures.js';

const TOL = 1e-4;

/** Largest |ours - PyTorch| over all observations and actions. */
function maxQError(agent: Agent, fx: QFixture): number {
  const x = tf.tensor4d(nchwToNhwc(fx.obs, N_OBS, 4, 84, 84), [N_OBS, 84, 84, 4]);
  const q = agent.model.predict(x) as tf.Tensor;
  const ours = q.dataSync();
  x.dispose();
  q.dispose();
  expect(ours.length).to.equal(fx.q.length);
  let err = 0;
  for (let i = 0; i < ours.length; i++) err = Math.max(err, Math.abs(ours[i]! - fx.q[i]!));
  return err;
}

describe('agent importers (against PyTorch)', function () {
  let dir: string;
  let cleanrlPong: QFixture;
  let sb3Breakout: QFixture;
  let sb3BreakoutRaw: QFixture;
  let sb3Pong: QFixture;

  before(async function () {
    requirePython(this, 'torch', 'numpy');
    await ensureTf();
    dir = makeTempDir('sap-rl-import-');
    [cleanrlPong, sb3Breakout, sb3BreakoutRaw, sb3Pong] = makeFixtures(dir, [
      { kind: 'cleanrl', n: 6, seed: 1 },
      { kind: 'sb3', n: 4, seed: 2 },
      { kind: 'sb3', n: 4, seed: 3, normalize: false },
      { kind: 'sb3', n: 6, seed: 4 },
    ]) as [QFixture, QFixture, QFixture, QFixture];
  });
  after(() => {
    if (dir) removeTempDir(dir);
  });

  describe('CleanRL dqn_atari', () => {
    it("imports a checkpoint whose Q-values equal PyTorch's within 1e-4 on 100 observations", async () => {
      const out = join(dir, 'agents', 'pong-cleanrl');
      const agent = await importCleanRL(cleanrlPong.checkpoint, { game: 'pong', out });
      expect(cleanrlPong.qAbsMax).to.be.greaterThan(1); // the comparison is not vacuous
      expect(maxQError(agent, cleanrlPong)).to.be.below(TOL);
      expect(agent.spec.game).to.equal('pong');
      expect(agent.spec.actions).to.deep.equal([0, 1, 3, 4, 11, 12]);
      expect(agent.spec.observation).to.deep.equal({ frameStack: 4, height: 84, width: 84, layout: 'NHWC', scaleInside: true });
      expect(agent.spec.provenance).to.include({ kind: 'imported', format: 'cleanrl', source: cleanrlPong.checkpoint });
      expect(agent.spec.provenance.sourceSha256).to.match(/^[0-9a-f]{64}$/);

      // The saved directory loads back to the same network.
      const loaded = await loadAgent(out);
      expect(maxQError(loaded, cleanrlPong)).to.be.below(TOL);
      expect(findReluLayers(loaded.model)).to.have.length(4);
      agent.model.dispose();
      loaded.model.dispose();
    });

    it('refuses a game whose action set does not match the network', async () => {
      const out = join(dir, 'agents', 'wrong-game');
      await expectUserError(importCleanRL(cleanrlPong.checkpoint, { game: 'breakout', out }), cleanrlPong.checkpoint, '6 outputs', '4 actions');
      expect(existsSync(out)).to.equal(false);
    });

    it('refuses an unknown game', async () => {
      await expectUserError(importCleanRL(cleanrlPong.checkpoint, { game: 'tetris', out: join(dir, 'x') }), 'tetris');
    });

    it('refuses a missing checkpoint file', async () => {
      const missing = join(dir, 'nope.cleanrl_model');
      await expectUserError(importCleanRL(missing, { game: 'pong', out: join(dir, 'x') }), missing);
    });

    it('does not overwrite an existing agent unless asked, and leaves no temporary files', async () => {
      const out = join(dir, 'agents', 'twice');
      (await importCleanRL(cleanrlPong.checkpoint, { game: 'pong', out })).model.dispose();
      await expectUserError(importCleanRL(cleanrlPong.checkpoint, { game: 'pong', out }), 'already exists');
      (await importCleanRL(cleanrlPong.checkpoint, { game: 'Pong', out, overwrite: true })).model.dispose();
      expect(readdirSync(join(dir, 'agents')).filter((f) => f.startsWith('.'))).to.deep.equal([]);
      expect(readdirSync(out).sort()).to.deep.equal(['agent.json', 'group1-shard1of1.bin', 'model.json']);
    });
  });

  describe('Stable-Baselines3 DQN zip', () => {
    it("imports policy.pth with Q-values within 1e-4 of PyTorch's (q_net, not q_net_target)", async () => {
      const agent = await importSb3(sb3Breakout.checkpoint, { game: 'breakout', out: join(dir, 'agents', 'breakout-sb3') });
      expect(sb3Breakout.qAbsMax).to.be.greaterThan(1);
      expect(maxQError(agent, sb3Breakout)).to.be.below(TOL);
      expect(agent.spec.actions).to.deep.equal([0, 1, 3, 4]);
      expect(agent.spec.observation.scaleInside).to.equal(true);
      expect(agent.spec.provenance.format).to.equal('sb3');
      agent.model.dispose();
    });

    it('keeps raw 0..255 inputs when policy_kwargs.normalize_images is false', async () => {
      const agent = await importSb3(sb3BreakoutRaw.checkpoint, { game: 'breakout', out: join(dir, 'agents', 'breakout-raw') });
      expect(maxQError(agent, sb3BreakoutRaw)).to.be.below(TOL);
      expect(agent.spec.observation.scaleInside).to.equal(false);
      agent.model.dispose();
    });

    it('refuses a zip whose action space does not fit --game', async () => {
      await expectUserError(importSb3(sb3Pong.checkpoint, { game: 'breakout', out: join(dir, 'y') }), sb3Pong.checkpoint, '6 actions');
    });

    it('refuses a CleanRL file given as SB3 and an SB3 zip given as CleanRL', async () => {
      await expectUserError(importSb3(cleanrlPong.checkpoint, { game: 'pong', out: join(dir, 'z') }), 'policy.pth');
      await expectUserError(importCleanRL(sb3Pong.checkpoint, { game: 'pong', out: join(dir, 'z') }), sb3Pong.checkpoint);
    });
  });
});
