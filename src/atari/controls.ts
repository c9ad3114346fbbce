/**
 * The console's inputs: the two controller jacks (joystick or a pair of paddles each) and
 * the switches, as ALE's Stella core models them (Event.hxx, Joystick.cxx, Paddles.cxx,
 * Switches.cxx, Console.cxx).
 *
 * `InputState` holds what the player does (ALE sets it before each frame); `Ports` turns
 * it into what the chips read: SWCHA (RIOT port A), INPT0-INPT5 (TIA) and SWCHB.
 */
import type { RomProps } from './props.js';

/** Joystick direction/fire bits of InputState.joystick[n] (set = pressed). */
export const JOY_UP = 1;
export const JOY_DOWN = 2;
export const JOY_LEFT = 4;
export const JOY_RIGHT = 8;
export const JOY_FIRE = 16;

/** Resistances that short-cut the paddle timing (Controller::minimumResistance/maximumResistance). */
export const MIN_RESISTANCE = 0;
export const MAX_RESISTANCE = 0x7fffffff;

/** What is pressed / turned right now. All zero at power-on, as Stella's events are. */
export class InputState {
  /** Joysticks 0 (left jack) and 1 (right jack): JOY_* bits. */
  readonly joystick = new Uint8Array(2);
  /** Paddles 0..3: resistance in ohms (ALE moves it directly). */
  readonly paddleResistance = new Int32Array(4);
  /** Paddles 0..3: button pressed (1) or not (0). */
  readonly paddleFire = new Uint8Array(4);
  reset = false;
  select = false;
  /**
   * Difficulty and TV-type switch events: each switch has a "set A" and a "set B" line
   * (colour / black-and-white for the TV type); when neither is active the switch keeps
   * its position. ALE always drives one of the two difficulty lines.
   */
  leftDifficultyA = false;
  leftDifficultyB = false;
  rightDifficultyA = false;
  rightDifficultyB = false;
  colour = false;
  blackWhite = false;

  /** Release the joysticks, paddle buttons, reset and select (ALE's resetKeys, minus the difficulties). */
  releaseKeys(): void {
    this.joystick.fill(0);
    this.paddleFire.fill(0);
    this.reset = false;
    this.select = false;
  }

  /** ALE's difficulty setting: bit 0 = left switch in A, bit 1 = right switch in A. */
  setDifficulty(value: number): void {
    this.leftDifficultyA = (value & 1) !== 0;
    this.leftDifficultyB = !this.leftDifficultyA;
    this.rightDifficultyA = (value & 2) !== 0;
    this.rightDifficultyB = !this.rightDifficultyA;
  }
}

const enum Kind {
  Joystick,
  Paddles,
}

/**
 * The two jacks. A jack reads the inputs of one "side" of InputState: normally the left
 * jack reads joystick 0 / paddles 0-1 and the right jack joystick 1 / paddles 2-3;
 * Console.SwapPorts exchanges the sides (and which controller kind sits in which jack).
 */
export class Ports {
  private readonly kind: [Kind, Kind];
  private readonly side: [number, number];
  private readonly swapPaddles: boolean;
  /** The console switch byte (SWCHB), kept across reads like Stella's Switches. */
  private switches: number;

  constructor(
    private readonly input: InputState,
    props: RomProps,
  ) {
    const left = props.controllerLeft === 'PADDLES' ? Kind.Paddles : Kind.Joystick;
    const right = props.controllerRight === 'PADDLES' ? Kind.Paddles : Kind.Joystick;
    if (props.swapPorts) {
      this.kind = [right, left];
      this.side = [1, 0];
    } else {
      this.kind = [left, right];
      this.side = [0, 1];
    }
    this.swapPaddles = props.swapPaddles;
    let sw = 0xff;
    if (!props.rightDifficultyA) sw &= ~0x80;
    if (!props.leftDifficultyA) sw &= ~0x40;
    if (!props.colour) sw &= ~0x08;
    this.switches = sw;
  }

  /**
   * Digital pins 1-4 of a jack as the low nibble (pin 1 = bit 0), high = not pressed.
   * Joystick: up, down, left, right. Paddles: pins 3 and 4 are the two buttons, pins 1-2 float high.
   */
  private pins1to4(jack: number): number {
    const side = this.side[jack]!;
    if (this.kind[jack] === Kind.Joystick) return ~this.input.joystick[side]! & 0x0f;
    const [pin3, pin4] = this.paddlePair(side);
    return 0x03 | (this.input.paddleFire[pin3] ? 0 : 0x04) | (this.input.paddleFire[pin4] ? 0 : 0x08);
  }

  /** The paddles wired to pins (3/5) and (4/9) of a side's jack. */
  private paddlePair(side: number): [number, number] {
    const first = side * 2;
    return this.swapPaddles ? [first, first + 1] : [first + 1, first];
  }

  /** SWCHA: left jack pins 1-4 in bits 4-7, right jack in bits 0-3. */
  swcha(): number {
    return (this.pins1to4(0) << 4) | this.pins1to4(1);
  }

  /** INPT4 (jack 0) / INPT5 (jack 1) pin 6: true when high (button not pressed). */
  fireHigh(jack: number): boolean {
    if (this.kind[jack] !== Kind.Joystick) return true;
    return (this.input.joystick[this.side[jack]!]! & JOY_FIRE) === 0;
  }

  /** INPT0..INPT3: the resistance on jack (n >> 1)'s pin 9 (n even) or pin 5 (n odd). */
  resistance(n: number): number {
    const jack = n >> 1;
    if (this.kind[jack] !== Kind.Paddles) return MAX_RESISTANCE;
    const [pin5, pin9] = this.paddlePair(this.side[jack]!);
    return this.input.paddleResistance[n & 1 ? pin5 : pin9]!;
  }

  /** SWCHB: reset (bit 0), select (bit 1), colour (bit 3), left/right difficulty (bits 6/7). */
  swchb(): number {
    const i = this.input;
    let sw = this.switches;
    if (i.colour) sw |= 0x08;
    else if (i.blackWhite) sw &= ~0x08;
    if (i.rightDifficultyA) sw |= 0x80;
    else if (i.rightDifficultyB) sw &= ~0x80;
    if (i.leftDifficultyA) sw |= 0x40;
    else if (i.leftDifficultyB) sw &= ~0x40;
    sw = i.select ? sw & ~0x02 : sw | 0x02;
    sw = i.reset ? sw & ~0x01 : sw | 0x01;
    this.switches = sw;
    return sw;
  }
}
