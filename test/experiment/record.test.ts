import { expect } from 'chai';
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { AGENT_FORMAT_VERSION } from '../../src/agent/agent-spec.js';
import { saveAgent } from '../../src/agent/agent-store.js';
import { buildNatureCnn } from '../../src/agent/nature-cnn.js';
import { ensureTf } from '../../src/agent/tf-backend.js';
import { PanelComposer, colourRgb, perturbationId } from '../../src/report/panels.js';
import { readResults } from '../../src/report/results-file.js';
import { decodeGif, pixel, type DecodedGif } from '../helpers/gif.js';
import { runCli } from '../helpers/cli.js';
import { makeTempDir, removeTempDir, requirePython } from '../helpers/python.js';

const N = 84;
const layout = new PanelComposer({ setting: '', lambda: 1, attacking: true }, N, 3);

/** The three panels of a frame, read at the centre of each scaled-up pixel: clean and seen as greys, the perturbation as RGB. */
function panels(gif: DecodedGif, frame: Uint8Array): { clean: number[]; perturbation: [number, number, number][]; seen: number[] } {
  const at = (panel: number) =>
    Array.from({ length: N * N }, (_, p) => pixel(gif, frame, layout.panelX[panel]! + (p % N) * 3 + 1, layout.panelY + Math.floor(p / N) * 3 + 1));
  const grey = (rgb: [number, number, number][]) =>
    rgb.map(([r, g, b]) => {
      if (r !== g || g !== b) expect.fail(`a frame panel pixel is not grey: ${r},${g},${b}`);
      return r;
    });
  return { clean: grey(at(0)), perturbation: at(1), seen: grey(at(2)) };
}

// `sap-rl play --record` end to end on real Pong (our emulator; the ROM from ale-py's folder).
describe('sap-rl play --record', function () {
  let dir: string;
  let agent: string;
  const play = (out: string, extra: string[]) =>
    runCli(['play', '--agent', agent, '--episodes', '2', '--max-frames', '300', '--backend', 'js', '--seed', '3', '--eot', '2', '--out', out, ...extra]);

  before(async function () {
    requirePython(this, 'ale_py');
    await ensureTf();
    dir = makeTempDir('sap-rl-record-');
    agent = join(dir, 'agent');
    await saveAgent(agent, buildNatureCnn({ nActions: 6, scaleInside: true, seed: 8 }), {
      formatVersion: AGENT_FORMAT_VERSION,
      game: 'pong',
      actions: [0, 1, 3, 4, 11, 12],
      observation: { frameStack: 4, height: N, width: N, layout: 'NHWC', scaleInside: true },
      provenance: { kind: 'trained', source: 'test', format: 'sap-rl', date: new Date(0).toISOString() },
    });
  });
  after(() => dir && removeTempDir(dir));

  it('records episode 0 of the one setting to exactly FILE.gif: a frame per agent step, the perturbation panel = agent sees - clean', () => {
    const out = join(dir, 'one.csv');
    const file = join(dir, 'gifs', 'pong.gif');
    const res = play(out, ['--defense', 'dense', '--attack', 'fgsm', '--lambda', '4', '--record', file]);
    expect(res.code, res.stderr).to.equal(0);
    expect(res.stdout).to.include(`recording: ${file}`);
    expect(readdirSync(join(dir, 'gifs'))).to.deep.equal(['pong.gif']);
    const steps = readResults(out).find((r) => r.episode === 0)!.agent_steps;
    const gif = decodeGif(file);
    expect([gif.width, gif.height, gif.loopCount]).to.deep.equal([layout.width, layout.height, 0]);
    expect(gif.frames).to.have.length(steps);
    expect(new Set(gif.delays)).to.deep.equal(new Set([7])); // 4 frames at 60 Hz, in hundredths
    let moved = 0;
    for (const [i, frame] of gif.frames.entries()) {
      const { clean, perturbation, seen } = panels(gif, frame);
      for (let p = 0; p < N * N; p++) {
        const d = seen[p]! - clean[p]!;
        if (Math.abs(d) > 4) expect.fail(`frame ${i} pixel ${p}: agent sees - clean = ${d}, beyond lambda 4`);
        if (perturbation[p]!.join() !== colourRgb(perturbationId(d, 4)).join()) expect.fail(`frame ${i} pixel ${p}: the perturbation panel does not show ${d}`);
        if (d !== 0) moved++;
      }
    }
    expect(moved / (steps * N * N)).to.be.greaterThan(0.5);
    // a rerun finds episode 0 done: it records nothing and says so, and keeps the file
    const before = readFileSync(file);
    const again = play(out, ['--defense', 'dense', '--attack', 'fgsm', '--lambda', '4', '--record', file]);
    expect(again.code, again.stderr).to.equal(0);
    expect(again.stdout).to.match(/^not recorded: episode 0 of dense lambda 4 was already in .*one\.csv; give a new --out to record it$/m);
    expect(readFileSync(file).equals(before)).to.equal(true);
  });

  it('with several settings writes FILE-<defense>-lambda<L>.gif each; --record-every K keeps every K-th step; no attack: a uniform perturbation panel', () => {
    const out = join(dir, 'grid.csv');
    const res = play(out, ['--defense', 'dense,sap:1', '--attack', 'none', '--lambda', '0,2', '--episodes', '1', '--record', join(dir, 'grid.gif'), '--record-every', '4']);
    expect(res.code, res.stderr).to.equal(0);
    const names = ['grid-dense-lambda0.gif', 'grid-dense-lambda2.gif', 'grid-sap1-lambda0.gif', 'grid-sap1-lambda2.gif'];
    expect(readdirSync(dir).filter((f) => f.endsWith('.gif') || f.includes('partial')).sort()).to.deep.equal(names);
    const rows = readResults(out);
    for (const name of names) {
      const [, defense, lambda] = /grid-(\w+?)1?-lambda(\d)/.exec(name)!;
      const steps = rows.find((r) => r.defense === defense && r.lambda === Number(lambda))!.agent_steps;
      const gif = decodeGif(join(dir, name));
      expect(gif.frames, name).to.have.length(Math.ceil(steps / 4));
      expect(new Set(gif.delays)).to.deep.equal(new Set([27]));
      for (const frame of gif.frames) {
        const { clean, perturbation, seen } = panels(gif, frame);
        expect(seen).to.deep.equal(clean);
        expect(new Set(perturbation.map((c) => c.join()))).to.deep.equal(new Set(['255,255,255']));
      }
    }
  });

  it('refuses an unwritable --record before playing, in one sentence, and leaves nothing behind', () => {
    writeFileSync(join(dir, 'plain'), 'x');
    const out = join(dir, 'never.csv');
    for (const [args, msg] of [
      [['--record', join(dir, 'plain', 'x.gif')], /^sap-rl: --record .*x\.gif: cannot write in .*plain \(ENOTDIR\); choose a writable folder$/],
      [['--record', join(dir, 'x.png')], /^sap-rl: --record .*x\.png: give a file name ending in \.gif$/],
      [['--record', join(dir, 'y.gif'), '--record-every', '0'], /^sap-rl: --record-every must be an integer >= 1, not '0'$/],
    ] as const) {
      const res = play(out, ['--defense', 'dense', '--lambda', '4', ...args]);
      expect(res.code, res.stderr).to.equal(2);
      expect(res.stderr.trim()).to.match(msg);
      expect(res.stderr.trim().split('\n')).to.have.length(1);
    }
    expect(existsSync(out), 'nothing was played').to.equal(false);
    expect(existsSync(join(dir, 'y.gif'))).to.equal(false);
  });

  it('a run killed mid-episode leaves no GIF at the target; the next recording there clears its temporary file', async () => {
    const sub = join(dir, 'killed');
    mkdirSync(sub);
    const entry = fileURLToPath(new URL('../../src/cli/run.js', import.meta.url));
    const args = ['play', '--agent', agent, '--defense', 'dense', '--lambda', '4', '--max-frames', '100000', '--backend', 'js', '--record', join(sub, 'x.gif')];
    const child = spawn(process.execPath, [entry, ...args, '--episodes', '1', '--out', join(sub, 'r.csv')], { stdio: 'ignore' });
    const exited = new Promise<unknown>((done) => child.on('exit', done));
    const deadline = Date.now() + 60_000;
    while (!readdirSync(sub).some((f) => f.endsWith('.partial')) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    child.kill('SIGKILL');
    await exited;
    expect(readdirSync(sub).filter((f) => f.includes('.gif')), 'only the hidden temporary file').to.deep.equal([`.x.gif.${child.pid}.partial`]);
    const next = runCli([...args, '--episodes', '1', '--max-frames', '200', '--out', join(sub, 'r2.csv')]);
    expect(next.code, next.stderr).to.equal(0);
    expect(readdirSync(sub).filter((f) => f.includes('.gif'))).to.deep.equal(['x.gif']);
  });
});
