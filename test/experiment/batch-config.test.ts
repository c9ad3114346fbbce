import { expect } from 'chai';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { UserError } from '../../src/cli/errors.js';
import { ALE_GAMES } from '../../src/atari/games/index.js';
import { readBatchConfig, resolveRuns } from '../../src/experiment/batch-config.js';
import { planBatch } from '../../src/experiment/batch-plan.js';
import { jobKey } from '../../src/experiment/job.js';
import { PACKAGE_ROOT } from '../../src/version.js';
import { runCli } from '../helpers/cli.js';
import { makeTempDir, removeTempDir } from '../helpers/python.js';

// The batch config: how a YAML sweep becomes jobs, and the one sentence a bad one gets.
describe('sap-rl batch config', () => {
  let dir: string;
  let n = 0;
  const write = (text: string): string => {
    const file = join(dir, 'sweeps', `c${n++}.yaml`);
    writeFileSync(file, text);
    return file;
  };
  const problem = (text: string): string => {
    const file = write(text);
    try {
      planBatch(file);
    } catch (e) {
      expect(e).to.be.instanceOf(UserError);
      const msg = (e as Error).message;
      expect(msg.startsWith(`${file}: `) || msg.startsWith(`config ${file}`), msg).to.equal(true);
      expect(msg.split('\n'), msg).to.have.length(1);
      return msg;
    }
    throw new Error(`planBatch accepted:\n${text}`);
  };
  const GOOD_RUN = '  - { game: pong, agent: ../agents/pong-a }\n';

  before(() => {
    dir = makeTempDir();
    mkdirSync(join(dir, 'sweeps'));
    // only the existence of agent.json is checked before jobs run; loading it is each job's work
    for (const a of ['pong-a', 'pong-b', 'breakout-a']) {
      mkdirSync(join(dir, 'agents', a), { recursive: true });
      writeFileSync(join(dir, 'agents', a, 'agent.json'), '{}');
    }
  });
  after(() => dir && removeTempDir(dir));

  it('expands runs x defenses x attacks x lambdas x seeds x episodes, with defaults, paths relative to the file', () => {
    const file = write(
      [
        'out: ../results/grid.csv',
        'defaults:',
        '  defenses: [dense, sap:1.0]',
        '  attacks: [fgsm, { name: pgd, eot: 4, steps: 5 }]',
        '  lambdas: [0, 2]',
        '  episodes: 2',
        '  max-frames: 1000',
        'runs:',
        '  - { game: pong, agent: ../agents/pong-a, seeds: [1, 2] }',
        '  - game: space-invaders',
        '    agent: ../agents/breakout-a',
        '    defenses: [dropout:0.1]',
        '    attacks: [noise]',
        '    perturb: frame',
        '    backend: ale-py',
        '',
      ].join('\n'),
    );
    const plan = planBatch(file);
    expect(plan.out).to.equal(join(dir, 'results', 'grid.csv'));
    expect(plan.runs.map((r) => r.jobs)).to.deep.equal([2 * 2 * 2 * 2 * 2, 1 * 1 * 2 * 1 * 2]);
    expect(plan.jobs).to.have.length(36);
    const first = plan.jobs[0]!;
    expect(first).to.deep.equal({
      game: 'pong', agentDir: join(dir, 'agents', 'pong-a'), defense: 'dense', attack: 'fgsm', lambda: 0, eot: 10, pgdSteps: 10,
      perturb: 'stack', seed: 1, episode: 0, backend: 'js', maxFrames: 1000,
    });
    // episode-major: episode 0 of every setting before episode 1
    expect(plan.jobs.slice(0, 8).every((j) => j.episode === 0 && j.seed === 1)).to.equal(true);
    const pgd = plan.jobs.find((j) => j.attack === 'pgd' && j.defense === 'sap:1')!;
    expect(pgd).to.include({ eot: 4, pgdSteps: 5 });
    expect(pgd.pgdAlpha, 'PGD step defaults per lambda inside the job').to.equal(undefined);
    const si = plan.jobs.filter((j) => j.game === 'space_invaders');
    expect(si.map((j) => `${j.defense}:${j.attack}:${j.lambda}:${j.perturb}:${j.backend}:${j.seed}`)).to.include('dropout:0.1:noise:2:frame:ale-py:0');
    expect(new Set(plan.jobs.map(jobKey)).size).to.equal(36);
    expect(jobKey(first)).to.equal('pong|pong-a|dense||fgsm|0|1|0|0|stack|1|0|1000');
  });

  it('names the path of a bad field and what is wrong with it', () => {
    const cases: [string, RegExp][] = [
      [`runs:\n  - { game: pong, agent: ../agents/pong-a, lambdas: [0, 1, 300] }\n`, /: runs\[0\]\.lambdas\[2\] must be a number of pixels in 0\.\.255, not 300$/],
      [`runs:\n  - { game: pong, agent: ../agents/pong-a, lambdas: [0, x] }\n`, /runs\[0\]\.lambdas\[1\] must be a number of pixels in 0\.\.255, not 'x'$/],
      [`runs:\n${GOOD_RUN}  - { game: pong, agent: ../agents/pong-b, lambda: [1] }\n`, /runs\[1\] has unknown field 'lambda'; the fields there are game, agent, defenses, attacks, lambdas/],
      [`defaults:\n  defenses: [dense, sap:abc]\nruns:\n${GOOD_RUN}`, /defaults\.defenses\[1\] is not a defense: 'abc' is not a number in 'sap:abc'; use dense, sap:TAU/],
      [`runs:\n  - { game: tetris, agent: ../agents/pong-a }\n`, /runs\[0\]\.game must be a supported game \(pong, breakout, .*\), not 'tetris'$/],
      [`runs:\n  - { game: pong }\n`, /runs\[0\]\.agent is missing \(the agent folder, relative to this file\)$/],
      [`runs:\n  - { game: pong, agent: ../agents/pong-a, attacks: [{ name: cw }] }\n`, /runs\[0\]\.attacks\[0\]\.name must be one of none, fgsm, pgd, noise, not 'cw'$/],
      [`runs:\n  - { game: pong, agent: ../agents/pong-a, attacks: [{ name: pgd, step: 3 }] }\n`, /runs\[0\]\.attacks\[0\] has unknown field 'step'; the fields there are name, eot, steps, alpha$/],
      [`runs:\n  - { game: pong, agent: ../agents/pong-a, episodes: 2.5 }\n`, /runs\[0\]\.episodes must be an integer number of episodes per seed and setting, >= 1, not 2\.5$/],
      [`runs:\n  - { game: pong, agent: ../agents/pong-a, perturb: pixel }\n`, /runs\[0\]\.perturb must be one of frame, stack, not 'pixel'$/],
      [`runs:\n  - { game: pong, agent: ../agents/pong-a, seeds: [] }\n`, /runs\[0\]\.seeds must list at least one of seeds, not \[\]$/],
      [`workers: 0\nruns:\n${GOOD_RUN}`, /: workers must be an integer number of worker threads >= 1, not 0$/],
      [`tf-backend: gpu\nruns:\n${GOOD_RUN}`, /: tf-backend must be one of wasm, cpu, tensorflow, not 'gpu'$/],
      [`runs: []\n`, /: runs must list at least one of runs \(each with game and agent\), not \[\]$/],
      [`defaults: { lambdas: [1] }\n`, /: runs is missing \(a list of runs/],
      [`- pong\n`, /: the config must be a mapping with a 'runs' list, not \["pong"\]$/],
      [`runs:\n  - game: pong\n    agent: ../agents/pong-a\n   lambdas: [1]\n`, /: not valid YAML: .* at line 4, column \d+$/],
      [`runs:\n${GOOD_RUN}runs:\n${GOOD_RUN}`, /: not valid YAML: Map keys must be unique at line 3, column 1$/],
    ];
    for (const [text, re] of cases) expect(problem(text)).to.match(re);
  });

  it('refuses a missing agent, naming the file and how to import one; --skip-missing leaves that run out', () => {
    const text = `runs:\n${GOOD_RUN}  - { game: breakout, agent: ../agents/breakout-dqn }\n  - { game: boxing, agent: ../agents/boxing-dqn }\n`;
    const msg = problem(text);
    expect(msg).to.contain('runs[1].agent: ');
    expect(msg).to.contain(join('breakout-dqn', 'agent.json') + ' is missing (and 1 more run)');
    expect(msg).to.contain('sap-rl import cleanrl CHECKPOINT --game breakout --out ');
    expect(msg).to.contain('--skip-missing');
    const plan = planBatch(write(text), { skipMissing: true });
    expect(plan.runs.map((r) => r.run.game)).to.deep.equal(['pong']);
    expect(plan.skipped.map((r) => r.where)).to.deep.equal(['runs[1]', 'runs[2]']);
    expect(problem(`runs:\n  - { game: boxing, agent: ../agents/boxing-dqn }\n`)).to.match(/boxing-dqn.agent\.json is missing/);
  });

  it('refuses two jobs with the same key (the results could not tell them apart)', () => {
    expect(problem(`runs:\n${GOOD_RUN}${GOOD_RUN}`)).to.match(/: runs\[0\] and runs\[1\] both give the episode pong\|pong-a\|dense\|\|fgsm\|0\|1\|0\|0\|stack\|0\|0\|108000 \(/);
    expect(problem(`runs:\n  - { game: pong, agent: ../agents/pong-a, lambdas: [1, 1] }\n`)).to.match(/: runs\[0\] lists the episode .* twice/);
    // PGD steps are part of the key: two PGD strengths are two sets of episodes
    const pgd = planBatch(write(`runs:\n  - { game: pong, agent: ../agents/pong-a, attacks: [{name: pgd, steps: 5}, {name: pgd, steps: 10}] }\n`));
    expect(new Set(pgd.jobs.map(jobKey)).size).to.equal(pgd.jobs.length);
    expect(pgd.jobs.map((j) => j.pgdSteps).filter((n, i, a) => a.indexOf(n) === i)).to.deep.equal([5, 10]);
  });

  it('refuses an unreadable config', () => {
    const missing = join(dir, 'sweeps', 'nope.yaml');
    expect(() => planBatch(missing)).to.throw(UserError, `config ${missing} cannot be read (ENOENT)`);
  });

  it('the CLI prints the sentence, exits 2 and writes nothing', () => {
    const file = write(`out: bad.csv\nruns:\n  - { game: pong, agent: ../agents/pong-a, lambdas: [0, 1, 300] }\n`);
    const res = runCli(['batch', file]);
    expect(res.code).to.equal(2);
    expect(res.stderr.trim().split('\n')).to.have.length(1);
    expect(res.stderr).to.match(/^sap-rl: .*runs\[0\]\.lambdas\[2\] must be a number of pixels in 0\.\.255, not 300\n$/);
    expect(existsSync(join(dir, 'sweeps', 'bad.csv'))).to.equal(false);
    const foreign = join(dir, 'foreign.csv');
    writeFileSync(foreign, 'a,b\n1,2\n');
    const res2 = runCli(['batch', write(`runs:\n${GOOD_RUN}`), '--out', foreign]);
    expect(res2.code).to.equal(2);
    expect(res2.stderr).to.match(/^sap-rl: --out .*foreign\.csv is not a sap-rl results file/);
    expect(readFileSync(foreign, 'utf8')).to.equal('a,b\n1,2\n');
    expect(existsSync(`${foreign}.failures.jsonl`)).to.equal(false);
    const plain = join(dir, 'plain.txt');
    writeFileSync(plain, 'x');
    const res3 = runCli(['batch', write(`out: ../plain.txt/r.csv\nruns:\n${GOOD_RUN}`)]);
    expect(res3.code).to.equal(2);
    expect(res3.stderr).to.match(/^sap-rl: .*c\d+\.yaml: out .*r\.csv: cannot write in .*plain\.txt \(ENOTDIR\); choose a writable folder\n$/);
  });

  it('ships sweeps/paper.yaml: dense vs SAP-100 under FGSM on the ten games, naming the agent to import', () => {
    const paper = join(PACKAGE_ROOT, 'sweeps', 'paper.yaml');
    const runs = resolveRuns(readBatchConfig(paper), paper);
    expect(runs.map((r) => r.game)).to.have.members(ALE_GAMES.map((g) => g.id));
    for (const r of runs) {
      expect(r.agentDir).to.equal(join(PACKAGE_ROOT, 'agents', `${r.gameAsWritten}-dqn`));
      expect(r.defenses).to.deep.equal(['dense', 'sap:1']);
      expect(r.attacks).to.deep.equal([{ name: 'fgsm', eot: 10 }]);
      expect(r.lambdas).to.deep.equal([0, 1, 2, 4, 8]);
    }
    const missing = runs.filter((r) => !existsSync(join(r.agentDir, 'agent.json')));
    if (missing.length > 0) {
      expect(() => planBatch(paper)).to.throw(UserError, `${missing[0]!.gameAsWritten}-dqn/agent.json is missing`);
      expect(() => planBatch(paper)).to.throw(UserError, `sap-rl import cleanrl CHECKPOINT --game ${missing[0]!.game} --out `);
    }
  });
});
