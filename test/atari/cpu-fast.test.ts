import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import { AleEnvironment } from '../../src/atari/ale/environment.js';
import { createCartridge } from '../../src/atari/cart/index.js';
import { JAM_OPCODES } from '../../src/atari/cpu.js';
import { FRAME_INSTRUCTION_LIMIT, Machine, type MachineOptions } from '../../src/atari/machine.js';
import { MT19937 } from '../../src/atari/mt19937.js';
import { DEFAULT_PROPS } from '../../src/atari/props.js';
import { findRoms, PACKAGE_ROMS_DIR, romSearchDirs } from '../../src/env/roms.js';

// The CPU's fast path (cpu-fast.ts: Cpu6502.run on the Machine) against the reference
// (Cpu6502.step, or run() without a fast bus): the same ROM on two machines, one each way,
// compared after every instruction, every run() call with small odd budgets, and every frame.

/** Everything the CPU can change, and what it leaves on the bus. */
function snapshot(m: Machine): string {
  return JSON.stringify({
    cpu: m.cpu.saveState(),
    stop: m.cpu.stopRequested,
    dataBus: m.dataBus,
    lastRead: m.lastAccessWasRead,
    ram: Array.from(m.ramBytes),
    riot: { ...m.riot.saveState(), ram: undefined },
    cart: { ...m.cart.saveState(), ram: m.cart.saveState().ram ? Array.from(m.cart.saveState().ram!) : null },
  });
}

function expectSame(fast: Machine, ref: Machine, where: string): void {
  const a = snapshot(fast);
  const b = snapshot(ref);
  if (a !== b) expect(JSON.parse(a), where).to.deep.equal(JSON.parse(b));
}

/** One frame instruction by instruction: fast run(1) against reference step(), as runFrame would. */
function frameByInstruction(fast: Machine, ref: Machine, where: string): number {
  fast.tia.beginUpdate();
  ref.tia.beginUpdate();
  let n = 0;
  for (; n < FRAME_INSTRUCTION_LIMIT; n++) {
    const reason = fast.cpu.run(1);
    ref.cpu.stopRequested = false;
    ref.cpu.step();
    expectSame(fast, ref, `${where}, instruction ${n}`);
    if (ref.cpu.stopRequested) {
      expect(reason, `${where}, instruction ${n}`).to.equal('stopped');
      break;
    }
    if (ref.cpu.jammed) {
      expect(reason).to.equal('jammed');
      break;
    }
  }
  fast.tia.endUpdate();
  ref.tia.endUpdate();
  return n;
}

/** One frame in run() calls of random small budgets (and sometimes a cycle limit), both machines alike. */
function frameByBudgets(fast: Machine, ref: Machine, rng: MT19937, where: string): void {
  fast.tia.beginUpdate();
  ref.tia.beginUpdate();
  for (let call = 0; call < 20000; call++) {
    const budget = 1 + (rng.next() % 40);
    const limit = rng.next() % 4 === 0 ? fast.cpu.cycles + (rng.next() % 200) : Infinity;
    const a = fast.cpu.run(budget, limit);
    const b = ref.cpu.run(budget, limit);
    expect(a, `${where}, call ${call}`).to.equal(b);
    expectSame(fast, ref, `${where}, call ${call} (budget ${budget}, limit ${limit})`);
    if (b === 'stopped' || b === 'jammed') break;
  }
  fast.tia.endUpdate();
  ref.tia.endUpdate();
}

function pair(rom: Uint8Array, opts: MachineOptions = {}): [Machine, Machine] {
  const fast = new Machine(rom, opts);
  const ref = new Machine(rom, { ...opts, fastCpu: false });
  expect(fast.cpu.fastBus, 'the fast path is on').to.not.equal(null);
  expect(ref.cpu.fastBus).to.equal(null);
  return [fast, ref];
}

describe('CPU fast path vs reference step()', function () {
  this.timeout(0);

  const roms = findRoms(romSearchDirs()).filter((f) => f.path);
  const catchRom = `${PACKAGE_ROMS_DIR}/catch.bin`;

  it('catch.bin: every instruction of 40 frames, then 40 frames in odd budgets', () => {
    const [fast, ref] = pair(readFileSync(catchRom));
    expectSame(fast, ref, 'after construction');
    for (let f = 0; f < 40; f++) frameByInstruction(fast, ref, `frame ${f}`);
    const rng = new MT19937(5);
    for (let f = 0; f < 40; f++) frameByBudgets(fast, ref, rng, `budget frame ${f}`);
  });

  for (const finding of roms) {
    it(`${finding.game.id}: 300 played frames, every instruction of 8, 20 in odd budgets`, () => {
      const rom = readFileSync(finding.path!);
      const game = finding.game;
      const opts = { seed: 0, repeatActionProbability: 0, maxFramesPerEpisode: 0 };
      const envFast = new AleEnvironment(rom, game.rules, opts);
      const envRef = new AleEnvironment(rom, game.rules, { ...opts, fastCpu: false });
      const fast = envFast.machine;
      const ref = envRef.machine;
      if (fast.cpu.fastBus === null) return; // a scheme without a ROM window: nothing to compare
      expect(ref.cpu.fastBus).to.equal(null);
      const rng = new MT19937(1);
      const actions = game.minimalActions;
      for (let f = 0; f < 300; f++) {
        const action = actions[rng.next() % actions.length]!;
        expect(envFast.act(action), `frame ${f}`).to.equal(envRef.act(action));
        expectSame(fast, ref, `frame ${f}`);
        expect(Buffer.from(fast.screen()).equals(Buffer.from(ref.screen())), `screen of frame ${f}`).to.equal(true);
        if (envRef.isTerminal()) {
          envFast.reset();
          envRef.reset();
        }
      }
      for (let f = 0; f < 8; f++) frameByInstruction(fast, ref, `instruction frame ${f}`);
      for (let f = 0; f < 20; f++) frameByBudgets(fast, ref, rng, `budget frame ${f}`);
      expect(Buffer.from(fast.screen()).equals(Buffer.from(ref.screen()))).to.equal(true);
    });
  }

  // Random code: RAM, TIA and RIOT accesses, stack pages in TIA space, bank switches,
  // decimal mode, undocumented opcodes and jams, wherever the bytes lead.
  for (const scheme of ['4K', 'F8', 'F6SC']) {
    it(`random ${scheme} programs, instruction by instruction and in odd budgets`, () => {
      const rng = new MT19937(scheme.length * 977 + scheme.charCodeAt(1));
      const size = scheme === '4K' ? 4096 : scheme === 'F8' ? 8192 : 16384;
      let instructions = 0;
      for (let program = 0; program < 30; program++) {
        const rom = Uint8Array.from({ length: size }, () => rng.next() & 0xff);
        // most programs without jam opcodes, so that they run for a while
        if (program % 5 !== 0) for (let i = 0; i < size; i++) if (JAM_OPCODES.includes(rom[i]!)) rom[i] = 0xea;
        for (let bank = 0; bank < size; bank += 4096) {
          // reset and BRK vectors into the bank's code
          rom[bank + 0xffc] = 0x00; rom[bank + 0xffd] = 0xf0;
          rom[bank + 0xffe] = 0x00; rom[bank + 0xfff] = 0xf0;
        }
        const opts: MachineOptions = {
          props: { ...DEFAULT_PROPS, format: 'NTSC' },
          cartridge: (r) => createCartridge(rom, { rng: r, scheme }),
        };
        const [fast, ref] = pair(rom, opts);
        for (let f = 0; f < 3 && !ref.cpu.jammed; f++) instructions += frameByInstruction(fast, ref, `program ${program}, frame ${f}`);
        for (let f = 0; f < 3 && !ref.cpu.jammed; f++) frameByBudgets(fast, ref, rng, `program ${program}, budget frame ${f}`);
      }
      expect(instructions).to.be.greaterThan(10000);
    });
  }
});
