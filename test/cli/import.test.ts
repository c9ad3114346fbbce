import { expect } from 'chai';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runCli } from '../helpers/cli.js';
import { makeTempDir, removeTempDir, requirePython } from '../helpers/python.js';
import { makeFixtures } from '../helpers/torch-fixtures.js';

describe('sap-rl import', function () {
  let dir: string;
  before(function () {
    requirePython(this, 'torch');
    dir = makeTempDir();
  });
  after(() => dir && removeTempDir(dir));

  it('imports a CleanRL checkpoint and an SB3 zip into agent folders', () => {
    const [cleanrl, sb3] = makeFixtures(dir, [
      { kind: 'cleanrl', n: 6, seed: 1 },
      { kind: 'sb3', n: 4, seed: 2 },
    ]);
    const a = runCli(['import', 'cleanrl', cleanrl!.checkpoint, '--game', 'ALE/Pong-v5', '--out', join(dir, 'pong')]);
    expect(a.code, a.stderr).to.equal(0);
    expect(a.stdout).to.match(/game pong, actions 0,1,3,4,11,12/);
    const spec = JSON.parse(readFileSync(join(dir, 'pong', 'agent.json'), 'utf8')) as { provenance: { format: string } };
    expect(spec.provenance.format).to.equal('cleanrl');
    const b = runCli(['import', 'sb3', sb3!.checkpoint, '--game', 'breakout', '--out', join(dir, 'breakout')]);
    expect(b.code, b.stderr).to.equal(0);
    expect(existsSync(join(dir, 'breakout', 'model.json'))).to.equal(true);
    // importing over an existing agent needs --overwrite
    const again = runCli(['import', 'sb3', sb3!.checkpoint, '--game', 'breakout', '--out', join(dir, 'breakout')]);
    expect(again.code).to.equal(2);
    expect(again.stderr).to.match(/--overwrite/);
  });

  it('gives one clear sentence for a bad format, game or file', () => {
    const junk = join(dir, 'junk.pt');
    writeFileSync(junk, 'not a checkpoint');
    for (const [args, msg] of [
      [['import', 'keras', junk, '--game', 'pong', '--out', join(dir, 'x')], /unknown import format 'keras'/],
      [['import', 'cleanrl', junk, '--game', 'tetris', '--out', join(dir, 'x')], /unknown game 'tetris'/],
      [['import', 'cleanrl', junk, '--game', 'pong', '--out', join(dir, 'x')], new RegExp(junk)],
      [['import', 'cleanrl', join(dir, 'missing.pt'), '--game', 'pong', '--out', join(dir, 'x')], /missing\.pt/],
    ] as const) {
      const res = runCli([...args]);
      expect(res.code, res.stderr).to.equal(2);
      expect(res.stderr.trim()).to.match(msg);
      expect(res.stderr).not.to.match(/\n\s+at /);
    }
    expect(existsSync(join(dir, 'x'))).to.equal(false);
  });
});
