import { expect } from 'chai';
import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ALE_GAMES, GAMES } from '../../src/atari/games/index.js';
import { PACKAGE_ROMS_DIR } from '../../src/env/roms.js';
import { runCli, type CliResult } from '../helpers/cli.js';
import { makeTempDir, removeTempDir, requirePython } from '../helpers/python.js';

const escapeRe = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** A user error: exit code 2, one sentence on stderr naming `what`, no stack trace. */
function expectUserError(res: CliResult, what: RegExp): void {
  expect(res.code, res.stderr).to.equal(2);
  const lines = res.stderr.trim().split('\n');
  expect(lines, res.stderr).to.have.length(1);
  expect(lines[0]).to.match(/^sap-rl: /);
  expect(lines[0]).to.match(what);
  expect(res.stderr).not.to.match(/\n\s+at /);
}

describe('sap-rl roms', function () {
  let dir: string;
  const noAlePy = { SAP_RL_PYTHON: '/nonexistent/python', SAP_RL_ROMS: '' };

  before(() => {
    dir = makeTempDir();
  });
  after(() => removeTempDir(dir));

  it('finds ale-py\'s ROMs and reports the 10 target games and our own as playable', function () {
    requirePython(this, 'ale_py');
    const res = runCli(['roms']);
    expect(res.code, res.stderr).to.equal(0);
    for (const g of ALE_GAMES) expect(res.stdout).to.match(new RegExp(`^${g.id}\\s+${g.md5}\\s+${g.size}\\s+ok\\s+\\S+${g.romFile}$`, 'm'));
    expect(res.stdout).to.include(`${GAMES.length} of ${GAMES.length} games playable`);
  });

  it('finds the bundled catch.bin from any folder, with no ROM installed', () => {
    const res = runCli(['roms'], { env: noAlePy, cwd: dir });
    expect(res.code, res.stderr).to.equal(0);
    expect(res.stdout).to.match(new RegExp(`^\\s+sap-rl\\s+${escapeRe(PACKAGE_ROMS_DIR)}$`, 'm'));
    expect(res.stdout).to.match(new RegExp(`^catch\\s+[0-9a-f]{32}\\s+4096\\s+ok\\s+${escapeRe(join(PACKAGE_ROMS_DIR, 'catch.bin'))}$`, 'm'));
    expect(res.stdout).to.include(`1 of ${GAMES.length} games playable`);
    const trace = runCli(['trace', '--game', 'catch', '--steps', '50'], { env: noAlePy, cwd: dir });
    expect(trace.code, trace.stderr).to.equal(0);
    expect(trace.stdout.trim().split('\n')).to.have.length(50);
  });

  it('says in one sentence that catch runs on the js backend only', () => {
    const res = runCli(['trace', '--game', 'catch', '--steps', '5', '--backend', 'ale-py'], { env: noAlePy, cwd: dir });
    expectUserError(res, /Catch \(--game catch\) is sap-rl's own game and runs on the js backend only/);
    const rom = runCli(['trace', '--rom', join(PACKAGE_ROMS_DIR, 'catch.bin'), '--steps', '5', '--backend', 'ale-py'], { env: noAlePy, cwd: dir });
    expectUserError(rom, /runs on the js backend only/);
  });

  it('rejects a ROM file with an unknown md5', () => {
    const file = join(dir, 'mystery.bin');
    writeFileSync(file, Buffer.alloc(4096, 7));
    expectUserError(runCli(['roms', '--rom', file], { env: noAlePy }), new RegExp(`${file}.*md5 [0-9a-f]{32}.*no supported game`));
  });

  it('rejects a file whose size is no ROM size', () => {
    const file = join(dir, 'short.bin');
    writeFileSync(file, Buffer.alloc(1000));
    expectUserError(runCli(['roms', '--rom', file], { env: noAlePy }), new RegExp(`${file} is 1000 bytes`));
  });

  it('rejects an unreadable path', () => {
    const file = join(dir, 'nope.bin');
    expectUserError(runCli(['roms', '--rom', file], { env: noAlePy }), new RegExp(`${file} cannot be read \\(ENOENT\\)`));
    if (process.getuid?.() !== 0) {
      const locked = join(dir, 'locked.bin');
      writeFileSync(locked, Buffer.alloc(2048));
      chmodSync(locked, 0);
      expectUserError(runCli(['roms', '--rom', locked], { env: noAlePy }), /cannot be read \(EACCES\)/);
    }
  });

  it('rejects an unknown game, and a game whose ROM is missing', () => {
    expectUserError(runCli(['roms', '--game', 'tetris2'], { env: noAlePy }), /unknown game 'tetris2'.*supported games: pong/);
    const empty = join(dir, 'empty');
    mkdirSync(empty);
    expectUserError(runCli(['roms', '--game', 'pong', '--rom-dir', empty], { env: noAlePy }), /no good ROM for Pong \(pong\.bin\)/);
  });

  it('reports a file named like a game with the wrong md5 or size in --rom-dir', () => {
    const bad = join(dir, 'bad');
    mkdirSync(bad);
    writeFileSync(join(bad, 'pong.bin'), Buffer.alloc(2048, 1));
    writeFileSync(join(bad, 'breakout.bin'), Buffer.alloc(4096, 1));
    const res = runCli(['roms', '--rom-dir', bad], { env: noAlePy });
    expect(res.code).to.equal(2);
    expect(res.stdout).to.match(/^pong\s.*bad file/m);
    expect(res.stdout).to.include(`${join(bad, 'pong.bin')} has md5`);
    expect(res.stdout).to.include(`${join(bad, 'breakout.bin')} is 4096 bytes, but Breakout's ROM is 2048 bytes`);
  });

  it('rejects a --rom-dir that does not exist', () => {
    expectUserError(runCli(['roms', '--rom-dir', join(dir, 'missing')], { env: noAlePy }), /--rom-dir .*missing cannot be read/);
  });
});
