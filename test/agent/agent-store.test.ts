import { expect } from 'chai';
import * as tf from '@tensorflow/tfjs';
import { existsSync, readFileSync, readdirSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadAgent, saveAgent } from '../../src/agent/agent-store.js';
import { AGENT_FORMAT_VERSION, type AgentSpec } from '../../src/agent/agent-spec.js';
import { buildNatureCnn } from '../../src/agent/nature-cnn.js';
import { ensureTf } from '../../src/agent/tf-backend.js';
import { makeTempDir, removeTempDir } from '../helpers/python.js';
import { expectUserError } from './expect-user-error.js';

const spec = (over: Partial<AgentSpec> = {}): AgentSpec => ({
  formatVersion: AGENT_FORMAT_VERSION,
  game: 'pong',
  actions: [0, 1, 3, 4, 11, 12],
  observation: { frameStack: 4, height: 84, width: 84, layout: 'NHWC', scaleInside: true },
  provenance: { kind: 'trained', source: 'sap-rl train --game pong', format: 'sap-rl', date: '2025-01-02T03:04:05.000Z' },
  cleanScore: { mean: 18.5, std: 2.25, episodes: 10 },
  ...over,
});

describe('agent directories (agent.json + tfjs model)', () => {
  let root: string;
  let model: tf.Sequential;
  let good: string;
  let x: tf.Tensor;

  before(async () => {
    await ensureTf();
    root = makeTempDir('sap-rl-agents-');
    model = buildNatureCnn({ nActions: 6, scaleInside: true, seed: 7 });
    good = join(root, 'good');
    await saveAgent(good, model, spec());
    x = tf.randomUniform([3, 84, 84, 4], 0, 255, 'float32', 1).round();
  });
  after(() => {
    model?.dispose();
    x?.dispose();
    if (root) removeTempDir(root);
  });

  /** A copy of the good agent, for damaging. */
  async function copy(name: string): Promise<string> {
    const dir = join(root, name);
    await saveAgent(dir, model, spec());
    return dir;
  }

  it('saves the standard tfjs layout and loads it back with identical outputs and spec', async () => {
    expect(readdirSync(good).sort()).to.deep.equal(['agent.json', 'group1-shard1of1.bin', 'model.json']);
    const agent = await loadAgent(good);
    expect(agent.spec).to.deep.equal(spec());
    const a = (model.predict(x) as tf.Tensor).dataSync();
    const b = (agent.model.predict(x) as tf.Tensor).dataSync();
    expect([...b]).to.deep.equal([...a]);
    agent.model.dispose();
  });

  it('accepts a missing or null cleanScore', async () => {
    const dir = await copy('no-score');
    const json = JSON.parse(readFileSync(join(dir, 'agent.json'), 'utf8')) as Record<string, unknown>;
    delete json['cleanScore'];
    writeFileSync(join(dir, 'agent.json'), JSON.stringify(json));
    (await loadAgent(dir)).model.dispose();
  });

  it('names a missing directory, agent.json, model.json or weight file', async () => {
    await expectUserError(loadAgent(join(root, 'nowhere')), join(root, 'nowhere'));
    const a = await copy('no-spec');
    rmSync(join(a, 'agent.json'));
    await expectUserError(loadAgent(a), join(a, 'agent.json'), 'missing');
    const b = await copy('no-model');
    rmSync(join(b, 'model.json'));
    await expectUserError(loadAgent(b), join(b, 'model.json'), 'missing');
    const c = await copy('no-weights');
    rmSync(join(c, 'group1-shard1of1.bin'));
    await expectUserError(loadAgent(c), join(c, 'group1-shard1of1.bin'), 'missing');
  });

  it('detects a truncated weight file by its byte length', async () => {
    const dir = await copy('truncated');
    const bin = join(dir, 'group1-shard1of1.bin');
    truncateSync(bin, readFileSync(bin).length - 100);
    await expectUserError(loadAgent(dir), bin, 'truncated');
  });

  it('refuses unknown fields and invalid values in agent.json', async () => {
    const dir = await copy('extra-field');
    const file = join(dir, 'agent.json');
    const json = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
    writeFileSync(file, JSON.stringify({ ...json, epsilon: 0.05 }));
    await expectUserError(loadAgent(dir), file, 'epsilon');
    writeFileSync(file, JSON.stringify({ ...json, observation: { ...(json['observation'] as object), layout: 'NCHW' } }));
    await expectUserError(loadAgent(dir), file, 'observation.layout');
    writeFileSync(file, JSON.stringify({ ...json, actions: [0, 1, 18] }));
    await expectUserError(loadAgent(dir), file, 'actions.2');
    writeFileSync(file, '{ not json');
    await expectUserError(loadAgent(dir), file, 'JSON');
  });

  it('refuses an action count or observation shape the network does not have', async () => {
    const dir = await copy('mismatch');
    const file = join(dir, 'agent.json');
    const json = JSON.parse(readFileSync(file, 'utf8')) as AgentSpec;
    writeFileSync(file, JSON.stringify({ ...json, actions: [0, 1, 3, 4] }));
    await expectUserError(loadAgent(dir), join(dir, 'model.json'), '6', '4 actions');
    writeFileSync(file, JSON.stringify({ ...json, observation: { ...json.observation, frameStack: 3 } }));
    await expectUserError(loadAgent(dir), join(dir, 'model.json'), 'N x 84 x 84 x 3');
    await expectUserError(saveAgent(join(root, 'never'), model, spec({ actions: [0, 1] })), '2 actions');
    expect(existsSync(join(root, 'never'))).to.equal(false);
  });

  it('refuses weights whose shapes do not fit the topology', async () => {
    const dir = await copy('bad-shape');
    const file = join(dir, 'model.json');
    const json = JSON.parse(readFileSync(file, 'utf8')) as tf.io.ModelJSON;
    const q = json.weightsManifest[0]!.weights.find((w) => w.name === 'q/kernel')!;
    q.shape = [256, 12]; // same byte count, wrong shape
    writeFileSync(file, JSON.stringify(json));
    await expectUserError(loadAgent(dir), file, "'q/kernel'", '[256, 12]');
  });

  it('refuses weight paths outside the agent directory', async () => {
    const dir = await copy('escape');
    const file = join(dir, 'model.json');
    const json = JSON.parse(readFileSync(file, 'utf8')) as tf.io.ModelJSON;
    json.weightsManifest[0]!.paths = ['../good/group1-shard1of1.bin'];
    writeFileSync(file, JSON.stringify(json));
    await expectUserError(loadAgent(dir), file, 'inside the agent directory');
  });

  it('refuses networks with ReLUs fused into other layers (defenses could not wrap them)', async () => {
    const fused = tf.sequential({
      layers: [tf.layers.flatten({ inputShape: [84, 84, 4] }), tf.layers.dense({ units: 6, activation: 'relu' })],
    });
    await expectUserError(saveAgent(join(root, 'fused'), fused, spec()), "applies 'relu'");
    fused.dispose();
  });

  it('replaces an agent only with overwrite, atomically, leaving no temporary directories', async () => {
    const dir = await copy('replace');
    await expectUserError(saveAgent(dir, model, spec()), 'already exists');
    await saveAgent(dir, model, spec({ game: 'breakout_clone' }), { overwrite: true });
    expect((await loadAgent(dir)).spec.game).to.equal('breakout_clone');
    expect(readdirSync(root).filter((f) => f.startsWith('.'))).to.deep.equal([]);
  });
});
