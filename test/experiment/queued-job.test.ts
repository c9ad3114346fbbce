import { expect } from 'chai';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { agentMd5, differingFiles } from '../../src/agent/agent-md5.js';
import { keyOfJobId, queueJobId, relativeToRoot } from '../../src/experiment/queue/queued-job.js';
import { makeTempDir, removeTempDir } from '../helpers/python.js';
import { expectUserError } from '../agent/expect-user-error.js';

// The pieces of a queued job that need no Redis: its id, its agent path and its agent md5.
describe('queued episode jobs', () => {
  it('have the job key as id, readable, with what a BullMQ id or Redis key must not hold escaped', () => {
    const plain = 'pong|pong-dqn|sap|1|fgsm|4|10|stack|0|3';
    expect(queueJobId(plain)).to.equal(plain);
    const odd = 'pong|my agent:v2 %ü|dense||fgsm|0.5|1|stack|0|0';
    const id = queueJobId(odd);
    expect(id).to.equal('pong|my%20agent%3Av2%20%25%C3%BC|dense||fgsm|0.5|1|stack|0|0');
    expect(id).not.to.match(/[: ]/);
    expect(keyOfJobId(id)).to.equal(odd);
  });

  it('record agent folders relative to the agents root, with / separators', () => {
    expect(relativeToRoot('/data/sap-rl', '/data/sap-rl/agents/pong-dqn')).to.equal('agents/pong-dqn');
    expect(relativeToRoot('/data/sap-rl/sweeps', '/data/sap-rl/agents/pong-dqn')).to.equal('../agents/pong-dqn');
    expect(relativeToRoot('/data/x', '/data/x')).to.equal('.');
  });

  it("carry the md5 of the agent's files, which tells which file differs", async () => {
    const dir = makeTempDir();
    try {
      const agent = join(dir, 'a');
      mkdirSync(agent);
      writeFileSync(join(agent, 'agent.json'), '{}');
      writeFileSync(join(agent, 'model.json'), JSON.stringify({ modelTopology: {}, weightsManifest: [{ paths: ['w.bin'], weights: [] }] }));
      writeFileSync(join(agent, 'w.bin'), 'abc');
      const before = agentMd5(agent);
      expect(Object.keys(before.files)).to.deep.equal(['agent.json', 'model.json', 'w.bin']);
      expect(before.files['w.bin']).to.equal('900150983cd24fb0d6963f7d28e17f72'); // md5("abc")
      writeFileSync(join(agent, 'w.bin'), 'abd');
      const after = agentMd5(agent);
      expect(after.md5).not.to.equal(before.md5);
      expect(differingFiles(after, before)).to.deep.equal(['w.bin']);
      writeFileSync(join(agent, 'model.json'), JSON.stringify({ modelTopology: {}, weightsManifest: [{ paths: ['gone.bin'], weights: [] }] }));
      await expectUserError(() => agentMd5(agent), `${join(agent, 'gone.bin')} is missing (listed in model.json)`);
    } finally {
      removeTempDir(dir);
    }
  });
});
