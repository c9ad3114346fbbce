/**
 * What sap-rl knows about one game. One file per game in this folder; `index.ts` lists them.
 * The emulator issue adds the RAM-based reward / lives / terminal rules to these files.
 */
export interface GameSpec {
  /** Our id, as typed on the command line (`--game pong`). */
  readonly id: string;
  /** Human-readable title. */
  readonly title: string;
  /** ALE's ROM file name (as in ale-py's `ale_py/roms/` folder). */
  readonly romFile: string;
  /** md5 of the ROM ALE expects (lower-case hex). */
  readonly md5: string;
  /** ROM size in bytes. */
  readonly size: number;
  /** ALE's minimal action set for the game, as ALE action ids, in ALE's order. */
  readonly minimalActions: readonly number[];
}
