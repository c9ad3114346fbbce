import { expect } from 'chai';
import { CpuJamError } from '../../src/atari/cpu.js';
import { Machine } from '../../src/atari/machine.js';
import { DEFAULT_PROPS } from '../../src/atari/props.js';
import { FRAME_PROGRAM, rom2k } from './programs.js';

describe('Machine (ALE 0.12.1 console)', () => {
  it('runs a frame kernel: frame boundary at VSYNC, 262 lines, the picture, RAM mirrors, data-bus bits', () => {
    const m = new Machine(rom2k(FRAME_PROGRAM));
    expect(m.displayFormat).to.equal('NTSC');
    for (let i = 0; i < 3; i++) m.runFrame();
    expect(m.tia.partialFrame).to.equal(false);
    expect(m.tia.scanlines()).to.equal(262);
    const screen = m.screen();
    expect(screen).to.have.length(160 * 210);
    expect(screen.every((p) => p === 0x1e)).to.equal(true);
    expect(m.ramBytes[0]).to.equal(0x0e); // an unused TIA register reads the data bus: its own address
    expect(m.ramBytes[1]).to.equal(0x42);
  });

  it('ends a frame without VSYNC on the first TIA write past the line limit (and calls such a ROM PAL)', () => {
    // STA WSYNC; JMP: a TIA write every line, never a VSYNC. During the 60 detection frames
    // (NTSC limit 290) every frame is longer than 285 lines, so the console decides PAL,
    // whose limit is 342: the write on line 343 ends the frame, its WSYNC finishes the line.
    const m = new Machine(rom2k([0x85, 0x02, 0x4c, 0x00, 0xf8]));
    expect(m.displayFormat).to.equal('PAL');
    m.runFrame();
    m.runFrame();
    expect(m.tia.partialFrame).to.equal(false);
    expect(m.tia.scanlines()).to.equal(344);
  });

  it('stops a frame after 25000 instructions when the program never touches the TIA', () => {
    const m = new Machine(rom2k([0x4c, 0x00, 0xf8])); // JMP $F800 forever
    const before = m.cpu.cycles;
    m.runFrame();
    expect(m.tia.partialFrame).to.equal(true);
    expect(m.cpu.cycles - before).to.equal(25000 * 3);
  });

  it('surfaces a CPU jam as a CpuJamError', () => {
    expect(() => new Machine(rom2k([0xea, 0x02]))).to.throw(CpuJamError, /jammed/);
  });

  it('times paddle lines from the release of the VBLANK dump (1.6 R 0.01e-6 x 1.19e6 cycles)', () => {
    const m = new Machine(rom2k([0x4c, 0x00, 0xf8]), { props: { ...DEFAULT_PROPS, controllerLeft: 'PADDLES' } });
    m.input.paddleResistance[0] = 400000; // needs trunc(1.6 * 400000 * 0.01e-6 * 1.19e6) = 7616 cycles
    m.cpu.cycles = 100;
    m.poke(0x01, 0x80); // dump on: the line reads low
    expect(m.peek(0x08) & 0x80).to.equal(0);
    m.cpu.cycles = 200;
    m.poke(0x01, 0x00); // dump released at cycle 200
    m.cpu.cycles = 200 + 7616;
    expect(m.peek(0x08) & 0x80).to.equal(0);
    m.cpu.cycles = 200 + 7617;
    expect(m.peek(0x08) & 0x80).to.equal(0x80);
    m.input.paddleResistance[0] = 0; // minimum resistance: always high
    m.poke(0x01, 0x80);
    expect(m.peek(0x08) & 0x80).to.equal(0x80);
  });

  it('reads joystick fire on INPT4 and paddle buttons on SWCHA', () => {
    const m = new Machine(rom2k([0x4c, 0x00, 0xf8]));
    expect(m.peek(0x0c) & 0x80).to.equal(0x80);
    m.input.joystick[0] = 16;
    expect(m.peek(0x0c) & 0x80).to.equal(0);
    const p = new Machine(rom2k([0x4c, 0x00, 0xf8]), {
      props: { ...m.props, controllerLeft: 'PADDLES', controllerRight: 'PADDLES', swapPaddles: true },
    });
    p.input.paddleFire[0] = 1; // with swapped paddles, paddle 0 is the jack's second paddle: SWCHA bit 6
    expect(p.peek(0x280)).to.equal(0xff & ~0x40);
  });
});
