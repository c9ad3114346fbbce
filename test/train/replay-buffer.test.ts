import { expect } from 'chai';
import { Xoshiro128 } from '../../src/util/rng.js';
import { ReplayBuffer } from '../../src/train/replay-buffer.js';

const FS = 3; // bytes per frame
const frame = (v: number) => Uint8Array.from({ length: FS }, (_, i) => (v * 7 + i) & 0xff);
/** The value v a frame was made from (frame(v)[0] = 7 v mod 256; v < 37 here). */
const valueOf = (byte: number) => byte / 7;

/** Frame values of the k-stack starting at offset o of a channels-last batch. */
function stackValues(obs: Uint8Array, o: number, k: number): number[] {
  return Array.from({ length: k }, (_, c) => valueOf(obs[o + c]!));
}

describe('replay buffer (each frame stored once)', () => {
  it('rebuilds both stacks of every transition, repeating the first frame at an episode start', () => {
    const b = new ReplayBuffer(100, FS, 4);
    // Episode A: frames 0..5 (5 steps), episode B: frames 10..13 (3 steps).
    b.startEpisode(frame(0));
    for (let v = 1; v <= 5; v++) b.addStep(v % 3, v, v === 5, frame(v));
    b.startEpisode(frame(10));
    for (let v = 11; v <= 13; v++) b.addStep(1, -v, false, frame(v));
    const rng = new Xoshiro128(1);
    const seen = new Map<string, number[]>();
    for (let i = 0; i < 50; i++) {
      const m = b.sample(4, rng);
      for (let j = 0; j < 4; j++) {
        const s = stackValues(m.obs, j * FS * 4, 4);
        const n = stackValues(m.next, j * FS * 4, 4);
        seen.set(s.join(','), [...n, m.actions[j]!, m.rewards[j]!, m.dones[j]!]);
      }
    }
    expect(Object.fromEntries(seen)).to.deep.equal({
      '0,0,0,0': [0, 0, 0, 1, 1, 1, 0],
      '0,0,0,1': [0, 0, 1, 2, 2, 2, 0],
      '0,0,1,2': [0, 1, 2, 3, 0, 3, 0],
      '0,1,2,3': [1, 2, 3, 4, 1, 4, 0],
      '1,2,3,4': [2, 3, 4, 5, 2, 5, 1],
      '10,10,10,10': [10, 10, 10, 11, 1, -11, 0],
      '10,10,10,11': [10, 10, 11, 12, 1, -12, 0],
      '10,10,11,12': [10, 11, 12, 13, 1, -13, 0],
    });
  });

  it('never samples a stack whose frames were overwritten, nor an episode-final frame', () => {
    const b = new ReplayBuffer(10, FS, 4);
    b.startEpisode(frame(0));
    for (let v = 1; v <= 25; v++) b.addStep(0, v, false, frame(v));
    const rng = new Xoshiro128(2);
    const starts = new Set<number>();
    for (let i = 0; i < 200; i++) {
      const m = b.sample(1, rng);
      const s = stackValues(m.obs, 0, 4);
      // Consecutive frames, all among the 10 kept (16..25), and the transition's reward matches.
      expect(s[3]! - s[0]!).to.equal(3);
      expect(s[0]).to.be.at.least(16);
      expect(m.rewards[0]).to.equal(s[3]! + 1);
      starts.add(s[3]!);
    }
    expect([...starts].sort((x, y) => x - y)).to.deep.equal([19, 20, 21, 22, 23, 24]);
  });

  it('continues exactly from its saved state', () => {
    const a = new ReplayBuffer(20, FS, 4);
    a.startEpisode(frame(0));
    for (let v = 1; v <= 30; v++) a.addStep(v % 2, v, v % 9 === 0, frame(v));
    const b = ReplayBuffer.fromState(a.state());
    for (const buf of [a, b]) buf.addStep(1, 99, false, frame(31));
    const ra = new Xoshiro128(3);
    const rb = new Xoshiro128(3);
    expect(b.sample(8, rb)).to.deep.equal(a.sample(8, ra));
  });

  it('refuses a capacity too small for one transition', () => {
    expect(() => new ReplayBuffer(5, FS, 4)).to.throw(RangeError, /capacity/);
  });
});
