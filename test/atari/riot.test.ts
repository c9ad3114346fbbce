import { expect } from 'chai';
import type { Cpu6502 } from '../../src/atari/cpu.js';
import { InputState, Ports } from '../../src/atari/controls.js';
import { MT19937 } from '../../src/atari/mt19937.js';
import { DEFAULT_PROPS } from '../../src/atari/props.js';
import { Riot } from '../../src/atari/riot.js';

function makeRiot(seed = 4753849): { riot: Riot; cpu: { cycles: number }; input: InputState } {
  const cpu = { cycles: 0 };
  const input = new InputState();
  const riot = new Riot(cpu as Cpu6502, new MT19937(seed), new Ports(input, DEFAULT_PROPS));
  return { riot, cpu, input };
}

describe('RIOT (ALE 0.12.1 M6532)', () => {
  it('fills RAM with 128 draws of the system generator, then draws the timer start', () => {
    const { riot } = makeRiot();
    const rng = new MT19937(4753849);
    const ram = Array.from({ length: 128 }, () => rng.next() & 0xff);
    expect([...riot.ram]).to.deep.equal(ram);
    const timer = 25 + (rng.next() % 75);
    // Timer was set at cycle 0 with the 64-cycle interval: INTIM at cycle 1 reads T - 1.
    const { riot: r2, cpu } = makeRiot();
    cpu.cycles = 1;
    expect(r2.peek(0x284)).to.equal(timer - 1);
  });

  it('counts down in the chosen interval and reads TIMINT after expiry', () => {
    const { riot, cpu } = makeRiot();
    cpu.cycles = 1000;
    riot.poke(0x295, 10); // TIM8T
    cpu.cycles = 1001;
    expect(riot.peek(0x284)).to.equal(9);
    cpu.cycles = 1001 + 8 * 5;
    expect(riot.peek(0x284)).to.equal(4);
    expect(riot.peek(0x285)).to.equal(0);
    cpu.cycles = 1000 + 81; // expired (80 cycles after the write, read 1 cycle late): the counter runs on per cycle
    expect(riot.peek(0x285)).to.equal(0x80);
    cpu.cycles = 1000 + 85;
    const afterExpiry = riot.peek(0x284);
    expect(afterExpiry).to.equal(0xfb); // 5 cycles past expiry
    expect(riot.peek(0x285)).to.equal(0); // a read after the interrupt clears the flag
    riot.poke(0x297, 1); // TIM1024T restarts the timer
    cpu.cycles += 1;
    expect(riot.peek(0x284)).to.equal(0);
  });

  it('reads joystick directions on SWCHA and console switches on SWCHB', () => {
    const { riot, input } = makeRiot();
    expect(riot.peek(0x280)).to.equal(0xff);
    input.joystick[0] = 8 | 1; // right + up
    expect(riot.peek(0x280)).to.equal(0xff & ~0x80 & ~0x10);
    expect(riot.peek(0x282)).to.equal(0x3f); // difficulties B, colour, reset/select up
    input.reset = true;
    input.setDifficulty(1);
    expect(riot.peek(0x282)).to.equal(0x7e);
    riot.poke(0x281, 0x0f);
    expect(riot.peek(0x281)).to.equal(0x0f);
    riot.poke(0x283, 0xff);
    expect(riot.peek(0x283)).to.equal(0);
  });
});
