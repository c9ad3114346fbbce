import { expect } from 'chai';
import { CATCH_OBJECTS, CATCH_RAM } from '../../src/atari/games/catch.js';
import { catchRules } from '../../src/atari/games/catch.js';
import { UserError } from '../../src/cli/errors.js';
import { AtariEnv, toGrey } from '../../src/env/atari-env.js';
import { AtariPreprocessing } from '../../src/env/preprocess/atari-preprocessing.js';
import { join } from 'node:path';
import { PACKAGE_ROMS_DIR } from '../../src/env/roms.js';

// Catch through AtariEnv on the js backend, with ALE v5 settings (frameskip 4, sticky 0.25).
const NOOP = 0;
const RIGHT = 1;
const LEFT = 2;
const at = (ram: Uint8Array, address: number): number => ram[address & 0x7f]!;
const bcd = (v: number): number => (v >> 4) * 10 + (v & 15);

type Policy = (ram: Uint8Array) => number;

/** Moves the catcher under the falling ball (both x are left edges: ball 4 wide, catcher 16). */
const follow: Policy = (ram) => {
  if (at(ram, CATCH_RAM.ballState) !== 1) return NOOP;
  const d = at(ram, CATCH_RAM.ballX) + 2 - (at(ram, CATCH_RAM.catcherX) + 8);
  return d > 6 ? RIGHT : d < -6 ? LEFT : NOOP;
};

interface Episode {
  ret: number;
  rewards: number[];
  /** Ball x of every object, as it appears. */
  columns: number[];
  /** Objects finished at each step. */
  objects: number[];
  terminated: boolean;
  ram: Uint8Array;
  screens: string[];
}

async function playEpisode(env: AtariEnv, policy: Policy, seed?: number, maxSteps = 2000): Promise<Episode> {
  await env.reset(seed);
  const ep: Episode = { ret: 0, rewards: [], columns: [], objects: [], terminated: false, ram: new Uint8Array(), screens: [] };
  let ram = await env.ram();
  let falling = false;
  for (let t = 0; t < maxSteps && !ep.terminated; t++) {
    const s = await env.step(policy(ram));
    ram = await env.ram();
    ep.ret += s.reward;
    ep.rewards.push(s.reward);
    ep.objects.push(at(ram, CATCH_RAM.objects));
    ep.screens.push(Buffer.from(env.screen).toString('base64'));
    const nowFalling = at(ram, CATCH_RAM.ballState) === 1;
    if (nowFalling && !falling) ep.columns.push(at(ram, CATCH_RAM.ballX));
    falling = nowFalling;
    ep.terminated = s.terminated;
    expect(s.truncated).to.equal(false);
  }
  ep.ram = ram;
  return ep;
}

describe('Catch on AtariEnv (js backend)', function () {
  let env: AtariEnv;
  before(async () => {
    env = await AtariEnv.create({ game: 'catch' });
  });
  after(() => env.close());

  it('has 3 actions (NOOP, RIGHT, LEFT), one mode and no lives', async () => {
    expect(env.actionSet).to.deep.equal([0, 3, 4]);
    expect(env.info.modes).to.deep.equal([0]);
    const s = await env.reset(0);
    expect(s.lives).to.equal(0);
    expect(s.terminated).to.equal(false);
  });

  it('a policy that follows the ball catches all 20 objects: return +20', async () => {
    for (const seed of [0, 1, 2]) {
      const ep = await playEpisode(env, follow, seed);
      expect(ep.terminated, `seed ${seed}`).to.equal(true);
      expect(ep.ret, `seed ${seed}`).to.equal(CATCH_OBJECTS);
      expect(bcd(at(ep.ram, CATCH_RAM.caught))).to.equal(CATCH_OBJECTS);
      expect(at(ep.ram, CATCH_RAM.missed)).to.equal(0);
      // About 20 objects x 60 frames, i.e. 12-20 agent steps an object.
      expect(ep.rewards.length).to.be.within(CATCH_OBJECTS * 12, CATCH_OBJECTS * 20);
    }
  });

  it('NOOP only misses most objects: a negative return', async () => {
    const ep = await playEpisode(env, () => NOOP, 0);
    expect(ep.terminated).to.equal(true);
    expect(ep.ret).to.be.lessThan(-10);
    expect(ep.ret).to.equal(bcd(at(ep.ram, CATCH_RAM.caught)) - bcd(at(ep.ram, CATCH_RAM.missed)));
  });

  it('terminates exactly when the 20th object is caught or missed', async () => {
    const alternate: Policy = (ram) => (at(ram, CATCH_RAM.objects) % 2 === 0 ? follow(ram) : NOOP);
    const ep = await playEpisode(env, alternate, 4);
    expect(ep.terminated).to.equal(true);
    const first = ep.objects.indexOf(CATCH_OBJECTS);
    expect(first).to.equal(ep.objects.length - 1);
    expect(at(ep.ram, CATCH_RAM.gameOver)).to.equal(1);
    const caught = bcd(at(ep.ram, CATCH_RAM.caught));
    const missed = bcd(at(ep.ram, CATCH_RAM.missed));
    expect(caught + missed).to.equal(CATCH_OBJECTS);
    expect(caught).to.be.at.least(10);
    expect(ep.rewards.filter((r) => r === 1)).to.have.length(caught);
    expect(ep.rewards.filter((r) => r === -1)).to.have.length(missed);
    expect(ep.rewards.every((r) => r >= -1 && r <= 1)).to.equal(true);
    // Once over, steps do nothing.
    const after = await env.step(RIGHT);
    expect(after).to.include({ reward: 0, terminated: true });
  });

  it('starts a fresh game on every reset, seeded or not, over or not', async () => {
    for (const seed of [undefined, undefined, 7, 7, undefined]) {
      const s = await env.reset(seed);
      expect(s.terminated).to.equal(false);
      const ram = await env.ram();
      for (const a of [CATCH_RAM.caught, CATCH_RAM.missed, CATCH_RAM.objects, CATCH_RAM.gameOver]) expect(at(ram, a)).to.equal(0);
      let ret = 0;
      for (let t = 0; t < 40; t++) ret += (await env.step(follow(await env.ram()))).reward;
      expect(ret).to.equal(2);
    }
    const ep = await playEpisode(env, () => NOOP);
    expect(ep.terminated).to.equal(true);
    const again = await playEpisode(env, follow);
    expect(again.ret).to.equal(CATCH_OBJECTS);
  });

  it('same seed, same trajectory; other seeds, other objects', async () => {
    const a = await playEpisode(env, follow, 11);
    const b = await playEpisode(env, follow, 11);
    expect(b.rewards).to.deep.equal(a.rewards);
    expect(b.columns).to.deep.equal(a.columns);
    expect(b.screens).to.deep.equal(a.screens);
    const sequences = new Set([a.columns.join(',')]);
    for (const seed of [12, 13, 14]) sequences.add((await playEpisode(env, follow, seed)).columns.join(','));
    expect(sequences.size).to.equal(4);
    expect(a.columns).to.have.length(CATCH_OBJECTS);
    expect(new Set(a.columns).size).to.be.at.least(8);
    // Without a new seed, the next reset also brings other objects (the RIOT timer seeds the game).
    const noop = () => NOOP;
    const first = await playEpisode(env, noop, 11);
    const second = await playEpisode(env, noop);
    expect(second.columns).to.not.deep.equal(first.columns);
  });

  it('shows the score: the left digits change on a catch, the right ones on a miss', async () => {
    const alternate: Policy = (ram) => (at(ram, CATCH_RAM.objects) % 2 === 0 ? follow(ram) : NOOP);
    await env.reset(5);
    // The digits are screen rows 7..26: caught in x 16..43, missed in x 96..123.
    const area = (x0: number, x1: number): string => {
      const out: number[] = [];
      for (let y = 7; y < 27; y++) out.push(...env.screen.subarray(y * 160 + x0, y * 160 + x1));
      return out.join(',');
    };
    let left = area(0, 80);
    let right = area(80, 160);
    const blank = area(0, 80);
    let seen = 0;
    for (let t = 0; t < 2000; t++) {
      const s = await env.step(alternate(await env.ram()));
      const [l, r] = [area(0, 80), area(80, 160)];
      expect(l !== left, `step ${t}: left digits`).to.equal(s.reward === 1);
      expect(r !== right, `step ${t}: right digits`).to.equal(s.reward === -1);
      if (s.reward !== 0) seen++;
      [left, right] = [l, r];
      if (s.terminated) break;
    }
    expect(seen).to.equal(CATCH_OBJECTS);
    expect(left).to.not.equal(blank);
  });

  it('keeps the ball and the catcher visible in the 84x84 grey observation', async () => {
    const frameEnv = await AtariEnv.create({ game: 'catch', frameskip: 1 });
    try {
      const pre = new AtariPreprocessing(frameEnv, { noopMax: 0 });
      await pre.reset(1);
      for (let t = 0; t < 8; t++) await pre.step(NOOP);
      const ram = await frameEnv.ram();
      expect(at(ram, CATCH_RAM.ballState)).to.equal(1);
      // Screen pixel (x, row) lands at (x * 84 / 160, row * 84 / 210) after the area resize.
      const obs = (x: number, row: number): number => pre.frame[Math.floor((row * 84) / 210) * 84 + Math.floor((x * 84) / 160)]!;
      const background = obs(80, 100);
      const ballRow = at(ram, CATCH_RAM.ballY) + 3 + 4;
      const ball = obs(at(ram, CATCH_RAM.ballX) + 2, ballRow);
      const catcher = obs(at(ram, CATCH_RAM.catcherX) + 8, 170 + 3 + 4);
      const grey = toGrey(frameEnv.screen);
      expect(background).to.equal(grey[100 * 160 + 80]);
      expect(ball - background, 'ball').to.be.greaterThan(100);
      expect(catcher - background, 'catcher').to.be.greaterThan(80);
      expect(Math.abs(ball - catcher), 'ball vs catcher').to.be.greaterThan(40);
    } finally {
      await frameEnv.close();
    }
  });

  it('is refused on the ale-py backend in one sentence (ALE cannot load it)', async () => {
    for (const options of [{ game: 'catch' }, { rom: join(PACKAGE_ROMS_DIR, 'catch.bin') }]) {
      let err: unknown;
      try {
        await AtariEnv.create({ ...options, backend: 'ale-py' });
      } catch (e) {
        err = e;
      }
      expect(err).to.be.instanceOf(UserError);
      expect((err as Error).message).to.match(/^Catch \(--game catch\) is sap-rl's own game and runs on the js backend only/);
    }
  });

  it('scores BCD counters: caught 09 -> 10 is +1', () => {
    const ram = new Uint8Array(128);
    const t = catchRules.createTracker();
    const read = (a: number): number => ram[a & 0x7f]!;
    t.reset();
    ram[0] = 0x09;
    t.step(read);
    expect(t.reward).to.equal(9);
    ram[0] = 0x10;
    t.step(read);
    expect(t.reward).to.equal(1);
    ram[1] = 0x01;
    t.step(read);
    expect(t.reward).to.equal(-1);
    expect(t.terminal).to.equal(false);
    ram[3] = 1;
    t.step(read);
    expect(t.terminal).to.equal(true);
    expect(t.lives()).to.equal(0);
  });
});
