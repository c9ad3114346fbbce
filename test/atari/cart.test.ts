import { expect } from 'chai';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  CartridgeError,
  createCartridge,
  detectScheme,
  md5Hex,
  type Cartridge,
  type CartridgeHost,
} from '../../src/atari/cart/index.js';
import { MT19937 } from '../../src/atari/mt19937.js';
import { probeAlePy } from '../../src/env/python.js';
import { requirePython, runPython } from '../helpers/python.js';

/**
 * The scheme ALE 0.12.1 picks for each ROM in ale-py's ROM folder, as ALE itself reports
 * it ("Bankswitch Type: AUTO-DETECT ==> X" in its Info log when loading the ROM). The live
 * oracle test below re-derives it from the installed ale-py; this copy documents it.
 */
const ALE_SCHEMES_BY_MD5: ReadonlyMap<string, string> = new Map([
  ['4b27f5397c442d25f0c418ccdacf1926', '4K'], // adventure.bin
  ['35be55426c1fec32dfb503b4f0651572', '4K'], // air_raid.bin
  ['f1a0a23e6464d954e3a9579c4ccd01c8', '4K'], // alien.bin
  ['acb7750b4d0c4bd34969802a7deb2990', '4K'], // amidar.bin
  ['de78b3a064d374390ac0710f95edde92', '4K'], // assault.bin
  ['89a68746eff7f266bbf08de2483abe55', 'F8'], // asterix.bin
  ['ccbd36746ed4525821a8083b0d6d2c2c', 'F8'], // asteroids.bin
  ['9ad36e699ef6f45d9eb6c4cf90475c9f', '4K'], // atlantis.bin
  ['826481f6fc53ea47c9f272f7050eedf7', '4K'], // atlantis2.bin
  ['8556b42aa05f94bc29ff39c39b11bff4', '4K'], // backgammon.bin
  ['00ce0bdd43aed84a983bef38fe7f5ee3', '4K'], // bank_heist.bin
  ['819aeeb9a2e11deb54e6de334f843894', '2K'], // basic_math.bin
  ['41f252a66c6301f1e8ab3612c19bc5d4', 'F8'], // battle_zone.bin
  ['79ab4123a83dc11d468fb2108ea09e2e', 'F8'], // beam_rider.bin
  ['136f75c4dd02c29283752b7e5799f978', '4K'], // berzerk.bin
  ['0a981c03204ac2b278ba392674682560', '2K'], // blackjack.bin
  ['c9b7afad3bfd922e006a6bfc1d4f3fe7', '2K'], // bowling.bin
  ['c3ef5c4653212088eda54dc91d787870', '2K'], // boxing.bin
  ['f34f08e5eb96e500e851a80be3277a56', '2K'], // breakout.bin
  ['028024fb8e5e5f18ea586652f9799c96', '4K'], // carnival.bin
  ['b816296311019ab69a21cb9e9e235d12', '4K'], // casino.bin
  ['91c2098e88a6b13f977af8c003e0bca5', 'F8'], // centipede.bin
  ['c1cb228470a87beb5f36e90ac745da26', '4K'], // chopper_command.bin
  ['0ef64cdbecccb7049752a3de0b7ade14', '2K'], // combat.bin
  ['55ef7b65066428367844342ed59f956c', 'F8'], // crazy_climber.bin
  ['8cd26dcf249456fe4aeb8db42d49df74', 'F6'], // crossbow.bin
  ['106855474c69d08c8ffa308d47337269', 'F6SC'], // darkchambers.bin
  ['0f643c34e40e3f1daafd9c524d3ffe64', '4K'], // defender.bin
  ['f0e0addc07971561ab80d9abe1b8d333', '4K'], // demon_attack.bin
  ['36b20c427975760cb9cf4a47e41369e4', '4K'], // donkey_kong.bin
  ['368d88a6c071caba60b4f778615aae94', 'F6'], // double_dunk.bin
  ['5aea9974b975a6a844e6df10d2b861c4', 'F8'], // earthworld.bin
  ['71f8bacfbdca019113f3f0801849057e', 'F8SC'], // elevator_action.bin
  ['94b92a882f6dbaa6993a46e2dcc58402', '4K'], // enduro.bin
  ['6b683be69f92958abe0e2a9945157ad5', '4K'], // entombed.bin
  ['615a3bf251a38eb6638cdc7ffbde5480', 'F8'], // et.bin
  ['b8865f05676e64f3bec72b9defdacfa7', '2K'], // fishing_derby.bin
  ['30512e0e83903fc05541d2f6a6a62654', '2K'], // flag_capture.bin
  ['8e0ab801b1705a740b476b7f588c6d16', '2K'], // freeway.bin
  ['081e2c114c9c20b61acf25fc95c71bf4', '4K'], // frogger.bin
  ['4ca73eb959299471788f0b685c3ba0b5', '4K'], // frostbite.bin
  ['211774f4c5739042618be8ff67351177', 'F8'], // galaxian.bin
  ['c16c79aad6272baffb8aae9a7fff0864', '4K'], // gopher.bin
  ['8ac18076d01a6b63acf6e2cab4968940', 'F8'], // gravitar.bin
  ['f16c709df0a6c52f47ff52b9d95b7d8d', '4K'], // hangman.bin
  ['f0a6e99f5875891246c3dbecbf2d2cea', '4K'], // haunted_house.bin
  ['fca4a5be1251927027f2c24774a02160', 'F8'], // hero.bin
  ['7972e5101fa548b952d852db24ad6060', '2K'], // human_cannonball.bin
  ['a4c08c4994eb9d24fb78be1793e82e26', '4K'], // ice_hockey.bin
  ['e51030251e440cffaab1ac63438b44ae', 'E0'], // jamesbond.bin
  ['718ae62c70af4e5fd8e932fee216948a', '4K'], // journey_escape.bin
  ['3276c777cbe97cdd2b4a63ffc16b7151', 'F8'], // joust.bin
  ['5428cdfada281c569c74c7308c7f2c26', '2K'], // kaboom.bin
  ['4326edb70ff20d0ee5ba58fa5cb09d60', 'F8'], // kangaroo.bin
  ['6c1f3f2e359dbf55df462ccbcdd2f6bf', '4K'], // keystone_kapers.bin
  ['0dd4c69b5f9a7ae96a7a08329496779a', '4K'], // king_kong.bin
  ['eed9eaf1a0b6a2b9bc4c8032cb43e3fb', 'F6SC'], // klax.bin
  ['534e23210dd1993c828d944c6ac4d9fb', '4K'], // koolaid.bin
  ['4baada22435320d185c95b7dd2bcdb24', 'F8'], // krull.bin
  ['5b92a93b23523ff16e2789b820e2a4c5', 'F8'], // kung_fu_master.bin
  ['8e4cd60d93fcde8065c1a2b972a26377', '4K'], // laser_gates.bin
  ['2d76c5d1aad506442b9e9fb67765e051', '4K'], // lost_luggage.bin
  ['e908611d99890733be31733a979c62d8', 'F8'], // mario_bros.bin
  ['ed2218b3075d15eaa34e3356025ccca3', '4K'], // maze_craze.bin
  ['df62a658496ac98a3aa4a6ee5719c251', '2K'], // miniature_golf.bin
  ['3347a6dd59049b15a38394aa2dafa585', 'E0'], // montezuma_revenge.bin
  ['aa7bb54d2c189a31bb1fa20099e42859', 'F8'], // mr_do.bin
  ['87e79cd41ce136fd4f72cc6e2c161bee', 'F8'], // ms_pacman.bin
  ['36306070f0c90a72461551a7a4f3a209', '4K'], // name_this_game.bin
  ['113cd09c9771ac278544b7e90efe7df2', '2K'], // othello.bin
  ['fc2233fc116faef0d3c31541717ca2db', '4K'], // pacman.bin
  ['7e52a95074a66640fcfde124fffd491a', 'F8'], // phoenix.bin
  ['3e90cf23106f2e08b2781e41299de556', '4K'], // pitfall.bin
  ['6d842c96d5a01967be9680080dd5be54', 'DPC'], // pitfall2.bin
  ['60e0ea3cbe0913d39803477945e9e5ec', '2K'], // pong.bin
  ['4799a40b6e889370b7ee55c17ba65141', '4K'], // pooyan.bin
  ['ef3a4f64b6494ba770862768caf04b86', 'F8'], // private_eye.bin
  ['484b0076816a104875e00467d431c2d2', '4K'], // qbert.bin
  ['393948436d1f4cc3192410bb918f9724', '4K'], // riverraid.bin
  ['ce5cc62608be2cd3ed8abd844efb8919', 'F6'], // road_runner.bin
  ['4f618c2429138e0280969193ed6c107e', 'FE'], // robotank.bin
  ['240bfbac5163af4df5ae713985386f92', '4K'], // seaquest.bin
  ['dd0cbe5351551a538414fb9e37fc56e8', 'F8'], // sir_lancelot.bin
  ['b76fbadc8ffb1f83e2ca08b6fb4d6c9f', '2K'], // skiing.bin
  ['e72eb8d4410152bdcb69e7fba327b420', 'F6'], // solaris.bin
  ['72ffbef6504b75e69ee1045af9075f66', '4K'], // space_invaders.bin
  ['b702641d698c60bcdc922dbd8c9dd49c', '2K'], // space_war.bin
  ['a3c1c70024d7aabb41381adbfb6d3b25', '4K'], // star_gunner.bin
  ['a9531c763077464307086ec9a1fd057d', '4K'], // superman.bin
  ['4d7517ae69f95cfbc053be01312b7dba', '2K'], // surround.bin
  ['42cdd6a9e42a3639e190722b8ea3fc51', '2K'], // tennis.bin
  ['b0e1ee07fbc73493eac5651a52f90f00', '2K'], // tetris.bin
  ['0db4f4150fecf77e4ce72ca4d04c052f', '2K'], // tic_tac_toe_3d.bin
  ['fc2104dd2dadf9a6176c1c1c8f87ced9', 'F8'], // time_pilot.bin
  ['fb27afe896e7c928089307b32e5642ee', '4K'], // trondead.bin
  ['7a5463545dfb2dcfdafa6074b2f2c15e', '4K'], // turmoil.bin
  ['085322bae40d904f53bdcc56df0593fc', 'E0'], // tutankham.bin
  ['a499d720e7ee35c62424de882a3351b6', 'F8'], // up_n_down.bin
  ['3e899eba0ca8cd2972da1ae5479b4f0d', '4K'], // venture.bin
  ['539d26b6e9df0da8e7465f0f5ad863b7', '4K'], // video_checkers.bin
  ['f0b7db930ca0e548c41a97160b9f6275', '4K'], // video_chess.bin
  ['3f540a30fdee0b20aed7288e4a5ea528', '4K'], // video_cube.bin
  ['107cc025334211e6d29da0b6be46aec7', '4K'], // video_pinball.bin
  ['cbe5a166550a8129a5e6d374901dffad', '4K'], // warlords.bin
  ['7e8aa18bc9502eb57daaf5e7c1e94da7', '4K'], // wizard_of_wor.bin
  ['ec3beb6d8b5689e867bafb5d5f507491', '4K'], // word_zapper.bin
  ['c5930d0e8cdae3e037349bfa08e871be', '4K'], // yars_revenge.bin
  ['eea0da9b987d661264cce69a7c13c3bd', 'F8'], // zaxxon.bin
]);

// ---------------------------------------------------------------------------------------
// helpers

/** An image of `banks` banks of `bankSize` bytes, each byte holding its bank number. */
function bankedRom(banks: number, bankSize: number): Uint8Array {
  const rom = new Uint8Array(banks * bankSize);
  for (let b = 0; b < banks; b++) rom.fill(b, b * bankSize, (b + 1) * bankSize);
  return rom;
}

/** Like bankedRom, but the first 256 bytes of each 4K bank differ, so no Superchip is guessed. */
function bankedRomNoSC(banks: number, bankSize: number): Uint8Array {
  const rom = bankedRom(banks, bankSize);
  for (let o = 0; o < rom.length; o += 4096) rom[o + 17] = 0xee;
  return rom;
}

function make(rom: Uint8Array, scheme: string, seed = 1): Cartridge {
  const cart = createCartridge(rom, { scheme, rng: new MT19937(seed) });
  cart.reset();
  return cart;
}

function draws(seed: number, n: number, skip = 0): number[] {
  const g = new MT19937(seed);
  for (let i = 0; i < skip; i++) g.next();
  return Array.from({ length: n }, () => g.next() & 0xff);
}

class FakeHost implements CartridgeHost {
  now = 0;
  tiaWrites: Array<[number, number]> = [];
  cycles(): number {
    return this.now;
  }
  tiaPoke(addr: number, value: number): void {
    this.tiaWrites.push([addr, value]);
  }
}

function expectCartridgeError(f: () => unknown, pattern: RegExp): void {
  let caught: unknown;
  try {
    f();
  } catch (e) {
    caught = e;
  }
  expect(caught, 'expected a CartridgeError').to.be.instanceOf(CartridgeError);
  expect((caught as Error).message).to.match(pattern);
}

/** Every synthetic cartridge used below, for the cross-scheme checks. */
function allSynthetic(): Cartridge[] {
  const cv = new Uint8Array(2048);
  cv.set([0x9d, 0xff, 0xf3], 100);
  return [
    make(bankedRom(1, 2048), '2K'),
    make(bankedRom(1, 4096), '4K'),
    make(cv, 'CV'),
    make(bankedRom(2, 4096), 'F8'),
    make(bankedRom(2, 4096), 'F8 swapped'),
    make(bankedRom(2, 4096), 'F8SC'),
    make(bankedRom(4, 4096), 'F6'),
    make(bankedRom(4, 4096), 'F6SC'),
    make(bankedRom(8, 4096), 'F4'),
    make(bankedRom(8, 4096), 'F4SC'),
    make(bankedRom(3, 4096), 'FASC'),
    make(bankedRom(16, 4096), 'MB'),
    make(bankedRom(8, 1024), 'E0'),
    make(bankedRom(8, 2048), 'E7'),
    make(bankedRom(2, 4096), 'FE'),
    make(bankedRom(4, 2048), '3F'),
    make(bankedRom(4, 2048), '3E'),
    make(bankedRom(2, 4096), 'UA'),
    make(dpcRom(), 'DPC'),
  ];
}

/** 8K program (bank 0 filled with 0, bank 1 with 1) + 2K display ROM (byte i = i & $FF) + 255 spare bytes. */
function dpcRom(): Uint8Array {
  const rom = new Uint8Array(10495);
  rom.fill(0, 0, 4096);
  rom.fill(1, 4096, 8192);
  for (let i = 0; i < 2048; i++) rom[8192 + i] = i & 0xff;
  return rom;
}

// ---------------------------------------------------------------------------------------

describe('cartridges: ALE\'s scheme for every ROM in ale-py\'s ROM folder', function () {
  let romDir = '';
  let files: string[] = [];

  before(function () {
    requirePython(this, 'ale_py');
    const probe = probeAlePy();
    if (!probe.romDir) {
      console.log(`      skipped: ${probe.error ?? 'ale-py has no ROM folder'}`);
      this.skip();
    }
    romDir = probe.romDir;
    files = readdirSync(romDir).filter((f) => f.endsWith('.bin')).sort();
  });

  it('detects the scheme ALE itself reports when it loads each ROM, and builds the cartridge', function () {
    this.timeout(600_000);
    // ALE's Info log names the bank-switching type of every ROM it loads.
    const log = runPython(`
import os, sys, ale_py
os.dup2(sys.stdout.fileno(), sys.stderr.fileno())
from ale_py import ALEInterface, LoggerMode
ALEInterface.setLoggerMode(LoggerMode.Info)
d = os.path.join(os.path.dirname(ale_py.__file__), 'roms')
for f in sorted(os.listdir(d)):
    if f.endswith('.bin'):
        print('@@ROM ' + f, flush=True)
        # ALE exits the process for bundled ROMs it has no game settings for (after logging
        # their scheme), so each ROM is loaded in a forked child.
        pid = os.fork()
        if pid == 0:
            try:
                ALEInterface().loadROM(os.path.join(d, f))
            finally:
                sys.stdout.flush()
                os._exit(0)
        os.waitpid(pid, 0)
print('@@END', flush=True)
`);
    const oracle = new Map<string, string>();
    let current = '';
    for (const line of log.split('\n')) {
      const rom = /^@@ROM (\S+)/.exec(line);
      if (rom) current = rom[1]!;
      const type = /Bankswitch Type:\s*(.*?)\s*$/.exec(line);
      if (type && current) oracle.set(current, type[1]!.split('==>').pop()!.trim());
    }
    expect(oracle.size, 'ROMs with a logged bankswitch type').to.equal(files.length);
    expect(files.length).to.be.greaterThan(100);

    const counts: Record<string, number> = {};
    for (const f of files) {
      const rom = new Uint8Array(readFileSync(join(romDir, f)));
      const scheme = detectScheme(rom);
      expect(scheme, f).to.equal(oracle.get(f));
      const cart = createCartridge(rom);
      expect(cart.scheme, f).to.equal(scheme);
      cart.reset();
      const lo = cart.peek(0x1ffc);
      const hi = cart.peek(0x1ffd);
      expect(lo | hi).to.be.within(0, 255);
      counts[scheme] = (counts[scheme] ?? 0) + 1;
    }
    console.log(`      schemes: ${JSON.stringify(counts)}`);
  });

  it('agrees with the recorded md5 -> scheme table for every ROM', function () {
    let seen = 0;
    for (const f of files) {
      const rom = new Uint8Array(readFileSync(join(romDir, f)));
      const expected = ALE_SCHEMES_BY_MD5.get(md5Hex(rom));
      if (expected === undefined) continue;
      seen++;
      expect(detectScheme(rom), f).to.equal(expected);
    }
    expect(seen).to.be.greaterThan(100);
  });

  it('fills Superchip RAM as ALE does: low bytes of the system mt19937, right after the RIOT timer draw', function () {
    this.timeout(120_000);
    // Elevator Action (F8SC) leaves 73 of its 128 Superchip bytes untouched after ALE's load.
    const out = runPython(`
import os, struct, json, ale_py
from ale_py import ALEInterface, LoggerMode
ALEInterface.setLoggerMode(LoggerMode.Error)
a = ALEInterface()
a.loadROM(os.path.join(os.path.dirname(ale_py.__file__), 'roms', 'elevator_action.bin'))
s = bytes(a.cloneState().serialize())
i = s.find(b'CartridgeF8SC') + len('CartridgeF8SC')
bank, n = struct.unpack_from('<ii', s, i)
print(json.dumps([a.getInt('system_random_seed'), [struct.unpack_from('<i', s, i + 8 + 4 * k)[0] for k in range(n)]]))
`);
    const [seed, aleRam] = JSON.parse(out.trim().split('\n').pop()!) as [number, number[]];
    expect(seed).to.equal(4753849);
    const rom = new Uint8Array(readFileSync(join(romDir, 'elevator_action.bin')));
    // One generator, drawn from in ALE's order: RIOT RAM (128) and timer (1) when the RIOT
    // is built, then per system reset (three at load): RIOT timer (1), cartridge RAM (128).
    const rng = new MT19937(seed);
    const cart = createCartridge(rom, { rng });
    for (let i = 0; i < 129; i++) rng.next();
    for (let r = 0; r < 3; r++) {
      rng.next();
      cart.reset();
    }
    const ours = cart.saveState().ram!;
    const same = aleRam.filter((v, k) => v === ours[k]).length;
    expect(same, 'bytes equal to ALE\'s Superchip RAM').to.be.at.least(64);
    expect(Array.from(ours)).to.deep.equal(draws(seed, 128, 129 + 2 * 129 + 1));
    // ...while drawing the cartridge RAM before the RIOT timer (one draw earlier) gives nothing like it
    const shifted = draws(seed, 128, 129 + 2 * 129);
    const sameShifted = aleRam.filter((v, k) => v === shifted[k]).length;
    expect(sameShifted).to.be.below(16);
  });
});

describe('cartridges: detection rules', () => {
  it('tells the 8K schemes apart by ALE\'s signatures', () => {
    expect(detectScheme(bankedRom(2, 4096))).to.equal('F8SC'); // uniform first 256 bytes per bank
    expect(detectScheme(bankedRomNoSC(2, 4096))).to.equal('F8');
    const same = new Uint8Array(8192);
    same[5] = 1;
    same[4096 + 5] = 1;
    expect(detectScheme(same)).to.equal('4K');
    const sig = (bytes: number[], at = 300): Uint8Array => {
      const r = bankedRomNoSC(2, 4096);
      r.set(bytes, at);
      return r;
    };
    expect(detectScheme(sig([0x8d, 0xe0, 0x1f]))).to.equal('E0');
    expect(detectScheme(sig([0x85, 0x3e, 0xa9, 0x00]))).to.equal('3E');
    const twice3F = sig([0x85, 0x3f]);
    expect(detectScheme(twice3F)).to.equal('F8'); // one STA $3F is not enough
    twice3F.set([0x85, 0x3f], 900);
    expect(detectScheme(twice3F)).to.equal('3F');
    expect(detectScheme(sig([0x8d, 0x40, 0x02]))).to.equal('UA');
    expect(detectScheme(sig([0x20, 0x00, 0xd0, 0xc6, 0xc5]))).to.equal('FE');
    // a signature in the very last position is not seen (Stella's scan stops one short)
    expect(detectScheme(sig([0x8d, 0x40, 0x02], 8192 - 3))).to.equal('F8');
  });

  it('applies the size rules and the 16K/32K signatures', () => {
    expect(detectScheme(new Uint8Array(2048).fill(1))).to.equal('2K');
    const cv = new Uint8Array(2048);
    cv.set([0x99, 0x00, 0xf4], 10);
    expect(detectScheme(cv)).to.equal('CV');
    const mirrored = new Uint8Array(4096);
    mirrored[7] = mirrored[2048 + 7] = 9;
    expect(detectScheme(mirrored)).to.equal('2K');
    mirrored[2048 + 7] = 8;
    expect(detectScheme(mirrored)).to.equal('4K');
    expect(detectScheme(new Uint8Array(10240))).to.equal('DPC');
    expect(detectScheme(new Uint8Array(10496))).to.equal('DPC');
    expect(detectScheme(new Uint8Array(12288))).to.equal('FASC');
    expect(detectScheme(bankedRom(4, 4096))).to.equal('F6SC');
    expect(detectScheme(bankedRomNoSC(4, 4096))).to.equal('F6');
    const e7 = bankedRomNoSC(8, 2048);
    e7[0x3800 - 1] = 0x55; // RAM window $3800-$39FF uniform, a neighbour differs
    expect(detectScheme(e7)).to.equal('E7');
    expect(detectScheme(bankedRom(8, 4096))).to.equal('F4SC');
    expect(detectScheme(bankedRomNoSC(8, 4096))).to.equal('F4');
    expect(detectScheme(bankedRomNoSC(16, 4096))).to.equal('MB');
    expect(detectScheme(new Uint8Array(8448))).to.equal('AR');
    expect(detectScheme(new Uint8Array(131072).fill(3))).to.equal('MC');
  });

  it('uses ALE\'s md5 table before auto-detection', () => {
    const rom = bankedRomNoSC(2, 4096);
    expect(detectScheme(rom, 'bc24440b59092559a1ec26055fd1270e')).to.equal('F8 swapped');
    expect(detectScheme(rom, '6DDA84FB8E442ECF34241AC0D1D91D69')).to.equal('F6SC');
    const cart = createCartridge(rom, { md5: '75ee371ccfc4f43e7d9b8f24e1266b55' });
    cart.reset();
    expect(cart.scheme).to.equal('F8 swapped');
    expect(cart.banks()).to.deep.equal([0]);
  });
});

describe('cartridges: invalid images', () => {
  for (const size of [0, 1, 100, 2047, 3000, 4095, 5000, 6000, 8191, 9000, 10000, 20000, 40000]) {
    it(`rejects a ${size}-byte image with a CartridgeError naming the size`, () => {
      const rom = new Uint8Array(size);
      expectCartridgeError(() => createCartridge(rom), size === 0 ? /empty/ : new RegExp(`\\b${size} bytes`));
      expectCartridgeError(() => detectScheme(rom), size === 0 ? /empty/ : new RegExp(`\\b${size} bytes`));
    });
  }

  it('rejects random garbage of odd sizes', () => {
    const g = new MT19937(7);
    for (const size of [1, 100, 3000, 5000, 7777]) {
      const rom = Uint8Array.from({ length: size }, () => g.next() & 0xff);
      expectCartridgeError(() => createCartridge(rom), new RegExp(`${size}`));
    }
  });

  it('names the schemes it detects but does not emulate', () => {
    expectCartridgeError(() => createCartridge(new Uint8Array(8448 * 4)), /AR bank-switching scheme/);
    expectCartridgeError(() => createCartridge(new Uint8Array(131072).fill(3)), /MC bank-switching scheme/);
  });

  it('rejects a 3F image whose size is not a multiple of 2K, and images too small for a forced scheme', () => {
    const odd = new Uint8Array(5000);
    odd.set([0x85, 0x3f], 10);
    odd.set([0x85, 0x3f], 100);
    expect(detectScheme(odd)).to.equal('3F');
    expectCartridgeError(() => createCartridge(odd), /multiple of 2048 bytes, got 5000/);
    expectCartridgeError(() => createCartridge(new Uint8Array(4096), { scheme: 'F8' }), /at least 8192 bytes, got 4096/);
    expectCartridgeError(() => createCartridge(new Uint8Array(4096), { scheme: 'XYZ' }), /unknown bank-switching scheme "XYZ"/);
    expectCartridgeError(() => createCartridge([1, 2, 3] as unknown as Uint8Array), /Uint8Array/);
  });
});

describe('cartridges: plain and F-family schemes', () => {
  it('2K mirrors its 2K in both halves of cartridge space; 4K maps 4K', () => {
    const rom = new Uint8Array(2048);
    rom[0x123] = 0x42;
    const c = make(rom, '2K');
    expect(c.peek(0x1123)).to.equal(0x42);
    expect(c.peek(0x1923)).to.equal(0x42);
    expect(c.peek(0xf923)).to.equal(0x42);
    const rom4 = new Uint8Array(4096);
    rom4[0xffc] = 0x34;
    expect(make(rom4, '4K').peek(0xfffc)).to.equal(0x34);
  });

  const families: Array<[string, number, number, number]> = [
    // scheme, banks, first hotspot, start bank
    ['F8', 2, 0x1ff8, 1],
    ['F8 swapped', 2, 0x1ff8, 0],
    ['F8SC', 2, 0x1ff8, 1],
    ['F6', 4, 0x1ff6, 0],
    ['F6SC', 4, 0x1ff6, 0],
    ['F4', 8, 0x1ff4, 0],
    ['F4SC', 8, 0x1ff4, 0],
    ['FASC', 3, 0x1ff8, 2],
  ];
  for (const [scheme, banks, hot, start] of families) {
    it(`${scheme}: starts in bank ${start}; reading hotspot $${hot.toString(16)}+n selects bank n and returns its byte`, () => {
      const c = make(bankedRom(banks, 4096), scheme);
      expect(c.banks()).to.deep.equal([start]);
      expect(c.peek(0x1400)).to.equal(start);
      for (let n = banks - 1; n >= 0; n--) {
        expect(c.peek(hot + n), `read of hotspot ${n}`).to.equal(n);
        expect(c.banks()).to.deep.equal([n]);
        expect(c.peek(0x1800)).to.equal(n);
        expect(c.peek(0xf800), 'with A13-A15 set').to.equal(n);
      }
      // neighbours of the hotspot range do nothing
      c.peek(hot + 1);
      const before = c.banks();
      c.peek(hot - 1);
      c.peek(hot + banks);
      expect(c.banks()).to.deep.equal(before);
    });

    it(`${scheme}: a write to a hotspot ${scheme === 'F4SC' ? 'does NOT switch (as in ALE)' : 'switches too'}`, () => {
      const c = make(bankedRom(banks, 4096), scheme);
      const target = start === 0 ? 1 : 0;
      c.poke(hot + target, 0xff);
      expect(c.banks()).to.deep.equal([scheme === 'F4SC' ? start : target]);
    });
  }

  for (const [scheme, size, banks] of [['F8SC', 128, 2], ['F6SC', 128, 4], ['F4SC', 128, 8], ['FASC', 256, 3]] as const) {
    it(`${scheme}: ${size} bytes of RAM, written at $1000, read at $${(0x1000 + size).toString(16)}`, () => {
      const c = make(bankedRom(banks, 4096), scheme, 99);
      expect(Array.from(c.saveState().ram!), 'reset fills RAM from the generator').to.deep.equal(draws(99, size));
      for (let i = 0; i < size; i++) c.poke(0x1000 + i, (i * 7) & 0xff);
      for (let i = 0; i < size; i++) expect(c.peek(0x1000 + size + i)).to.equal((i * 7) & 0xff);
      // reading the write port gives the ROM byte of the current bank; writing the read port is ignored
      const bank = c.banks()[0]!;
      expect(c.peek(0x1005)).to.equal(bank);
      c.poke(0x1000 + size + 5, 0xaa);
      expect(c.peek(0x1000 + size + 5)).to.equal(35);
      // RAM survives bank switches and is re-randomised by the next reset (next draws)
      c.peek(0x1ff8);
      expect(c.peek(0x1000 + size + 1)).to.equal(7);
      c.reset();
      expect(Array.from(c.saveState().ram!)).to.deep.equal(draws(99, size, size));
    });
  }

  it('MB: starts in bank 1; each access to $1FF0 steps to the next bank, mod 16', () => {
    const c = make(bankedRom(16, 4096), 'MB');
    expect(c.peek(0x1000)).to.equal(1);
    expect(c.peek(0x1ff0)).to.equal(2);
    c.poke(0x1ff0, 0);
    expect(c.banks()).to.deep.equal([3]);
    for (let i = 0; i < 13; i++) c.peek(0x1ff0);
    expect(c.banks()).to.deep.equal([0]);
    c.peek(0x1ff1);
    expect(c.banks()).to.deep.equal([0]);
  });

  it('CV: 1K RAM read at $1000 and written at $1400; a 4K image brings its own initial RAM', () => {
    const rom = new Uint8Array(2048).fill(0x11);
    rom.set([0x9d, 0xff, 0xf3], 100);
    const c = make(rom, 'CV', 5);
    expect(Array.from(c.saveState().ram!)).to.deep.equal(draws(5, 1024));
    c.poke(0x1400 + 0x3ff, 0x77);
    expect(c.peek(0x1000 + 0x3ff)).to.equal(0x77);
    c.poke(0x1000 + 3, 0x66); // read port: ignored
    expect(c.peek(0x1003)).to.not.equal(0x66);
    expect(c.peek(0x1800)).to.equal(0x11);
    const four = new Uint8Array(4096);
    four.fill(0x5a, 0, 1024);
    four.fill(0x22, 2048);
    four.set([0x9d, 0xff, 0xf3], 3000);
    const c4 = make(four, 'CV');
    expect(c4.peek(0x1010)).to.equal(0x5a);
    expect(c4.peek(0x1ff0)).to.equal(0x22);
  });
});

describe('cartridges: segmented schemes (E0, E7) and FE', () => {
  it('E0: reset shows slices 4,5,6,7; $1FE0-$1FF7 pick segment 0-2 slices on read or write', () => {
    const c = make(bankedRom(8, 1024), 'E0');
    expect([0x1000, 0x1400, 0x1800, 0x1c00].map((a) => c.peek(a))).to.deep.equal([4, 5, 6, 7]);
    expect(c.peek(0x1fe2), 'hotspots live in segment 3 = slice 7').to.equal(7);
    c.peek(0x1feb);
    c.poke(0x1ff1, 0);
    expect([0x13ff, 0x17ff, 0x1bff, 0x1fff].map((a) => c.peek(a))).to.deep.equal([2, 3, 1, 7]);
    expect(c.banks()).to.deep.equal([2, 3, 1]);
    c.peek(0x1ff8); // not a hotspot
    expect(c.banks()).to.deep.equal([2, 3, 1]);
    c.reset();
    expect(c.banks()).to.deep.equal([4, 5, 6]);
  });

  it('E7: 2K slices at $1000, slice 7 fixed at $1A00, slice 7 = 1K RAM, four 256-byte RAM banks', () => {
    const c = make(bankedRom(8, 2048), 'E7', 3);
    const ram0 = draws(3, 2048);
    expect(Array.from(c.saveState().ram!)).to.deep.equal(ram0);
    expect(c.peek(0x1000)).to.equal(0);
    expect(c.peek(0x1a00)).to.equal(7);
    expect(c.peek(0x1fe3)).to.equal(7);
    expect(c.peek(0x17ff)).to.equal(3);
    c.poke(0x1fe7, 0); // RAM mode
    c.poke(0x1005, 0xab);
    expect(c.peek(0x1405)).to.equal(0xab);
    expect(c.peek(0x1005), 'write port reads ROM slice 7').to.equal(7);
    // 256-byte RAM banks
    expect(c.peek(0x1903)).to.equal(ram0[1024 + 3]);
    c.peek(0x1fe9);
    c.poke(0x1803, 0x55);
    expect(c.peek(0x1903)).to.equal(0x55);
    expect(c.peek(0x1803), 'write port reads ROM slice 7').to.equal(7);
    c.poke(0x1fe8, 0);
    expect(c.peek(0x1903)).to.equal(ram0[1024 + 3]);
    c.poke(0x1903, 0x12); // read port: ignored
    expect(c.peek(0x1903)).to.equal(ram0[1024 + 3]);
    expect(c.banks()).to.deep.equal([7, 0]);
    c.peek(0x1fe1);
    expect(c.peek(0x1405)).to.equal(1);
    c.poke(0x1005, 0x99); // ROM mode: no write
    c.peek(0x1fe7);
    expect(c.peek(0x1405)).to.equal(0xab);
  });

  it('FE: the bank follows A13 of the CPU address ($Fxxx: first 4K, $Dxxx: second 4K)', () => {
    const c = make(bankedRom(2, 4096), 'FE');
    expect(c.peek(0xf123)).to.equal(0);
    expect(c.peek(0xd123)).to.equal(1);
    expect(c.peek(0x1123), 'a 13-bit address has A13 = 0').to.equal(1);
    c.poke(0x1ff8, 0);
    expect(c.peek(0xfff8)).to.equal(0);
  });
});

describe('cartridges: bus-snooping schemes (3F, 3E, UA)', () => {
  it('only 3F, 3E and UA ask to see accesses outside cartridge space', () => {
    const snooping = allSynthetic().filter((c) => c.snoopsBus).map((c) => c.scheme);
    expect(snooping).to.deep.equal(['3F', '3E', 'UA']);
    for (const c of allSynthetic().filter((x) => !x.snoopsBus)) {
      expect(c.snoopRead(0x0c, 0x80)).to.equal(0x80);
      const before = c.banks();
      c.snoopWrite(0x3f, 1);
      c.snoopWrite(0x240, 1);
      expect(c.banks(), c.scheme).to.deep.equal(before);
    }
  });

  it('3F: any write to $00-$3F selects a 2K bank (wrapping), the last 2K stays at $1800', () => {
    const c = make(bankedRom(4, 2048), '3F');
    expect(c.peek(0x1000)).to.equal(0);
    expect(c.peek(0x1fff)).to.equal(3);
    c.snoopWrite(0x3f, 2);
    expect(c.peek(0x17ff)).to.equal(2);
    c.snoopWrite(0x02, 1); // even WSYNC's address
    expect(c.banks()).to.deep.equal([1]);
    c.snoopWrite(0x40, 3); // a TIA mirror outside the page: nothing
    c.snoopWrite(0x80, 3);
    expect(c.banks()).to.deep.equal([1]);
    c.snoopWrite(0x3f, 6);
    expect(c.banks()).to.deep.equal([2]);
    // reads of $00-$3F return the cartridge's byte, not the TIA's
    expect(c.snoopRead(0x0c, 0x80)).to.equal(2);
    expect(c.snoopRead(0x4c, 0x80)).to.equal(0x80);
    // writes into cartridge space go on to the TIA, and $1000-$103F also switch
    const host = new FakeHost();
    c.connect(host);
    c.poke(0x1025, 1);
    c.poke(0x1800, 9);
    expect(host.tiaWrites).to.deep.equal([[0x025, 1], [0x800, 9]]);
    expect(c.banks()).to.deep.equal([1]);
    c.reset();
    expect(c.banks()).to.deep.equal([0]);
  });

  it('3E: $3F selects a ROM bank, $3E a 1K RAM bank (32 of them) read at $1000 and written at $1400', () => {
    const c = make(bankedRom(4, 2048), '3E', 11);
    const ram0 = draws(11, 32768);
    expect(c.saveState().ram!.length).to.equal(32768);
    expect(Array.from(c.saveState().ram!.subarray(0, 64))).to.deep.equal(ram0.slice(0, 64));
    expect(c.peek(0x1000)).to.equal(0);
    c.snoopWrite(0x3e, 1);
    expect(c.banks()).to.deep.equal([257]);
    expect(c.peek(0x1007)).to.equal(ram0[1024 + 7]);
    c.poke(0x1407, 0x99);
    expect(c.peek(0x1007)).to.equal(0x99);
    expect(c.peek(0x1407), 'the write port reads RAM too').to.equal(0x99);
    expect(c.peek(0x1800)).to.equal(3);
    c.snoopWrite(0x3f, 2);
    expect(c.peek(0x1007)).to.equal(2);
    c.snoopWrite(0x3e, 33); // 33 mod 32 = RAM bank 1
    expect(c.peek(0x1007)).to.equal(0x99);
    c.snoopWrite(0x3d, 0);
    c.snoopWrite(0x02, 0);
    expect(c.banks()).to.deep.equal([257]);
    expect(c.snoopRead(0x07, 0x80)).to.equal(0x99);
  });

  it('UA: an access to $0220 selects bank 0, to $0240 bank 1; the access still reaches the TIA', () => {
    const c = make(bankedRom(2, 4096), 'UA');
    expect(c.peek(0x1000)).to.equal(0);
    expect(c.snoopRead(0x240, 0x33)).to.equal(0x33);
    expect(c.peek(0x1000)).to.equal(1);
    c.snoopWrite(0x220, 0);
    expect(c.banks()).to.deep.equal([0]);
    c.snoopWrite(0xa40, 0); // a mirror is not the hotspot (Stella hooks exact pages)
    c.snoopRead(0x241, 0);
    expect(c.banks()).to.deep.equal([0]);
    c.poke(0x1240, 0);
    expect(c.banks()).to.deep.equal([0]);
  });
});

describe('cartridges: DPC (Pitfall II)', () => {
  /** The DPC shift register: new bit 0 = NOT(b7 ^ b5 ^ b4 ^ b3). */
  const lfsr = (r: number): number => ((r << 1) | (1 ^ (((r >> 7) ^ (r >> 5) ^ (r >> 4) ^ (r >> 3)) & 1))) & 0xff;

  it('starts in bank 1 and switches with $1FF8/$1FF9 like F8', () => {
    const c = make(dpcRom(), 'DPC');
    expect(c.peek(0x1100)).to.equal(1);
    expect(c.peek(0x1ff8)).to.equal(0);
    expect(c.peek(0x1100)).to.equal(0);
    c.poke(0x1ff9, 0);
    expect(c.peek(0x1fc0)).to.equal(1);
    expect(c.peek(0x1050), '$1040-$107F read as program ROM').to.equal(1);
  });

  it('clocks its random number on chip and hotspot-page reads and on every write', () => {
    const c = make(dpcRom(), 'DPC');
    c.poke(0x1070, 0); // function 6: reset the random number to 1 (the write clocks first)
    let r = 1;
    for (let i = 0; i < 300; i++) {
      r = lfsr(r);
      expect(c.peek(0x1000 + (i & 3)), `read ${i}`).to.equal(r);
    }
    c.peek(0x1200); // plain ROM: the chip does not see it
    c.peek(0x1fbf);
    r = lfsr(r);
    expect(c.peek(0x1001)).to.equal(r);
    c.peek(0x1fc0); // the hotspot page does clock
    c.poke(0x1300, 0); // so does any write
    r = lfsr(lfsr(lfsr(r)));
    expect(c.peek(0x1002)).to.equal(r);
  });

  it('data fetchers read display ROM at 2047 - counter, count down, and raise/lower their flag at top/bottom', () => {
    const c = make(dpcRom(), 'DPC');
    const i = 2;
    c.poke(0x1040 + i, 0x10); // top
    c.poke(0x1048 + i, 0x0c); // bottom
    c.poke(0x1050 + i, 0x12); // counter low
    c.poke(0x1058 + i, 0x03); // counter high -> counter $312
    let counter = 0x312;
    for (let k = 0; k < 8; k++) {
      expect(c.peek(0x1008 + i)).to.equal((2047 - counter) & 0xff);
      counter--;
    }
    // counter low now $0A; went through top $10 (flag $FF) and bottom $0C (flag $00)
    expect(c.peek(0x1038 + i), 'flag after passing the bottom').to.equal(0x00);
    c.poke(0x1050 + i, 0x10); // back to top
    expect(c.peek(0x1038 + i), 'flag at the top').to.equal(0xff);
    // function 2: display byte AND flag
    c.poke(0x1050 + i, 0x0e);
    expect(c.peek(0x1010 + i)).to.equal((2047 - 0x30e) & 0xff & 0xff);
    c.poke(0x1050 + i, 0x0c);
    expect(c.peek(0x1010 + i)).to.equal(0);
    c.poke(0x1040 + i, 0x20); // writing top clears the flag
    expect(c.saveState().regs[1 + 24 + 8 + i]).to.equal(0);
  });

  it('music mode: fetchers 5-7 count at 15750 Hz of system cycles and give an amplitude', () => {
    const host = new FakeHost();
    const c = createCartridge(dpcRom(), { scheme: 'DPC' });
    c.connect(host);
    c.reset();
    c.poke(0x1045, 3); // top 5
    c.poke(0x104d, 1); // bottom 5
    c.poke(0x105d, 0x10); // counter high 5: music mode on
    c.poke(0x1055, 0x77); // counter low: loads top (3) in music mode
    host.now = 152; // 2.006 oscillator clocks
    expect(c.peek(0x1005), 'counter 3 -> 1 (<= bottom): flag 0').to.equal(0x00);
    host.now = 228; // +1.003
    expect(c.peek(0x1005), 'counter 1 -> 0: flag 0').to.equal(0x00);
    host.now = 304; // +1.003
    expect(c.peek(0x1005), 'counter 0 -> 3 (wraps at top + 1): flag $FF').to.equal(0x04);
    c.poke(0x105e, 0x10); // fetcher 6 in music mode, top 0 -> its counter sticks at 0
    host.now = 380;
    expect(c.peek(0x1006)).to.equal(0x04);
    // one more oscillator clock moved fetcher 5 from 3 to 2; reads themselves do not count it down
    expect(c.saveState().regs[1 + 16 + 5]! & 0xff).to.equal(2);
    expect(c.peek(0x1005)).to.equal(0x04);
    expect(c.saveState().regs[1 + 16 + 5]! & 0xff).to.equal(2);
  });

  it('keeps its registers across reset (as Stella does) and round-trips its state', () => {
    const host = new FakeHost();
    const c = createCartridge(dpcRom(), { scheme: 'DPC' });
    c.connect(host);
    c.reset();
    c.poke(0x1043, 0x44);
    c.peek(0x1ff8);
    const before = c.saveState();
    c.reset();
    expect(c.banks()).to.deep.equal([1]);
    expect(c.saveState().regs.slice(0, 33)).to.deep.equal(before.regs.slice(0, 33));
    c.loadState(before);
    expect(c.banks()).to.deep.equal([0]);
    expect(c.saveState()).to.deep.equal(before);
  });
});

describe('cartridges: state save/restore', () => {
  it('restores banks and RAM for every scheme, and refuses another scheme\'s state', () => {
    for (const c of allSynthetic()) {
      const s0 = c.saveState();
      // disturb it
      for (const a of [0x1fe1, 0x1fe9, 0x1ff0, 0x1ff4, 0x1ff6, 0x1ff8, 0x1ffa]) c.peek(a);
      c.snoopWrite(0x3f, 1);
      c.snoopWrite(0x3e, 2);
      c.snoopRead(0x240, 0);
      for (let i = 0; i < 16; i++) c.poke(0x1000 + i, 0xc3);
      for (let i = 0; i < 16; i++) c.poke(0x1400 + i, 0xc3);
      for (let i = 0; i < 16; i++) c.poke(0x1800 + i, 0xc3);
      const s1 = c.saveState();
      c.loadState(s0);
      expect(c.saveState(), c.scheme).to.deep.equal(s0);
      c.loadState(s1);
      expect(c.saveState(), c.scheme).to.deep.equal(s1);
      // a state is a snapshot: changing the cartridge later does not change it
      if (s1.ram) {
        const copy = s1.ram.slice();
        c.reset();
        expect(s1.ram).to.deep.equal(copy);
      }
    }
    const f8 = make(bankedRom(2, 4096), 'F8');
    const f6 = make(bankedRom(4, 4096), 'F6');
    expectCartridgeError(() => f8.loadState(f6.saveState()), /F6 cartridge state into a F8 cartridge/);
  });
});
