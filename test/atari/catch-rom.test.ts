import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { JOY_LEFT, JOY_RIGHT } from '../../src/atari/controls.js';
import { CATCH_OBJECTS, CATCH_RAM, catchGame } from '../../src/atari/games/catch.js';
import { findGame } from '../../src/atari/games/index.js';
import { Machine } from '../../src/atari/machine.js';
import { md5Of, PACKAGE_ROMS_DIR } from '../../src/env/roms.js';
import { assembleRom } from '../helpers/rom-assemble.js';

// Our own game, roms/catch.bin, on the bare machine: the build, the frame, the rules of play.
const ROM = readFileSync(join(PACKAGE_ROMS_DIR, 'catch.bin'));
const ram = (m: Machine, address: number): number => m.ramBytes[address & 0x7f]!;
const bcd = (v: number): number => (v >> 4) * 10 + (v & 15);

function frames(m: Machine, n: number, joystick = 0, reset = false): void {
  m.input.joystick[0] = joystick;
  m.input.reset = reset;
  for (let i = 0; i < n; i++) m.runFrame();
  m.input.joystick[0] = 0;
  m.input.reset = false;
}

describe('Catch ROM (roms/catch.bin)', () => {
  it('is exactly what roms/src/catch.asm assembles to, and the game table has its md5', async () => {
    const { bytes, symbols } = await assembleRom('catch');
    expect(bytes.length).to.equal(4096);
    expect(Buffer.from(bytes).equals(ROM), 'roms/catch.bin is stale: run `npm run rom:build`').to.equal(true);
    expect(catchGame.md5).to.equal(md5Of(ROM));
    expect(catchGame.size).to.equal(ROM.length);
    expect(findGame('catch')).to.equal(catchGame);
    // The RAM map of the settings file is the assembler's.
    const names: Record<keyof typeof CATCH_RAM, string> = {
      caught: 'Caught', missed: 'Missed', objects: 'Objects', gameOver: 'GameOver', rngLo: 'RngLo', rngHi: 'RngHi',
      catcherX: 'CatcherX', ballX: 'BallX', ballY: 'BallY', ballSub: 'BallSub', ballState: 'BallState', timer: 'Timer', frame: 'Frame',
    };
    for (const [key, symbol] of Object.entries(names)) expect(symbols.get(symbol), symbol).to.equal(CATCH_RAM[key as keyof typeof CATCH_RAM]);
    expect(symbols.get('OBJECTS_PER_GAME')).to.equal(CATCH_OBJECTS);
  });

  it('draws 262-line NTSC frames with the 192-line picture in rows 3..194 of the 210 ALE shows', () => {
    const m = new Machine(ROM);
    expect(m.displayFormat).to.equal('NTSC');
    m.runFrame(); // power-on: from the reset vector to the first VSYNC
    for (let i = 0; i < 100; i++) {
      m.runFrame();
      expect(m.tia.scanlines(), `frame ${i}`).to.equal(262);
    }
    const screen = m.screen();
    expect(screen.length).to.equal(160 * 210);
    const row = (y: number) => screen.subarray(y * 160, y * 160 + 160);
    for (let y = 0; y < 210; y++) {
      const visible = y >= 3 && y < 195;
      expect(row(y).every((c) => c === 0), `row ${y}`).to.equal(!visible);
    }
    // Walls on both sides of the field, the floor across the whole width.
    const wall = row(100)[0]!;
    expect(wall).to.not.equal(row(100)[80]);
    expect([...row(100).subarray(0, 16), ...row(100).subarray(144)].every((c) => c === wall)).to.equal(true);
    expect(row(190).every((c) => c === wall)).to.equal(true);
  });

  it('clears the RAM ALE filled with random bytes', () => {
    const m = new Machine(ROM);
    frames(m, 3);
    // $9C..$F7: above the game's variables, below the stack.
    expect(Array.from(m.ramBytes.subarray(0x1c, 0x78)).every((b) => b === 0)).to.equal(true);
  });

  it('moves the catcher 3 pixels a frame and keeps it between the walls', () => {
    const m = new Machine(ROM);
    frames(m, 2);
    const x0 = ram(m, CATCH_RAM.catcherX);
    frames(m, 5, JOY_RIGHT);
    expect(ram(m, CATCH_RAM.catcherX)).to.equal(x0 + 15);
    frames(m, 60, JOY_RIGHT);
    expect(ram(m, CATCH_RAM.catcherX)).to.equal(128);
    frames(m, 1);
    const catcherRow = m.screen().subarray(173 * 160, 174 * 160); // kernel line 170
    const colour = catcherRow[128]!;
    expect(catcherRow[127]).to.not.equal(colour);
    expect(Array.from(catcherRow.subarray(128, 144)).every((c) => c === colour)).to.equal(true);
    frames(m, 60, JOY_LEFT);
    expect(ram(m, CATCH_RAM.catcherX)).to.equal(16);
  });

  it('lets the catcher reach any column while an object falls', () => {
    // Frames from an object's appearance until it reaches the catcher, against the frames the
    // catcher needs to cross the field (and some agent steps to spare).
    const m = new Machine(ROM);
    frames(m, 1); // power-on: clears what ALE's start-up frames left in RAM
    let t = 0;
    while (ram(m, CATCH_RAM.ballState) !== 1) frames(m, 1);
    while (ram(m, CATCH_RAM.ballY) + 8 <= 170) {
      frames(m, 1);
      t++;
    }
    frames(m, 60, JOY_LEFT);
    let cross = 0;
    while (ram(m, CATCH_RAM.catcherX) < 128) {
      frames(m, 1, JOY_RIGHT);
      cross++;
    }
    expect(t).to.be.within(50, 60);
    expect(cross).to.be.at.most(t - 12);
  });

  it('ends after 20 objects, freezes until RESET, and RESET always starts a new game', () => {
    const m = new Machine(ROM);
    let n = 0;
    while (ram(m, CATCH_RAM.gameOver) === 0 && n++ < 3000) frames(m, 1);
    expect(ram(m, CATCH_RAM.gameOver)).to.equal(1);
    expect(ram(m, CATCH_RAM.objects)).to.equal(CATCH_OBJECTS);
    expect(bcd(ram(m, CATCH_RAM.caught)) + bcd(ram(m, CATCH_RAM.missed))).to.equal(CATCH_OBJECTS);
    expect(n).to.be.within(20 * 60, 20 * 70);
    const frozen = Array.from(m.ramBytes.subarray(0, 12));
    const screen = Uint8Array.from(m.screen());
    frames(m, 100, JOY_RIGHT);
    // Only the random generator ($84/$85) and the frame counter ($8C) run on.
    const now = Array.from(m.ramBytes.subarray(0, 12));
    expect(now.filter((_, i) => i !== 4 && i !== 5)).to.deep.equal(frozen.filter((_, i) => i !== 4 && i !== 5));
    expect(Buffer.from(m.screen()).equals(screen)).to.equal(true);
    frames(m, 4, 0, true);
    expect(Array.from(m.ramBytes.subarray(0, 4))).to.deep.equal([0, 0, 0, 0]);
    frames(m, 200);
    expect(ram(m, CATCH_RAM.objects)).to.be.greaterThan(0);
    // In the middle of a game too.
    frames(m, 1, 0, true);
    expect(Array.from(m.ramBytes.subarray(0, 4))).to.deep.equal([0, 0, 0, 0]);
    expect(ram(m, CATCH_RAM.ballState)).to.equal(0);
  });
});
