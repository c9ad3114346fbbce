import { expect } from 'chai';
import { CartridgeError } from '../../src/atari/cart/index.js';
import { CpuJamError } from '../../src/atari/cpu.js';
import { Machine } from '../../src/atari/machine.js';
import { MT19937 } from '../../src/atari/mt19937.js';

// Random byte strings as ROMs: each one must either run 600 frames or be rejected with a
// clear error (an unusable image, or a CPU jam); never an uncaught failure or a hang (a
// frame is at most 25000 instructions).
describe('Machine on random ROM images (fuzz)', () => {
  const rng = new MT19937(2600);
  const byte = (): number => rng.next() & 0xff;

  it('rejects images of sizes no cartridge scheme has, with a CartridgeError', () => {
    for (const size of [0, 1, 100, 2047, 3000, 5000]) {
      const rom = Uint8Array.from({ length: size }, byte);
      expect(() => new Machine(rom), `size ${size}`).to.throw(CartridgeError);
    }
  });

  it('runs or cleanly rejects random images of valid sizes', function () {
    this.timeout(0);
    const outcomes = { ran: 0, jammed: 0 };
    for (let i = 0; i < 24; i++) {
      const size = [2048, 4096, 8192, 16384][i % 4]!;
      const rom = Uint8Array.from({ length: size }, byte);
      // Half of them get code without jam opcodes, so they run for a while.
      if (i % 2) for (let a = 0; a < size; a++) if ((rom[a]! & 0x0f) === 0x02 && rom[a]! !== 0x82 && rom[a]! !== 0xa2 && rom[a]! !== 0xc2 && rom[a]! !== 0xe2) rom[a] = 0xea;
      try {
        const m = new Machine(rom);
        for (let f = 0; f < 600; f++) m.runFrame();
        expect(m.screen()).to.have.length(160 * m.tia.frameHeight);
        outcomes.ran++;
      } catch (err) {
        expect(err, `image ${i}`).to.be.instanceOf(CpuJamError);
        expect((err as Error).message).to.match(/jammed: opcode \$[0-9A-F]{2} at \$[0-9A-F]{4}/);
        outcomes.jammed++;
      }
    }
    expect(outcomes.ran + outcomes.jammed).to.equal(24);
    expect(outcomes.ran).to.be.greaterThan(0);
  });
});
