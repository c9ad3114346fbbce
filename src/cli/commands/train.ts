// `sap-rl train`: Double DQN from pixels with the project's own trainer (src/train/), then
// a greedy evaluation; the agent folder gets the network, agent.json (with the exact command
// as provenance and the measured clean score) and the training curve (CSV + PNG).
//
// While it runs, <out>.train/ holds the checkpoint and the live curve; `--resume` continues
// from the checkpoint; when the agent is saved the work folder is removed.
import type { Command } from 'commander';
import { SingleBar } from 'cli-progress';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { AGENT_FORMAT_VERSION, type AgentSpec } from '../../agent/agent-spec.js';
import { saveAgent } from '../../agent/agent-store.js';
import { buildConvQNet, buildNatureCnn } from '../../agent/nature-cnn.js';
import { activeTfBackend, DEFAULT_WASM_THREADS_CAP, defaultWasmThreads, initTf, type TfBackendName } from '../../agent/tf-backend.js';
import { MAX_THREADS } from '../../agent/wasm-threads.js';
import { Xoshiro128 } from '../../util/rng.js';
import { DEFAULT_BACKEND, parseBackendName } from '../../env/backends/index.js';
import { requireGame } from '../../env/roms.js';
import { readCurve, TrainingCurveFile, writeTrainingCurvePng } from '../../report/training-curve.js';
import { checkpointExists } from '../../train/checkpoint.js';
import { parseHyperparams, type Architecture } from '../../train/hyperparams.js';
import { TrainNet } from '../../train/train-net.js';
import { createTrainEnv, evalEpisodeSeed, evaluate, train } from '../../train/trainer.js';
import { ensureDir } from '../../util/ensure-dir.js';
import { UserError } from '../errors.js';
import { parseIntFlag } from '../parse.js';

interface TrainFlags {
  game?: string;
  steps?: string;
  out?: string;
  backend: string;
  seed: string;
  resume?: boolean;
  overwrite?: boolean;
  hparams?: string;
  evalEpisodes: string;
  romDir?: string;
  maxFrames: string;
  tfBackend?: string;
  tfThreads?: string;
}

export function registerTrain(program: Command): void {
  program
    .command('train')
    .description('train a Double DQN agent from pixels (Nature CNN, Adam, Huber loss, target network, replay)')
    .option('--game <id>', 'game id (see `sap-rl roms`)')
    .option('--steps <n>', 'agent steps to train (4 frames each)')
    .option('--out <dir>', 'agent folder to write (e.g. agents/catch-dqn)')
    .option('--backend <name>', 'emulator backend: js or ale-py', DEFAULT_BACKEND)
    .option('--seed <s>', 'seed of everything random in the run (same seed and backend: same agent)', '0')
    .option('--resume', 'continue from the checkpoint in <out>.train/ (same flags)')
    .option('--overwrite', 'replace an existing agent folder at --out')
    .option('--hparams <json|file>', 'hyperparameter overrides as JSON or a .json file, e.g. \'{"learningRate":2.5e-4}\'')
    .option('--eval-episodes <n>', 'greedy episodes for the final clean score in agent.json', '20')
    .option('--rom-dir <dir>', 'search this folder first for ROMs')
    .option('--max-frames <n>', 'truncate episodes after this many frames (ALE v5: 108000)', '108000')
    .option('--tf-backend <name>', 'tfjs backend: wasm, cpu or tensorflow')
    .option('--tf-threads <n>', `threads of the wasm backend (the agent does not depend on it; default: one per core, at most ${DEFAULT_WASM_THREADS_CAP})`)
    .action(async (flags: TrainFlags) => {
      if (flags.game === undefined) throw new UserError('train needs --game G (see `sap-rl roms`)');
      if (flags.steps === undefined) throw new UserError('train needs --steps N (agent steps, e.g. 100000)');
      if (flags.out === undefined) throw new UserError('train needs --out DIR (the agent folder to write, e.g. agents/my-agent)');
      const totalSteps = parseIntFlag(flags.steps, '--steps', 1);
      const seed = parseIntFlag(flags.seed, '--seed', 0);
      const evalEpisodes = parseIntFlag(flags.evalEpisodes, '--eval-episodes', 1);
      const maxFrames = parseIntFlag(flags.maxFrames, '--max-frames', 1);
      const backend = parseBackendName(flags.backend);
      const hyperparams = parseHyperparams(readHparams(flags.hparams), '--hparams');
      const game = requireGame(flags.game);
      const out = resolve(flags.out);
      if (existsSync(out) && !flags.overwrite) throw new UserError(`--out ${flags.out} already exists; choose another folder or pass --overwrite.`);
      const work = `${out}.train`;
      const checkpointDir = join(work, 'checkpoint');
      const curvePath = join(work, 'training.csv');
      try {
        ensureDir(work);
      } catch (e) {
        throw new UserError(`--out ${flags.out}: cannot create ${work} (${(e as NodeJS.ErrnoException).code ?? e}); choose a writable folder.`);
      }
      const resume = flags.resume === true && checkpointExists(checkpointDir);
      if (flags.resume && !resume) console.log(`no checkpoint in ${checkpointDir} yet: starting at step 0`);
      const tfThreads = flags.tfThreads === undefined ? defaultWasmThreads() : parseIntFlag(flags.tfThreads, '--tf-threads', 1, MAX_THREADS);
      await initTf(flags.tfBackend as TfBackendName | undefined, { threads: tfThreads });

      const resumeStep = resume ? (JSON.parse(readFileSync(join(checkpointDir, 'meta.json'), 'utf8')) as { counters: { step: number } }).counters.step : null;
      const curve = TrainingCurveFile.open(curvePath, resumeStep);
      const bar = new SingleBar({
        format: '{bar} {value}/{total} steps | {sps} steps/s | epsilon {eps} | {episodes} episodes | mean return (last 20) {ret}',
        hideCursor: true,
        clearOnComplete: true,
      });
      const t0 = performance.now();
      const step0 = resumeStep ?? 0;
      bar.start(totalSteps, step0, { sps: '-', eps: '-', episodes: 0, ret: '-' });
      const now = () => new Date().toISOString();
      const result = await train(
        {
          game: game.id,
          backend,
          romDir: flags.romDir,
          totalSteps,
          seed,
          hyperparams,
          checkpointDir,
          resume,
          maxFrames,
          buildModel: (nActions, s) => buildModel(hyperparams.architecture, nActions, s),
        },
        {
          onProgress: (p) =>
            bar.update(p.step, {
              sps: Math.round((p.step - step0) / ((performance.now() - t0) / 1000)),
              eps: p.epsilon.toFixed(3),
              episodes: p.episodes,
              ret: p.recentReturns.length ? (p.recentReturns.reduce((a, b) => a + b, 0) / p.recentReturns.length).toFixed(2) : '-',
            }),
          // An episode cut short by the end of the run is not a return of the game: left out.
          onEpisode: (e) =>
            e.complete &&
            curve.append({ time: now(), kind: 'train', step: e.step, episode: e.episode, return: e.return, length: e.length, epsilon: round(e.epsilon, 4), loss: num(e.loss), mean_q: num(e.meanQ) }),
          onEval: (e) => {
            const mean = e.returns.reduce((a, b) => a + b, 0) / e.returns.length;
            curve.append({ time: now(), kind: 'eval', step: e.step, episode: e.index, return: round(mean, 3), length: e.returns.length, epsilon: '', loss: '', mean_q: '' });
          },
        },
      ).finally(() => {
        bar.stop();
        curve.close();
      });

      try {
        const seconds = (performance.now() - t0) / 1000;
        console.log(`trained ${totalSteps} steps (${result.counters.episode} episodes, ${result.counters.updates} updates) in ${Math.round(seconds)} s`);
        const net = new TrainNet(result.model);
        const evalEnv = await createTrainEnv({ game: game.id, backend, romDir: flags.romDir, maxFrames });
        const seeds = Array.from({ length: evalEpisodes }, (_, e) => evalEpisodeSeed(seed, 1_000_000, e));
        const returns = await evaluate(evalEnv, net, seeds, 0, new Xoshiro128(seed)).finally(() => evalEnv.env.close());
        const s = stats(returns);
        console.log(`greedy evaluation over ${evalEpisodes} episodes: mean ${round(s.mean, 2)}, std ${round(s.std, 2)}`);

        const rows = readCurve(curvePath);
        const svgTitle = `${game.id}, ${totalSteps} steps, seed ${seed}`;
        const pngPath = join(work, 'training.png');
        await writeTrainingCurvePng(rows, svgTitle, pngPath);
        const spec: AgentSpec = {
          formatVersion: AGENT_FORMAT_VERSION,
          game: game.id,
          actions: [...result.actions],
          observation: { frameStack: 4, height: 84, width: 84, layout: 'NHWC', scaleInside: true },
          provenance: {
            kind: 'trained',
            format: 'sap-rl',
            source: commandLine(),
            date: now(),
          },
          cleanScore: { mean: s.mean, std: s.std, episodes: returns.length },
        };
        await saveAgent(out, result.model, spec, {
          overwrite: true,
          extraFiles: {
            'training.csv': readFileSync(curvePath),
            'training.png': readFileSync(pngPath),
            'training.json': JSON.stringify(
              { hyperparams: result.hyperparams, steps: totalSteps, seed, backend, tfBackend: activeTfBackend()?.name, tfThreads: activeTfBackend()?.threads, episodes: result.counters.episode, updates: result.counters.updates, seconds: Math.round(seconds), evalReturns: returns },
              null,
              2,
            ) + '\n',
          },
        });
        rmSync(work, { recursive: true, force: true });
        console.log(`agent: ${flags.out} (training curve: ${join(flags.out, 'training.png')})`);
      } finally {
        result.model.dispose();
      }
    });
}

function buildModel(arch: Architecture, nActions: number, seed: number): tf.LayersModel {
  return arch === 'nature'
    ? buildNatureCnn({ nActions, scaleInside: true, seed })
    : buildConvQNet({ nActions, scaleInside: true, seed, convs: arch.convs, hidden: arch.hidden });
}

function readHparams(value: string | undefined): unknown {
  if (value === undefined) return {};
  const text = value.trim().startsWith('{') ? value : readText(value);
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new UserError(`--hparams: not valid JSON (${(e as Error).message}); give a JSON object or a .json file.`);
  }
}

function readText(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (e) {
    throw new UserError(`--hparams ${file} cannot be read (${(e as NodeJS.ErrnoException).code ?? e}); give a JSON object or a readable .json file.`);
  }
}

/** The command as typed (for provenance), with the program name instead of node's path. */
function commandLine(): string {
  const args = process.argv.slice(2).map((a) => (/^[\w@%+=:,./-]+$/.test(a) ? a : `'${a.replace(/'/g, `'\\''`)}'`));
  return ['sap-rl', ...args].join(' ');
}

function stats(xs: readonly number[]): { mean: number; std: number } {
  const mean = xs.reduce((a, b) => a + b, 0) / xs.length;
  const std = xs.length > 1 ? Math.sqrt(xs.reduce((a, b) => a + (b - mean) ** 2, 0) / (xs.length - 1)) : 0;
  return { mean, std };
}

function round(v: number, digits: number): number {
  const k = 10 ** digits;
  return Math.round(v * k) / k;
}

function num(v: number): number | string {
  return Number.isFinite(v) ? round(v, 5) : '';
}
