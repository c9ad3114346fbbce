import { expect } from 'chai';
import { ACTION_JOYSTICK, firePressed, PADDLE_DEFAULT, paddleDelta, RESET } from '../../src/atari/ale/actions.js';
import { JOY_DOWN, JOY_FIRE, JOY_LEFT, JOY_RIGHT, JOY_UP } from '../../src/atari/controls.js';

describe('ALE actions', () => {
  it('map the 18 action ids to joystick lines', () => {
    expect(ACTION_JOYSTICK[0]).to.equal(0);
    expect(ACTION_JOYSTICK[1]).to.equal(JOY_FIRE);
    expect(ACTION_JOYSTICK[6]).to.equal(JOY_UP | JOY_RIGHT);
    expect(ACTION_JOYSTICK[17]).to.equal(JOY_DOWN | JOY_LEFT | JOY_FIRE);
  });

  it('turn paddles by 23000 x |strength| per frame (right lowers the resistance)', () => {
    expect(paddleDelta(3, 1)).to.equal(-23000);
    expect(paddleDelta(12, 1)).to.equal(23000);
    expect(paddleDelta(8, -0.5)).to.equal(-11500);
    expect(paddleDelta(1, 1)).to.equal(0);
    expect(paddleDelta(RESET, 1)).to.equal(0);
    expect(paddleDelta(4, 0.1)).to.equal(2300); // single-precision product, truncated
    expect(firePressed(14)).to.equal(true);
    expect(firePressed(RESET)).to.equal(false);
    expect(PADDLE_DEFAULT).to.equal(408823);
  });
});
