/**
 * Per-ROM console properties, as ALE 0.12.1 looks them up by md5 in Stella's built-in
 * properties table (src/ale/emucore/DefProps.hxx, defaults in Props.cxx). Only the
 * properties that change emulation are kept: controllers, port/paddle swaps, display
 * format and window, HMOVE blanks, difficulty switches at power-on and TV type.
 *
 * The overrides below are every non-default value of those properties among the ROMs
 * ale-py 0.12.1 ships (read out of the installed _ale_py module's table); a ROM missing
 * from the table (Road Runner's ALE dump is one) gets the defaults.
 */

export type ControllerKind = 'JOYSTICK' | 'PADDLES';

export interface RomProps {
  controllerLeft: ControllerKind;
  controllerRight: ControllerKind;
  /** Console.SwapPorts: the left jack reads the right controller's inputs and vice versa. */
  swapPorts: boolean;
  /** Controller.SwapPaddles: paddle 0 is read on the second paddle line of a jack (Pong). */
  swapPaddles: boolean;
  /** 'AUTO-DETECT' (60 frames are run at load to decide), 'NTSC' or 'PAL'. */
  format: 'AUTO-DETECT' | 'NTSC' | 'PAL';
  /** First frame line shown (Display.YStart) and number of lines shown (Display.Height). */
  yStart: number;
  height: number;
  /** Emulation.HmoveBlanks: whether an early HMOVE blanks the first 8 pixels of the line. */
  hmoveBlanks: boolean;
  /** Power-on difficulty switches ('A' = pro) and TV type switch (colour when true). */
  leftDifficultyA: boolean;
  rightDifficultyA: boolean;
  colour: boolean;
}

export const DEFAULT_PROPS: Readonly<RomProps> = {
  controllerLeft: 'JOYSTICK',
  controllerRight: 'JOYSTICK',
  swapPorts: false,
  swapPaddles: false,
  format: 'AUTO-DETECT',
  yStart: 34,
  height: 210,
  hmoveBlanks: true,
  leftDifficultyA: false,
  rightDifficultyA: false,
  colour: true,
};

const OVERRIDES: ReadonlyMap<string, Partial<RomProps>> = new Map<string, Partial<RomProps>>([
  ['acb7750b4d0c4bd34969802a7deb2990', { leftDifficultyA: true, rightDifficultyA: true }], // Amidar
  ['ccbd36746ed4525821a8083b0d6d2c2c', { hmoveBlanks: false }], // Asteroids
  ['8556b42aa05f94bc29ff39c39b11bff4', { controllerLeft: 'PADDLES' }], // Backgammon
  ['41f252a66c6301f1e8ab3612c19bc5d4', { hmoveBlanks: false }], // Battle Zone
  ['0a981c03204ac2b278ba392674682560', { controllerLeft: 'PADDLES' }], // Blackjack
  ['f34f08e5eb96e500e851a80be3277a56', { controllerLeft: 'PADDLES' }], // Breakout
  ['028024fb8e5e5f18ea586652f9799c96', { yStart: 26, height: 214 }], // Carnival
  ['b816296311019ab69a21cb9e9e235d12', { controllerLeft: 'PADDLES' }], // Casino
  ['0ef64cdbecccb7049752a3de0b7ade14', { yStart: 39, height: 256 }], // Combat
  ['106855474c69d08c8ffa308d47337269', { hmoveBlanks: false }], // Dark Chambers
  ['718ae62c70af4e5fd8e932fee216948a', { height: 230 }], // Journey Escape
  ['5428cdfada281c569c74c7308c7f2c26', { controllerLeft: 'PADDLES' }], // Kaboom!
  ['ed2218b3075d15eaa34e3356025ccca3', { format: 'PAL' }], // Maze Craze
  ['87e79cd41ce136fd4f72cc6e2c161bee', { hmoveBlanks: false }], // Ms. Pac-Man
  ['60e0ea3cbe0913d39803477945e9e5ec', { controllerLeft: 'PADDLES', controllerRight: 'PADDLES', swapPaddles: true }], // Pong
  ['4799a40b6e889370b7ee55c17ba65141', { yStart: 26, height: 220 }], // Pooyan
  ['484b0076816a104875e00467d431c2d2', { yStart: 40 }], // Q*bert
  ['4d7517ae69f95cfbc053be01312b7dba', { swapPorts: true }], // Surround
  ['a499d720e7ee35c62424de882a3351b6', { yStart: 30 }], // Up'n Down
  ['cbe5a166550a8129a5e6d374901dffad', { controllerLeft: 'PADDLES', controllerRight: 'PADDLES' }], // Warlords
  ['7e8aa18bc9502eb57daaf5e7c1e94da7', { swapPorts: true }], // Wizard of Wor
]);

/** The properties ALE uses for the ROM with this md5 (lower-case hex). */
export function romProps(md5: string): RomProps {
  return { ...DEFAULT_PROPS, ...OVERRIDES.get(md5.toLowerCase()) };
}
