import { expect } from 'chai';
import { chmodSync, mkdirSync, readFileSync, writeFileSync, appendFileSync } from 'node:fs';
import { join } from 'node:path';
import { UserError } from '../../src/cli/errors.js';
import { ResultsFile, readResults } from '../../src/report/results-file.js';
import { RESULT_COLUMNS, type ResultRow } from '../../src/report/results-schema.js';
import { makeTempDir, removeTempDir } from '../helpers/python.js';

function row(episode: number, reward = episode * 1.5): ResultRow {
  return {
    time: '2026-01-01T00:00:00.000Z',
    game: 'pong',
    agent: 'pong-dqn',
    defense: 'sap',
    defense_param: '1.0',
    attack: 'fgsm',
    lambda: 2,
    eot: 10,
    pgd_steps: 0,
    pgd_alpha: 0,
    perturb: 'stack',
    seed: 0,
    episode,
    max_frames: 108000,
    reward,
    agent_steps: 100 + episode,
    frames: 400 + 4 * episode,
    truncated: episode === 2,
    seconds: 1.25,
    env_backend: 'ale-py',
    tf_backend: 'wasm',
    sap_rl_version: '0.1.0',
  };
}

describe('results CSV', () => {
  let dir: string;
  beforeEach(() => (dir = makeTempDir()));
  afterEach(() => removeTempDir(dir));

  it('writes a header and rows that read back equal, and remembers finished episodes', () => {
    const file = join(dir, 'sub', 'r.csv');
    const f = ResultsFile.open(file);
    [0, 1, 2].forEach((e) => f.append(row(e)));
    f.close();
    expect(readFileSync(file, 'utf8').split('\n')[0]).to.equal(RESULT_COLUMNS.join(','));
    expect(readResults(file)).to.deep.equal([row(0), row(1), row(2)]);
    const again = ResultsFile.open(file);
    expect(again.done.size).to.equal(3);
    again.append(row(3));
    again.close();
    expect(readResults(file).map((r) => r.episode)).to.deep.equal([0, 1, 2, 3]);
  });

  it('cuts off a half-written last line (a killed run) and keeps every whole row', () => {
    const file = join(dir, 'r.csv');
    const f = ResultsFile.open(file);
    f.append(row(0));
    f.append(row(1));
    f.close();
    appendFileSync(file, '2026-01-01T00:00:00.000Z,pong,pong-dq');
    const again = ResultsFile.open(file);
    expect([...again.done].length).to.equal(2);
    again.append(row(2));
    again.close();
    expect(readResults(file).map((r) => r.episode)).to.deep.equal([0, 1, 2]);
    expect(readFileSync(file, 'utf8')).not.to.include('pong-dq\n');
  });

  it('refuses a CSV of another schema and leaves it untouched', () => {
    const file = join(dir, 'other.csv');
    writeFileSync(file, 'a,b,c\n1,2,3\n');
    expect(() => ResultsFile.open(file)).to.throw(UserError, /is not a sap-rl results file/);
    expect(readFileSync(file, 'utf8')).to.equal('a,b,c\n1,2,3\n');
  });

  it("names the columns a results file of another sap-rl version lacks, and leaves it untouched", () => {
    const file = join(dir, 'old.csv');
    const old = RESULT_COLUMNS.filter((c) => !['pgd_steps', 'pgd_alpha', 'max_frames'].includes(c)).join(',') + '\n';
    writeFileSync(file, old);
    expect(() => ResultsFile.open(file)).to.throw(UserError, /another sap-rl version \(its header lacks pgd_steps, pgd_alpha, max_frames\)/);
    expect(readFileSync(file, 'utf8')).to.equal(old);
  });

  it('refuses an unwritable folder before writing anything', () => {
    // even root cannot create a folder inside a file, or write under /proc
    const file = join(dir, 'plain.txt');
    writeFileSync(file, 'x');
    expect(() => ResultsFile.open(join(file, 'r.csv'))).to.throw(UserError, /cannot write in .*plain\.txt \(ENOTDIR\)/);
    expect(() => ResultsFile.open('/proc/sap-rl-results/r.csv')).to.throw(UserError, /cannot write/);
    if (process.getuid?.() !== 0) {
      const locked = join(dir, 'locked');
      mkdirSync(locked);
      chmodSync(locked, 0o500);
      expect(() => ResultsFile.open(join(locked, 'r.csv'))).to.throw(UserError, /cannot write/);
    }
  });

  it('reports a full disk as a clear error', () => {
    // /dev/full accepts the open and fails every write with ENOSPC
    expect(() => ResultsFile.open('/dev/full')).to.throw(UserError, /writing failed \(ENOSPC\)/);
  });

  it('refuses a path that is a folder', () => {
    expect(() => ResultsFile.open(dir)).to.throw(UserError, /is a folder/);
  });
});
