/**
 * The DQN training loop (read top to bottom, CleanRL style):
 *
 *   for each agent step:
 *     epsilon-greedy action on the stacked observation; step the env (ALE v5 semantics with
 *     the standard DQN preprocessing); store the new frame in the replay buffer;
 *     after `learningStarts`, every `trainFrequency` steps: one Double DQN update (batch 32);
 *     every `targetUpdateInterval` steps: copy online -> target;
 *     every `evalInterval` steps: greedy evaluation episodes on a separate env;
 *     at the first episode end after every `checkpointInterval` steps: a checkpoint.
 *
 * Every random choice comes from the run's seed: episode e of the training env is reset with a
 * seed derived from (seed, e), evaluation episodes from (seed, evaluation, episode), and
 * exploration and minibatch draws from one xoshiro128** stream whose state is checkpointed.
 * Checkpoints are taken between episodes, so a resumed run continues exactly as an
 * uninterrupted one would.
 */
import * as tf from '@tensorflow/tfjs';
import { registerWasmTrainKernels } from '../agent/wasm-train-kernels.js';
import { UserError } from '../cli/errors.js';
import { Xoshiro128 } from '../util/rng.js';
import { AtariEnv } from '../env/atari-env.js';
import type { BackendName } from '../env/backend.js';
import { AtariPreprocessing } from '../env/preprocess/atari-preprocessing.js';
import { SeedSequence } from '../env/seeding.js';
import { Adam } from './adam.js';
import { checkpointExists, loadCheckpoint, saveCheckpoint, type RunIdentity, type TrainCounters } from './checkpoint.js';
import { dqnUpdate } from './dqn-update.js';
import { epsilonAt, resolveHyperparams, type Hyperparams, type ResolvedHyperparams } from './hyperparams.js';
import { ReplayBuffer } from './replay-buffer.js';
import { TrainNet } from './train-net.js';

export interface TrainOptions {
  game: string;
  backend: BackendName;
  romDir?: string | undefined;
  totalSteps: number;
  seed: number;
  hyperparams: Hyperparams;
  /** Where checkpoints live (a folder of the run's work folder). */
  checkpointDir: string;
  resume: boolean;
  /** Builds a fresh network (same architecture for online and target), seeded. */
  buildModel(nActions: number, seed: number): tf.LayersModel;
  /** ALE's frame limit per episode (default 108000). */
  maxFrames?: number | undefined;
}

export interface EpisodeEvent {
  /** False for the last episode when the run's step budget ended it before the game did. */
  complete: boolean;
  step: number;
  episode: number;
  /** The game's own return (unclipped). */
  return: number;
  length: number;
  epsilon: number;
  /** Mean loss and Q over the updates of this episode (NaN before learning starts). */
  loss: number;
  meanQ: number;
}

export interface EvalEvent {
  step: number;
  index: number;
  returns: number[];
}

export interface ProgressEvent {
  step: number;
  totalSteps: number;
  epsilon: number;
  episodes: number;
  recentReturns: readonly number[];
}

export interface TrainHooks {
  onEpisode?(e: EpisodeEvent): void;
  onEval?(e: EvalEvent): void;
  onProgress?(p: ProgressEvent): void;
  /** After each checkpoint; `step` is where a resume will start. */
  onCheckpoint?(step: number): void;
}

export interface TrainResult {
  model: tf.LayersModel;
  actions: readonly number[];
  counters: TrainCounters;
  hyperparams: ResolvedHyperparams;
  /** Set when the run resumed from a checkpoint (the step it continued from). */
  resumedFrom?: number;
}

const RECENT = 20;

/** Seed of training episode `episode`. */
function trainEpisodeSeed(seed: number, episode: number): number {
  return new SeedSequence([seed, episode, 0x747261]).generateState(1)[0]!; // 'tra'
}

/** Seed of episode `episode` of evaluation number `index`. */
export function evalEpisodeSeed(seed: number, index: number, episode: number): number {
  return new SeedSequence([seed, index, episode, 0x6576616c]).generateState(1)[0]!; // 'eval'
}

export function greedyAction(net: TrainNet, obs: Uint8Array): number {
  return tf.tidy(() => {
    const x = tf.tensor4d(Float32Array.from(obs), [1, ...net.inputShape]);
    return tf.argMax(net.apply(x), 1).dataSync()[0]!;
  });
}

/** epsilon-greedy: one uniform draw, then a second for the random action when exploring. */
function act(net: TrainNet, obs: Uint8Array, epsilon: number, rng: Xoshiro128): number {
  if (rng.nextFloat() < epsilon) return Math.floor(rng.nextFloat() * net.nActions);
  return greedyAction(net, obs);
}

export async function createTrainEnv(opts: Pick<TrainOptions, 'game' | 'backend' | 'romDir' | 'maxFrames'>): Promise<AtariPreprocessing> {
  const env = await AtariEnv.create({ game: opts.game, backend: opts.backend, romDir: opts.romDir, maxFramesPerEpisode: opts.maxFrames ?? 108_000 });
  return new AtariPreprocessing(env, { frameStack: 4, screenSize: 84 });
}

/** Greedy (epsilon `epsilon`) episodes; returns the game's own returns. */
export async function evaluate(pp: AtariPreprocessing, net: TrainNet, seeds: readonly number[], epsilon: number, rng: Xoshiro128): Promise<number[]> {
  const returns: number[] = [];
  for (const s of seeds) {
    await pp.reset(s);
    let ret = 0;
    for (;;) {
      const r = await pp.step(act(net, pp.observation(), epsilon, rng));
      ret += r.rawReward;
      if (r.terminated || r.truncated) break;
    }
    returns.push(ret);
  }
  return returns;
}

export async function train(opts: TrainOptions, hooks: TrainHooks = {}): Promise<TrainResult> {
  registerWasmTrainKernels();
  const h = resolveHyperparams(opts.hyperparams, opts.totalSteps);
  const identity: RunIdentity = { game: opts.game, backend: opts.backend, seed: opts.seed, totalSteps: opts.totalSteps, hyperparams: h };
  const pp = await createTrainEnv(opts);
  let evalEnv: AtariPreprocessing | undefined;
  const nActions = pp.env.actionSet.length;
  const onlineModel = opts.buildModel(nActions, opts.seed);
  const targetModel = opts.buildModel(nActions, opts.seed);
  const online = new TrainNet(onlineModel, 'the trained network');
  const target = new TrainNet(targetModel, 'the target network');
  target.copyFrom(online);
  const adam = new Adam(online.variables, { lr: h.learningRate, eps: h.adamEps });
  const frameSize = 84 * 84;
  let buffer: ReplayBuffer;
  let rng: Xoshiro128;
  let counters: TrainCounters;
  let resumedFrom: number | undefined;
  try {
    if (opts.resume && checkpointExists(opts.checkpointDir)) {
      const ck = loadCheckpoint(opts.checkpointDir);
      checkIdentity(ck.identity, identity, opts.checkpointDir);
      setWeights(online, ck.online);
      setWeights(target, ck.target);
      adam.restore({ step: ck.counters.adamStep, m: ck.adamM, v: ck.adamV });
      buffer = ReplayBuffer.fromState(ck.replay);
      rng = Xoshiro128.fromState(ck.counters.rng);
      counters = ck.counters;
      resumedFrom = counters.step;
    } else {
      buffer = new ReplayBuffer(h.bufferSize, frameSize, 4);
      rng = new Xoshiro128(new SeedSequence([opts.seed, 0x726e67]).generateState(1)[0]!); // 'rng'
      counters = { step: 0, episode: 0, updates: 0, evals: 0, rng: rng.state(), adamStep: 0, recentReturns: [] };
    }

    const update = { gamma: h.gamma, double: h.double, maxGradNorm: h.maxGradNorm };
    let sinceCheckpoint = 0;
    while (counters.step < opts.totalSteps) {
      // One episode.
      await pp.reset(trainEpisodeSeed(opts.seed, counters.episode));
      buffer.startEpisode(pp.frame);
      let lives = pp.env.lives;
      let ret = 0;
      let length = 0;
      let lossSum = 0;
      let qSum = 0;
      let nUpdates = 0;
      let cutShort = false;
      let epsilon = epsilonAt(h, counters.step, opts.totalSteps);
      for (;;) {
        epsilon = epsilonAt(h, counters.step, opts.totalSteps);
        const action = counters.step < h.learningStarts ? Math.floor(rng.nextFloat() * nActions) : act(online, pp.observation(), epsilon, rng);
        const s = await pp.step(action);
        counters.step++;
        sinceCheckpoint++;
        length++;
        ret += s.rawReward;
        const lifeLost = h.lifeLossTerminal && s.lives < lives;
        lives = s.lives;
        buffer.addStep(action, h.clipRewards ? Math.sign(s.rawReward) : s.rawReward, s.terminated || lifeLost, pp.frame);

        if (counters.step > h.learningStarts && counters.step % h.trainFrequency === 0) {
          const r = dqnUpdate(online, target, adam, buffer.sample(h.batchSize, rng), update);
          counters.updates++;
          lossSum += r.loss;
          qSum += r.meanQ;
          nUpdates++;
        }
        if (counters.step % h.targetUpdateInterval === 0) target.copyFrom(online);
        if (h.evalInterval > 0 && counters.step % h.evalInterval === 0) {
          evalEnv ??= await createTrainEnv(opts);
          const index = counters.evals++;
          const seeds = Array.from({ length: h.evalEpisodes }, (_, e) => evalEpisodeSeed(opts.seed, index, e));
          const evalRng = new Xoshiro128(new SeedSequence([opts.seed, index, 0x65767267]).generateState(1)[0]!); // 'evrg'
          hooks.onEval?.({ step: counters.step, index, returns: await evaluate(evalEnv, online, seeds, h.evalEpsilon, evalRng) });
        }
        if (counters.step % 250 === 0) hooks.onProgress?.({ step: counters.step, totalSteps: opts.totalSteps, epsilon, episodes: counters.episode, recentReturns: counters.recentReturns });
        if (s.terminated || s.truncated) break;
        if (counters.step >= opts.totalSteps) {
          cutShort = true;
          break;
        }
      }
      counters.episode++;
      counters.recentReturns = [...counters.recentReturns, ret].slice(-RECENT);
      hooks.onEpisode?.({
        complete: !cutShort,
        step: counters.step,
        episode: counters.episode - 1,
        return: ret,
        length,
        epsilon,
        loss: nUpdates ? lossSum / nUpdates : NaN,
        meanQ: nUpdates ? qSum / nUpdates : NaN,
      });
      hooks.onProgress?.({ step: counters.step, totalSteps: opts.totalSteps, epsilon, episodes: counters.episode, recentReturns: counters.recentReturns });
      if (sinceCheckpoint >= h.checkpointInterval && counters.step < opts.totalSteps) {
        counters.rng = rng.state();
        counters.adamStep = adam.step;
        saveCheckpoint(opts.checkpointDir, {
          identity,
          counters,
          shapes: online.variables.map((v) => v.shape),
          online: online.variables.map((v) => v.dataSync() as Float32Array),
          target: target.variables.map((v) => v.dataSync() as Float32Array),
          adamM: adam.state().m,
          adamV: adam.state().v,
          replay: buffer.state(),
        });
        sinceCheckpoint = 0;
        hooks.onCheckpoint?.(counters.step);
      }
    }
    counters.rng = rng.state();
    counters.adamStep = adam.step;
    targetModel.dispose();
    adam.dispose();
    return { model: onlineModel, actions: pp.env.actionSet, counters, hyperparams: h, ...(resumedFrom !== undefined ? { resumedFrom } : {}) };
  } catch (e) {
    onlineModel.dispose();
    targetModel.dispose();
    adam.dispose();
    throw e;
  } finally {
    await pp.env.close();
    await evalEnv?.env.close();
  }
}

function setWeights(net: TrainNet, values: readonly Float32Array[]): void {
  if (values.length !== net.variables.length) throw new UserError('the checkpoint does not match the network (different architecture)');
  tf.tidy(() => net.variables.forEach((v, i) => v.assign(tf.tensor(values[i]!, v.shape))));
}

function checkIdentity(saved: RunIdentity, now: RunIdentity, dir: string): void {
  const a = JSON.stringify(saved);
  const b = JSON.stringify(now);
  if (a === b) return;
  const fields = (['game', 'backend', 'seed', 'totalSteps', 'hyperparams'] as const).filter((k) => JSON.stringify(saved[k]) !== JSON.stringify(now[k]));
  throw new UserError(
    `--resume: the checkpoint in ${dir} belongs to a run with another ${fields.join(', ')}; resume with the same flags, or train again without --resume.`,
  );
}
