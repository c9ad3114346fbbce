import { expect } from 'chai';
import { gameId, minimalActions } from '../../src/agent/minimal-actions.js';
import { ALE_GAMES } from '../../src/atari/games/index.js';
import { requirePython, runPython } from '../helpers/python.js';
import { expectUserError } from './expect-user-error.js';

describe('minimal action sets', () => {
  it('accepts the usual spellings of a game', () => {
    for (const name of ['pong', 'Pong', 'ALE/Pong-v5', 'PongNoFrameskip-v4']) expect(gameId(name)).to.equal('pong');
    for (const name of ['SpaceInvaders', 'space_invaders', 'space-invaders']) expect(gameId(name)).to.equal('space_invaders');
    expect(minimalActions('breakout')).to.deep.equal([0, 1, 3, 4]);
  });

  it('names the flag and the known games for an unknown game', async () => {
    await expectUserError(() => gameId('tetris'), '--game', 'tetris', 'pong');
  });

  it("equals ale-py's getMinimalActionSet() for every game", function () {
    requirePython(this, 'ale_py');
    const games = ALE_GAMES.map((g) => g.id);
    const out = runPython(
      String.raw`
import json, sys
from ale_py import ALEInterface, LoggerMode, roms
ALEInterface.setLoggerMode(LoggerMode.Error)
ale = ALEInterface()
sets = {}
for g in json.loads(sys.argv[1]):
    ale.loadROM(roms.get_rom_path(g))
    sets[g] = [int(a.value) for a in ale.getMinimalActionSet()]
print(json.dumps(sets))
`,
      { args: [JSON.stringify(games)] },
    );
    const sets = JSON.parse(out.trim().split('\n').pop()!) as Record<string, number[]>;
    for (const g of games) expect(minimalActions(g), g).to.deep.equal(sets[g]);
  });
});
