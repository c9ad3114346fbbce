// Appending results safely: the header is checked against our schema before anything is
// written, a line half-written by a killed run is cut off on the next open (that episode
// simply runs again), and each row is appended whole as its episode ends.
import { createObjectCsvStringifier } from 'csv-writer';
import { parse } from 'csv-parse/sync';
import { accessSync, closeSync, constants, existsSync, fsyncSync, openSync, readFileSync, statSync, truncateSync, writeSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { UserError } from '../cli/errors.js';
import { ensureDir } from '../util/ensure-dir.js';
import { RESULT_COLUMNS, episodeKey, type ResultRow } from './results-schema.js';

const stringifier = createObjectCsvStringifier({ header: RESULT_COLUMNS.map((c) => ({ id: c, title: c })) });
const HEADER_LINE = stringifier.getHeaderString()!;

export class ResultsFile {
  private fd: number;

  private constructor(
    readonly path: string,
    fd: number,
    /** Keys (episodeKey) of the rows already in the file. */
    readonly done: Set<string>,
    /** Rows already in the file. */
    readonly existing: ResultRow[],
  ) {
    this.fd = fd;
  }

  /** Opens (creating) a results CSV for appending; `flag` names the option in errors. */
  static open(path: string, flag = '--out'): ResultsFile {
    const file = resolve(path);
    const dir = dirname(file);
    try {
      ensureDir(dir);
      accessSync(dir, constants.W_OK);
    } catch (err) {
      throw new UserError(`${flag} ${path}: cannot write in ${dir} (${(err as NodeJS.ErrnoException).code ?? err}); choose a writable folder`);
    }
    if (existsSync(file) && statSync(file).isDirectory()) throw new UserError(`${flag} ${path} is a folder; give a .csv file path`);
    let rows: ResultRow[] = [];
    if (existsSync(file) && statSync(file).size > 0) rows = readExisting(file, flag);
    let fd: number;
    try {
      fd = openSync(file, 'a');
    } catch (err) {
      throw new UserError(`${flag} ${path} cannot be opened for writing (${(err as NodeJS.ErrnoException).code ?? err})`);
    }
    if (rows.length === 0 && statSync(file).size === 0) writeAll(fd, HEADER_LINE, path, flag);
    return new ResultsFile(file, fd, new Set(rows.map(episodeKey)), rows);
  }

  /** Appends one finished episode (one write, then fsync). */
  append(row: ResultRow): void {
    writeAll(this.fd, stringifier.stringifyRecords([row]), this.path, '--out');
    this.done.add(episodeKey(row));
  }

  close(): void {
    if (this.fd >= 0) closeSync(this.fd);
    this.fd = -1;
  }
}

function writeAll(fd: number, text: string, path: string, flag: string): void {
  const bytes = Buffer.from(text, 'utf8');
  try {
    let off = 0;
    while (off < bytes.length) off += writeSync(fd, bytes, off, bytes.length - off);
    fsyncSync(fd);
  } catch (err) {
    throw new UserError(`${flag} ${path}: writing failed (${(err as NodeJS.ErrnoException).code ?? err}); the rows written before are intact, free space and run again to resume`);
  }
}

/** Reads a results CSV; a half-written last line is cut off; another schema is an error. */
function readExisting(file: string, flag: string): ResultRow[] {
  let text = readFileSync(file, 'utf8');
  if (!text.endsWith('\n')) {
    const cut = text.lastIndexOf('\n') + 1;
    truncateSync(file, Buffer.byteLength(text.slice(0, cut), 'utf8'));
    text = text.slice(0, cut);
  }
  if (text.length === 0) return [];
  return parseResults(text, file, flag);
}

/** Parses results CSV text (with header) into typed rows; a UserError if it is not our schema. */
export function parseResults(text: string, file: string, flag = 'results file'): ResultRow[] {
  const firstLine = text.slice(0, text.indexOf('\n') >= 0 ? text.indexOf('\n') : undefined).trim();
  if (firstLine !== HEADER_LINE.trim()) throw new UserError(headerProblem(firstLine, file, flag));
  const records = parse(text, { columns: true, skip_empty_lines: true }) as Record<string, string>[];
  return records.map((r, i) => toRow(r, file, i + 2));
}

/** Why a header is not ours: an older/newer sap-rl's (columns named) or not a results file. */
function headerProblem(firstLine: string, file: string, flag: string): string {
  const have = firstLine.split(',');
  const missing = RESULT_COLUMNS.filter((c) => !have.includes(c));
  const extra = have.filter((c) => !(RESULT_COLUMNS as readonly string[]).includes(c));
  if (have.includes('episode') && have.includes('reward') && missing.length + extra.length <= 6) {
    const diff = [missing.length ? `lacks ${missing.join(', ')}` : '', extra.length ? `has unknown ${extra.join(', ')}` : ''];
    return `${flag} ${file} was written by another sap-rl version (its header ${diff.filter(Boolean).join(' and ')}); ` +
      'write to a new file, or add the columns to it by hand';
  }
  return `${flag} ${file} is not a sap-rl results file (its header is "${firstLine.slice(0, 80)}"); choose another file or move it away`;
}

function toRow(r: Record<string, string>, file: string, line: number): ResultRow {
  const num = (c: string): number => {
    const v = Number(r[c]);
    if (r[c] === undefined || r[c] === '' || !Number.isFinite(v)) throw new UserError(`${file} line ${line}: column ${c} is not a number ('${r[c]}')`);
    return v;
  };
  return {
    time: r['time']!,
    game: r['game']!,
    agent: r['agent']!,
    defense: r['defense']!,
    defense_param: r['defense_param'] ?? '',
    attack: r['attack']!,
    lambda: num('lambda'),
    eot: num('eot'),
    pgd_steps: num('pgd_steps'),
    pgd_alpha: num('pgd_alpha'),
    perturb: r['perturb']!,
    seed: num('seed'),
    episode: num('episode'),
    max_frames: num('max_frames'),
    reward: num('reward'),
    agent_steps: num('agent_steps'),
    frames: num('frames'),
    truncated: r['truncated'] === 'true',
    seconds: num('seconds'),
    env_backend: r['env_backend']!,
    tf_backend: r['tf_backend']!,
    sap_rl_version: r['sap_rl_version']!,
  };
}

/** Reads one or more results files (for summaries and plots). */
export function readResults(file: string): ResultRow[] {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new UserError(`results file ${file} cannot be read (${(err as NodeJS.ErrnoException).code ?? err})`);
  }
  if (!text.endsWith('\n')) text = text.slice(0, text.lastIndexOf('\n') + 1);
  return parseResults(text, file);
}
