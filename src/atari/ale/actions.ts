/**
 * ALE's actions (ids 0..17, src/ale/common/Constants.h) and how ALE turns them into
 * console inputs (ALEState::applyActionJoysticks / applyActionPaddles in
 * src/ale/environment/ale_state.cpp).
 */
import { JOY_DOWN, JOY_FIRE, JOY_LEFT, JOY_RIGHT, JOY_UP, type InputState } from '../controls.js';

export const NOOP = 0;
export const FIRE = 1;
/** Not a player action: the console's RESET switch (ALE's soft reset presses it). */
export const RESET = 18;
export const ACTION_COUNT = 18;

export const ACTION_NAMES: readonly string[] = [
  'NOOP', 'FIRE', 'UP', 'RIGHT', 'LEFT', 'DOWN', 'UPRIGHT', 'UPLEFT', 'DOWNRIGHT', 'DOWNLEFT',
  'UPFIRE', 'RIGHTFIRE', 'LEFTFIRE', 'DOWNFIRE', 'UPRIGHTFIRE', 'UPLEFTFIRE', 'DOWNRIGHTFIRE', 'DOWNLEFTFIRE',
];

/** Joystick bits (JOY_*) of each action. */
export const ACTION_JOYSTICK: Uint8Array = Uint8Array.from(
  ACTION_NAMES.map((name) => {
    let bits = 0;
    if (name.includes('UP')) bits |= JOY_UP;
    if (name.includes('DOWN')) bits |= JOY_DOWN;
    if (name.includes('LEFT')) bits |= JOY_LEFT;
    if (name.includes('RIGHT')) bits |= JOY_RIGHT;
    if (name.includes('FIRE')) bits |= JOY_FIRE;
    return bits;
  }),
);

/** ALE's paddle model (ale_state.hpp): resistance range and per-frame step. */
export const PADDLE_MIN = 27450;
export const PADDLE_MAX = 790196;
export const PADDLE_DELTA = 23000;
export const PADDLE_DEFAULT = Math.floor((PADDLE_MAX - PADDLE_MIN) / 2) + PADDLE_MIN;

/** Press the joystick directions and fire of `action` (a 0..17 action or RESET) for one player. */
export function applyJoystick(input: InputState, player: 0 | 1, action: number): void {
  if (action === RESET) input.reset = true;
  else input.joystick[player] = ACTION_JOYSTICK[action] ?? 0;
}

/**
 * How far one frame of `action` turns a paddle: RIGHT-ish actions lower the resistance by
 * 23000 x |strength|, LEFT-ish ones raise it (single-precision product, truncated).
 */
export function paddleDelta(action: number, strength: number): number {
  if (action === RESET) return 0;
  const bits = ACTION_JOYSTICK[action] ?? 0;
  if (!(bits & (JOY_LEFT | JOY_RIGHT))) return 0;
  const sign = bits & JOY_RIGHT ? -PADDLE_DELTA : PADDLE_DELTA;
  return Math.trunc(Math.fround(sign * Math.fround(Math.abs(strength))));
}

/** Whether `action` presses fire. */
export function firePressed(action: number): boolean {
  return action !== RESET && ((ACTION_JOYSTICK[action] ?? 0) & JOY_FIRE) !== 0;
}
