// `play --record FILE.gif`: an animated GIF of episode 0 of every (defense, lambda) setting,
// made from the play hooks (see report/panels.ts for what a frame shows). One setting in
// the grid: exactly FILE.gif; several: FILE-<defense>-lambda<L>.gif each, e.g.
// pong-sap1-lambda4.gif. Every file is checked before playing and appears only when its
// episode is over.
import { ACTION_NAMES } from '../atari/ale/actions.js';
import type { AttackConfig } from '../attack/index.js';
import type { Defense } from '../defense/index.js';
import { checkGifTarget, GifWriter } from '../report/gif.js';
import { PanelComposer, toIndexed } from '../report/panels.js';
import type { PerturbMode } from './episode.js';
import type { PlayHooks } from './play.js';

export const RECORD_FLAG = '--record';
/** ALE frames per agent step, and the console's frame rate: the default delay plays in real time. */
const FRAMESKIP = 4;
const FRAMES_PER_SECOND = 60;

export interface RecordOptions {
  /** FILE.gif as the user gave it. */
  file: string;
  defenses: readonly Defense[];
  lambdas: readonly number[];
  attack: Pick<AttackConfig, 'name' | 'eot'>;
  perturb: PerturbMode;
  /** Keep every k-th agent step (1 = all). */
  every?: number;
  /** Display time of a GIF frame; default: real time (every * 4 frames at 60 Hz). */
  delayMs?: number;
  /** Screen pixels per observation pixel (default 3). */
  scale?: number;
}

/** The file that holds the recording of one setting. */
export function recordingPath(file: string, defense: Defense, lambda: number, severalSettings: boolean): string {
  if (!severalSettings) return file;
  const tag = defense.param === undefined ? defense.name : `${defense.name}${defense.param}`;
  return `${file.replace(/\.gif$/i, '')}-${tag}-lambda${lambda}.gif`;
}

interface Recording {
  path: string;
  defense: Defense;
  lambda: number;
  steps: number;
  composer?: PanelComposer;
  writer?: GifWriter;
}

export class EpisodeRecorder {
  /** The GIFs written so far. */
  readonly written: string[] = [];
  private readonly several: boolean;
  private readonly every: number;
  private readonly delayMs: number;
  private readonly started = new Set<string>();
  private current: Recording | undefined;

  /** Checks every target before anything is played (a UserError naming --record). */
  constructor(private readonly opts: RecordOptions) {
    this.every = opts.every ?? 1;
    if (!Number.isInteger(this.every) || this.every < 1) throw new RangeError(`record every must be an integer >= 1, not ${this.every}`);
    this.delayMs = opts.delayMs ?? (this.every * FRAMESKIP * 1000) / FRAMES_PER_SECOND;
    this.several = opts.defenses.length * opts.lambdas.length > 1;
    for (const d of opts.defenses) for (const l of opts.lambdas) checkGifTarget(this.path(d, l), RECORD_FLAG);
  }

  private path(defense: Defense, lambda: number): string {
    return recordingPath(this.opts.file, defense, lambda, this.several);
  }

  /** `hooks` with `recorder`'s recording added (unchanged without a recorder). */
  static wrap(recorder: EpisodeRecorder | undefined, hooks: PlayHooks): PlayHooks {
    return recorder ? recorder.hooks(hooks) : hooks;
  }

  /** `hooks`, with recording added. */
  hooks(hooks: PlayHooks = {}): PlayHooks {
    return {
      onEpisodeStart: (info) => {
        this.abort();
        if (info.episode === 0) {
          this.current = { path: this.path(info.defense, info.lambda), defense: info.defense, lambda: info.lambda, steps: 0 };
          this.started.add(this.path(info.defense, info.lambda));
        }
        hooks.onEpisodeStart?.(info);
      },
      onStep: (view) => {
        const rec = this.current;
        if (rec && rec.steps++ % this.every === 0) {
          const composer = (rec.composer ??= new PanelComposer(this.header(rec), Math.round(Math.sqrt(view.cleanFrame.length)), this.opts.scale));
          rec.writer ??= GifWriter.create(rec.path, composer.width, composer.height, RECORD_FLAG);
          const caption = { step: rec.steps, action: ACTION_NAMES[view.aleAction] ?? `action ${view.aleAction}`, reward: view.reward };
          rec.writer.addFrame(toIndexed(composer.compose(view.cleanFrame, view.seenFrame, caption)), this.delayMs);
        }
        hooks.onStep?.(view);
      },
      onEpisodeEnd: (row, result) => {
        const rec = this.current;
        this.current = undefined;
        if (rec?.writer) {
          rec.writer.finish();
          this.written.push(rec.path);
        }
        hooks.onEpisodeEnd?.(row, result);
      },
    };
  }

  /** Settings whose episode 0 was not played in this run (already in the results file), so not recorded. */
  notRecorded(): { defense: Defense; lambda: number }[] {
    const out: { defense: Defense; lambda: number }[] = [];
    for (const defense of this.opts.defenses) {
      for (const lambda of this.opts.lambdas) if (!this.started.has(this.path(defense, lambda))) out.push({ defense, lambda });
    }
    return out;
  }

  /** Lines for the user: the files written, and the settings not recorded (`out` is the results file). */
  report(out: string): string[] {
    return [
      ...this.written.map((f) => `recording: ${f}`),
      ...this.notRecorded().map(
        ({ defense, lambda }) => `not recorded: episode 0 of ${defense.spec} lambda ${lambda} was already in ${out}; give a new --out to record it`,
      ),
    ];
  }

  /** Drops a recording in progress (the run failed or was stopped): no half GIF is left. */
  abort(): void {
    this.current?.writer?.abort();
    this.current = undefined;
  }

  private header(rec: Recording): { setting: string; lambda: number; attacking: boolean } {
    const { attack, perturb } = this.opts;
    const attacking = attack.name !== 'none' && rec.lambda > 0;
    const eot = attacking && rec.defense.stochastic && attack.eot > 1 ? `  eot ${attack.eot}` : '';
    return {
      setting: `${rec.defense.spec}  ${attack.name} lambda ${rec.lambda}${eot}  perturb ${perturb}  episode 0`,
      lambda: rec.lambda,
      attacking,
    };
  }
}
