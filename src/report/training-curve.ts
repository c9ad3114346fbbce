// The training curve of `sap-rl train`: one CSV row per training episode and per greedy
// evaluation, appended as they happen, and a PNG of return vs agent step.
import { createObjectCsvStringifier } from 'csv-writer';
import { parse } from 'csv-parse/sync';
import { closeSync, existsSync, fsyncSync, openSync, readFileSync, renameSync, writeFileSync, writeSync } from 'node:fs';
import type { TopLevelSpec } from 'vega-lite';
import { UserError } from '../cli/errors.js';
import { renderSvg, svgToPng } from './plot.js';

export const CURVE_COLUMNS = ['time', 'kind', 'step', 'episode', 'return', 'length', 'epsilon', 'loss', 'mean_q'] as const;
export type CurveRow = Record<(typeof CURVE_COLUMNS)[number], string | number>;

const stringifier = createObjectCsvStringifier({ header: CURVE_COLUMNS.map((c) => ({ id: c, title: c })) });
const HEADER = stringifier.getHeaderString()!;

export class TrainingCurveFile {
  private constructor(
    readonly path: string,
    private fd: number,
  ) {}

  /**
   * Opens the curve for appending. `keepUpToStep`: a resumed run replays the steps after its
   * checkpoint, so the rows it wrote after that step are dropped (null: start a new file).
   */
  static open(path: string, keepUpToStep: number | null): TrainingCurveFile {
    let body = HEADER;
    if (keepUpToStep !== null && existsSync(path)) {
      const rows = readCurve(path);
      body += stringifier.stringifyRecords(rows.filter((r) => Number(r.step) <= keepUpToStep));
    }
    const tmp = `${path}.tmp`;
    writeFileSync(tmp, body);
    renameSync(tmp, path);
    return new TrainingCurveFile(path, openSync(path, 'a'));
  }

  append(row: CurveRow): void {
    const text = stringifier.stringifyRecords([row]);
    writeSync(this.fd, text);
    fsyncSync(this.fd);
  }

  close(): void {
    if (this.fd >= 0) closeSync(this.fd);
    this.fd = -1;
  }
}

export function readCurve(path: string): CurveRow[] {
  const text = readFileSync(path, 'utf8');
  let rows: Record<string, string>[];
  try {
    rows = parse(text, { columns: true, skip_empty_lines: true, relax_column_count: true });
  } catch (e) {
    throw new UserError(`${path}: not a training-curve CSV (${(e as Error).message}).`);
  }
  const header = text.split('\n', 1)[0]!.trim();
  if (header !== HEADER.trim()) throw new UserError(`${path}: not a training-curve CSV (header ${header}).`);
  // A half-written last line (a killed run) has too few fields: drop it.
  return rows.filter((r) => CURVE_COLUMNS.every((c) => r[c] !== undefined)) as CurveRow[];
}

/** Return vs agent step: every training episode (thin), its running mean, and the greedy evaluations. */
export function trainingCurveSpec(rows: readonly CurveRow[], title: string): TopLevelSpec {
  const train = rows.filter((r) => r.kind === 'train').map((r) => ({ step: Number(r.step), ret: Number(r.return) }));
  const evals = rows.filter((r) => r.kind === 'eval').map((r) => ({ step: Number(r.step), ret: Number(r.return) }));
  const x = { field: 'step', type: 'quantitative' as const, title: 'agent steps' };
  const y = { field: 'ret', type: 'quantitative' as const, title: 'episode return (game score)' };
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v5.json',
    title: { text: `Training: ${title}`, subtitle: 'grey: training episodes (epsilon-greedy); blue: mean of the last 20; orange: greedy evaluation mean' },
    width: 560,
    height: 300,
    layer: [
      { data: { values: train }, mark: { type: 'line', color: '#bbbbbb', strokeWidth: 1 }, encoding: { x, y } },
      {
        data: { values: train },
        transform: [{ window: [{ op: 'mean', field: 'ret', as: 'avg' }], frame: [-19, 0], sort: [{ field: 'step' }] }],
        mark: { type: 'line', color: '#1f77b4', strokeWidth: 2 },
        encoding: { x, y: { field: 'avg', type: 'quantitative' } },
      },
      { data: { values: evals }, mark: { type: 'line', color: '#ff7f0e', point: { color: '#ff7f0e', size: 40 }, strokeWidth: 2 }, encoding: { x, y } },
    ],
    config: { axis: { labelFontSize: 12, titleFontSize: 13 }, title: { fontSize: 15 } },
  };
}

/** Writes the curve as PNG (and returns the SVG text). */
export async function writeTrainingCurvePng(rows: readonly CurveRow[], title: string, pngPath: string): Promise<string> {
  const svg = await renderSvg(trainingCurveSpec(rows, title));
  writeFileSync(pngPath, svgToPng(svg));
  return svg;
}
