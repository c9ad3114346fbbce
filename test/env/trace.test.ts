import { expect } from 'chai';
import { join } from 'node:path';
import { probeAlePy } from '../../src/env/python.js';
import { runCli } from '../helpers/cli.js';
import { requirePython, runPython } from '../helpers/python.js';
import type { TraceLine } from '../../src/env/trace.js';

// `sap-rl trace` against a trace written in Python straight from ale_py's Gymnasium env:
// the same seed and actions must give the same screen hashes (FNV-1a 64), RAM and flags.
describe('sap-rl trace', function () {
  before(function () {
    requirePython(this, 'ale_py', 'gymnasium');
  });

  it('matches a Python trace of ale_py on Breakout, across an episode end', () => {
    const res = runCli(['trace', '--game', 'breakout', '--backend', 'ale-py', '--steps', '400', '--seed', '11']);
    expect(res.code, res.stderr).to.equal(0);
    const ours = res.stdout.trim().split('\n').map((l) => JSON.parse(l) as TraceLine);
    expect(ours).to.have.length(400);
    expect(ours.some((l) => l.terminated), 'an episode ended').to.equal(true);
    const theirs = JSON.parse(
      runPython(`
import json, numpy as np, gymnasium as gym, ale_py
gym.register_envs(ale_py)
env = gym.make("ALE/Breakout-v5")
ale = env.unwrapped.ale
actions = ${JSON.stringify(ours.map((l) => l.action))}
aset = [int(a.value) for a in ale.getMinimalActionSet()]
def fnv(b):
    h = 0xcbf29ce484222325
    for x in b:
        h = ((h ^ x) * 0x100000001b3) & 0xFFFFFFFFFFFFFFFF
    return format(h, "016x")
env.reset(seed=11)
out = []
for a in actions:
    _, r, term, trunc, info = env.step(aset.index(a))
    out.append({"reward": r, "lives": info["lives"], "terminated": term, "truncated": trunc,
                "screen": fnv(ale.getScreen().tobytes()), "ram": ale.getRAM().tobytes().hex()})
    if term or trunc:
        env.reset()
print(json.dumps(out))`),
    ) as Omit<TraceLine, 'step' | 'episode' | 'action'>[];
    ours.forEach((l, i) => {
      const { reward, lives, terminated, truncated, screen, ram } = l;
      expect({ reward, lives, terminated, truncated, screen, ram }, `step ${i}`).to.deep.equal(theirs[i]);
    });
  });

  it('runs any ROM on the js backend with --rom (no game rules: reward 0, never over)', () => {
    const romDir = probeAlePy().romDir!;
    const res = runCli(['trace', '--rom', join(romDir, 'alien.bin'), '--backend', 'js', '--steps', '50', '--seed', '2']);
    expect(res.code, res.stderr).to.equal(0);
    const lines = res.stdout.trim().split('\n').map((l) => JSON.parse(l) as TraceLine);
    expect(lines).to.have.length(50);
    expect(lines.every((l) => l.reward === 0 && !l.terminated && l.lives === 0)).to.equal(true);
    expect(new Set(lines.map((l) => l.screen)).size, 'the screen changes').to.be.greaterThan(1);
    // ALE itself only runs the games it has settings for, and sap-rl only the ones in its table
    const ale = runCli(['trace', '--rom', join(romDir, 'alien.bin'), '--backend', 'ale-py', '--steps', '5']);
    expect(ale.code).to.equal(2);
    expect(ale.stderr).to.match(/matches no supported game/);
  });

  it('rejects bad flags with one clear sentence', () => {
    for (const [args, msg] of [
      [['--steps', '-1'], /--steps must be an integer >= 0/],
      [['--sticky', '2'], /--sticky must be a probability/],
      [['--backend', 'mame'], /--backend must be one of js, ale-py/],
      [['--actions', '0,99'], /--actions must be an integer in 0..17/],
    ] as const) {
      const res = runCli(['trace', '--game', 'pong', ...args]);
      expect(res.code).to.equal(2);
      expect(res.stderr.trim()).to.match(msg);
      expect(res.stderr.trim().split('\n')).to.have.length(1);
    }
  });
});
