import { expect } from 'chai';
import { join } from 'node:path';
import { UserError } from '../../src/cli/errors.js';
import { JobCache } from '../../src/experiment/job-cache.js';
import { describeJobError, jobAttack, jobKey, runJob, type EpisodeJob } from '../../src/experiment/job.js';
import { episodeKey } from '../../src/report/results-schema.js';
import { makeFixtures } from '../helpers/torch-fixtures.js';
import { runCli } from '../helpers/cli.js';
import { makeTempDir, removeTempDir, requirePython } from '../helpers/python.js';

// One episode job, as the pool's workers, `sap-rl play` and a queue worker run it.
describe('episode jobs', function () {
  let dir: string;
  let job: EpisodeJob;

  before(function () {
    requirePython(this, 'torch');
    dir = makeTempDir();
    const [fx] = makeFixtures(dir, [{ kind: 'cleanrl', n: 18, seed: 7 }]);
    const imp = runCli(['import', 'cleanrl', fx!.checkpoint, '--game', 'boxing', '--out', join(dir, 'agents', 'rand-boxing')]);
    expect(imp.code, imp.stderr).to.equal(0);
    job = {
      game: 'boxing', agentDir: join(dir, 'agents', 'rand-boxing'), defense: 'sap:1', attack: 'fgsm', lambda: 4, eot: 2, pgdSteps: 10,
      perturb: 'stack', seed: 3, episode: 1, backend: 'js', maxFrames: 400,
    };
  });
  after(() => dir && removeTempDir(dir));

  it('has the key of the row it writes; deterministic defenses record eot 1', () => {
    expect(jobKey(job)).to.equal('boxing|rand-boxing|sap|1|fgsm|4|2|0|0|stack|3|1|400');
    expect(jobKey({ ...job, defense: 'dense' })).to.equal('boxing|rand-boxing|dense||fgsm|4|1|0|0|stack|3|1|400');
    expect(jobKey({ ...job, attack: 'pgd', pgdSteps: 4 }), 'PGD settings (default step resolved)').to.equal('boxing|rand-boxing|sap|1|pgd|4|2|4|2.5|stack|3|1|400');
    expect(jobKey({ ...job, maxFrames: 800 }), 'another frame limit is another episode').not.to.equal(jobKey(job));
    expect(JSON.parse(JSON.stringify(job)), 'a plain object').to.deep.equal(job);
  });

  it("takes PGD's default step from its own lambda", () => {
    expect(jobAttack({ ...job, attack: 'pgd', lambda: 4, pgdSteps: 2 }).pgdAlpha).to.equal(5);
    expect(jobAttack({ ...job, attack: 'pgd', lambda: 8, pgdSteps: 2, pgdAlpha: 1 }).pgdAlpha).to.equal(1);
  });

  it('gives the same row whatever the cache ran before (what makes N workers equal 1)', async () => {
    const strip = ({ time, seconds, ...rest }: Awaited<ReturnType<typeof runJob>>) => rest;
    const fresh = new JobCache();
    const used = new JobCache();
    try {
      const alone = strip(await runJob(job, fresh));
      await runJob({ ...job, defense: 'dense', lambda: 0, episode: 0 }, used);
      await runJob({ ...job, perturb: 'frame', seed: 9 }, used);
      const after = strip(await runJob(job, used));
      expect(after).to.deep.equal(alone);
      expect(episodeKey(after)).to.equal(jobKey(job));
      expect(after).to.include({ frames: 400, truncated: true, env_backend: 'js' });
    } finally {
      await fresh.close();
      await used.close();
    }
  });

  it('fails with a UserError naming the agent when it is for another game; the error travels as a plain object', async () => {
    const cache = new JobCache();
    try {
      const err = await runJob({ ...job, game: 'pong' }, cache).then(() => undefined, (e: unknown) => e);
      expect(err).to.be.instanceOf(UserError);
      expect((err as Error).message).to.equal(`agent ${job.agentDir} plays boxing, not pong; pass an agent trained on pong`);
      expect(describeJobError(err)).to.deep.equal({ message: (err as Error).message, user: true });
      expect(describeJobError(new TypeError('x'))).to.include({ message: 'x', user: false });
    } finally {
      await cache.close();
    }
  });
});
