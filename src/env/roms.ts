// Where ROMs come from: --rom-dir, $SAP_RL_ROMS, ./roms, ale-py's bundled folder, then the
// package's own roms/ folder (the project's own games, e.g. catch.bin). Every ROM is
// checked by md5 against the game table (src/atari/games/), so a wrong file is caught
// before a single frame is emulated. roms.md explains how to get them.
import { createHash } from 'node:crypto';
import { accessSync, constants, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { UserError } from '../cli/errors.js';
import { PACKAGE_ROOT } from '../version.js';
import { GAMES, findGame, gameByMd5, type GameSpec } from '../atari/games/index.js';
import { probeAlePy } from './python.js';

export type RomSource = '--rom-dir' | '$SAP_RL_ROMS' | './roms' | 'ale-py' | 'sap-rl';

/** The package's own roms/ folder (found from this module's location, not the cwd). */
export const PACKAGE_ROMS_DIR = join(PACKAGE_ROOT, 'roms');

export interface RomDir {
  path: string;
  source: RomSource;
}

export interface RomSearchOptions {
  /** --rom-dir: searched first. */
  romDir?: string | undefined;
  /** Whether to ask Python for ale-py's ROM folder (default true). */
  useAlePy?: boolean;
}

/** Byte sizes of Atari 2600 cartridge images (2K up to 512K). */
export function isPlausibleRomSize(size: number): boolean {
  return size >= 2048 && size <= 512 * 1024 && size % 2048 === 0;
}

export function md5Of(bytes: Uint8Array): string {
  return createHash('md5').update(bytes).digest('hex');
}

function checkReadableDir(path: string, what: string): void {
  let isDir = false;
  try {
    isDir = statSync(path).isDirectory();
    accessSync(path, constants.R_OK | constants.X_OK);
  } catch {
    throw new UserError(`${what} ${path} cannot be read; give a readable folder that holds the ROMs (see roms.md)`);
  }
  if (!isDir) throw new UserError(`${what} ${path} is not a folder; give the folder that holds the ROMs (see roms.md)`);
}

/** The folders searched, in order. Folders the user named must exist; the others are optional. */
export function romSearchDirs(options: RomSearchOptions = {}): RomDir[] {
  const dirs: RomDir[] = [];
  if (options.romDir !== undefined) {
    checkReadableDir(options.romDir, '--rom-dir');
    dirs.push({ path: resolve(options.romDir), source: '--rom-dir' });
  }
  const envDir = process.env['SAP_RL_ROMS'];
  if (envDir) {
    checkReadableDir(envDir, '$SAP_RL_ROMS');
    dirs.push({ path: resolve(envDir), source: '$SAP_RL_ROMS' });
  }
  const local = resolve('roms');
  if (isReadableDir(local)) dirs.push({ path: local, source: './roms' });
  if (options.useAlePy !== false) {
    const probe = probeAlePy();
    if (probe.romDir && isReadableDir(probe.romDir)) dirs.push({ path: probe.romDir, source: 'ale-py' });
  }
  // Last: the games this project ships (once, if ./roms already is this folder).
  if (isReadableDir(PACKAGE_ROMS_DIR) && !dirs.some((d) => d.path === PACKAGE_ROMS_DIR)) {
    dirs.push({ path: PACKAGE_ROMS_DIR, source: 'sap-rl' });
  }
  return dirs;
}

function isReadableDir(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

export interface RomFinding {
  game: GameSpec;
  /** The ROM used (first good one in search order), if any. */
  path?: string;
  dir?: RomDir;
  /** Files that looked like this game's ROM but are not (wrong md5 or size), with why. */
  problems: string[];
}

/** Hashes of the candidate files in one folder, by path; unreadable files carry an error. */
function scanDir(dir: RomDir): Map<string, { md5?: string; size?: number; error?: string }> {
  const out = new Map<string, { md5?: string; size?: number; error?: string }>();
  let names: string[];
  try {
    names = readdirSync(dir.path);
  } catch {
    return out;
  }
  for (const name of names) {
    if (!/\.(bin|a26)$/i.test(name)) continue;
    const path = join(dir.path, name);
    try {
      const st = statSync(path);
      if (!st.isFile()) continue;
      // A file with a game's name is always checked; other files only when they could be a ROM.
      if (!isPlausibleRomSize(st.size) && !GAMES.some((g) => g.romFile === name)) continue;
      const bytes = readFileSync(path);
      out.set(path, { md5: md5Of(bytes), size: bytes.length });
    } catch (err) {
      out.set(path, { error: (err as NodeJS.ErrnoException).code ?? String(err) });
    }
  }
  return out;
}

/** For every supported game: where its ROM is, and any bad look-alikes met on the way. */
export function findRoms(dirs: RomDir[]): RomFinding[] {
  const scans = dirs.map((dir) => ({ dir, files: scanDir(dir) }));
  return GAMES.map((game) => {
    const finding: RomFinding = { game, problems: [] };
    for (const { dir, files } of scans) {
      for (const [path, info] of files) {
        const namedLikeGame = path.endsWith(`/${game.romFile}`);
        if (info.md5 === game.md5) {
          if (!finding.path) {
            finding.path = path;
            finding.dir = dir;
          }
        } else if (namedLikeGame && !finding.path) {
          finding.problems.push(describeBadRom(path, game, info));
        }
      }
    }
    return finding;
  });
}

function describeBadRom(path: string, game: GameSpec, info: { md5?: string; size?: number; error?: string }): string {
  if (info.error) return `${path} cannot be read (${info.error})`;
  if (info.size !== game.size) return `${path} is ${info.size} bytes, but ${game.title}'s ROM is ${game.size} bytes`;
  return `${path} has md5 ${info.md5}, not ${game.title}'s ${game.md5}`;
}

/** Reads a ROM file the user named and says which game it is; bad files give a UserError. */
export function identifyRom(path: string): { game: GameSpec | undefined; md5: string; bytes: Uint8Array } {
  let bytes: Uint8Array;
  try {
    if (statSync(path).isDirectory()) throw new UserError(`ROM file ${path} is a folder; give the path of a .bin ROM file`);
    bytes = readFileSync(path);
  } catch (err) {
    if (err instanceof UserError) throw err;
    const code = (err as NodeJS.ErrnoException).code ?? String(err);
    throw new UserError(`ROM file ${path} cannot be read (${code}); check the path and its permissions`);
  }
  if (!isPlausibleRomSize(bytes.length)) {
    throw new UserError(
      `ROM file ${path} is ${bytes.length} bytes, which is not an Atari 2600 ROM image size (a multiple of 2048 up to 512K); check that it is the right file`,
    );
  }
  const md5 = md5Of(bytes);
  return { game: gameByMd5(md5), md5, bytes };
}

/** Like identifyRom, but the ROM must be one of the supported games. */
export function requireKnownRom(path: string): { game: GameSpec; md5: string } {
  const { game, md5 } = identifyRom(path);
  if (!game) {
    throw new UserError(
      `ROM file ${path} has md5 ${md5}, which matches no supported game; use ALE's ROM (see roms.md, \`sap-rl roms\` lists the expected md5s)`,
    );
  }
  return { game, md5 };
}

/** The supported game with this id, or a UserError that lists the ids. */
export function requireGame(id: string): GameSpec {
  const game = findGame(id);
  if (!game) {
    throw new UserError(`unknown game '${id}' (--game); supported games: ${GAMES.map((g) => g.id).join(', ')}`);
  }
  return game;
}

/** The path of a good ROM for the game, searching the usual folders; a UserError when there is none. */
export function resolveRom(gameId: string, options: RomSearchOptions = {}): { game: GameSpec; path: string } {
  const game = requireGame(gameId);
  // ale-py's folder never holds the project's own games: no need to start Python for them.
  const dirs = romSearchDirs(game.bundled ? { ...options, useAlePy: false } : options);
  const finding = findRoms(dirs).find((f) => f.game === game)!;
  if (finding.path) return { game, path: finding.path };
  const where = dirs.length ? dirs.map((d) => d.path).join(', ') : 'no ROM folder (none of --rom-dir, $SAP_RL_ROMS, ./roms, ale-py, sap-rl\'s roms/)';
  const why = finding.problems.length ? ` (${finding.problems.join('; ')})` : '';
  throw new UserError(
    `no ROM for ${game.title} (${game.romFile}, md5 ${game.md5}) found in ${where}${why}; see roms.md for how to get it, then pass --rom-dir`,
  );
}
