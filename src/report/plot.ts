// Reward curves: vega-lite specs compiled to vega, rendered to SVG by vega's headless view
// and to PNG by resvg, plus an index.html that shows them with the summary tables.
import { Resvg } from '@resvg/resvg-js';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as vega from 'vega';
import { compile, type TopLevelSpec } from 'vega-lite';
import { ensureDir } from '../util/ensure-dir.js';
import type { ResultRow } from './results-schema.js';
import { defenseLabel, summarise, type SettingSummary } from './summary.js';

/** One figure set: the rows of one game x agent x attack x perturbation mode. */
export interface PlotGroup {
  key: string;
  title: string;
  rows: ResultRow[];
  summaries: SettingSummary[];
}

export function groupForPlots(rows: readonly ResultRow[]): PlotGroup[] {
  const groups = new Map<string, ResultRow[]>();
  for (const r of rows) {
    const key = `${r.game}-${r.agent}-${r.attack}-${r.perturb}`.replace(/[^A-Za-z0-9_.-]/g, '_');
    const list = groups.get(key) ?? [];
    list.push(r);
    groups.set(key, list);
  }
  return [...groups.entries()].map(([key, list]) => {
    const r = list[0]!;
    return { key, title: `${r.game} · ${r.agent} · ${r.attack} (perturb ${r.perturb})`, rows: list, summaries: summarise(list) };
  });
}

const LAMBDA_TITLE = 'lambda (perturbation size, pixels of 0..255)';

/** Mean reward vs lambda, one line per defense, with its 95% CI band. */
export function rewardVsLambdaSpec(g: PlotGroup): TopLevelSpec {
  const values = g.summaries.map((s) => ({
    defense: s.defense,
    lambda: s.lambda,
    mean: s.mean,
    lo: Number.isFinite(s.ci95) ? s.mean - s.ci95 : s.mean,
    hi: Number.isFinite(s.ci95) ? s.mean + s.ci95 : s.mean,
    n: s.n,
  }));
  const lambdas = [...new Set(values.map((v) => v.lambda))].sort((a, b) => a - b);
  const x = { field: 'lambda', type: 'quantitative' as const, title: LAMBDA_TITLE, axis: { values: lambdas, grid: false } };
  const color = { field: 'defense', type: 'nominal' as const, title: 'defense', legend: { orient: 'right' as const, labelFontSize: 12, titleFontSize: 12, symbolOpacity: 1, symbolType: 'stroke', symbolStrokeWidth: 3 } };
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v5.json',
    title: { text: `Reward vs lambda: ${g.title}`, subtitle: 'mean over episodes; bands: 95% confidence interval of the mean' },
    width: 480,
    height: 300,
    data: { values },
    layer: [
      {
        mark: { type: 'area', opacity: 0.18 },
        encoding: { x, y: { field: 'lo', type: 'quantitative', title: 'episode reward' }, y2: { field: 'hi' }, color },
      },
      { mark: { type: 'line', point: true, strokeWidth: 2 }, encoding: { x, y: { field: 'mean', type: 'quantitative' }, color, tooltip: [{ field: 'n' }, { field: 'mean' }] } },
    ],
    config: { axis: { labelFontSize: 12, titleFontSize: 13 }, title: { fontSize: 15 } },
  };
}

/** Reward of every episode, one panel per lambda, one colour per defense. */
export function episodesSpec(g: PlotGroup): TopLevelSpec {
  const values = g.rows.map((r) => ({ defense: defenseLabel(r), lambda: r.lambda, episode: r.episode, reward: r.reward }));
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v5.json',
    title: { text: `Reward per episode: ${g.title}` },
    data: { values },
    facet: { column: { field: 'lambda', type: 'ordinal', title: LAMBDA_TITLE } },
    spec: {
      width: 160,
      height: 200,
      mark: { type: 'point', filled: true, size: 50, opacity: 0.8 },
      encoding: {
        x: { field: 'episode', type: 'quantitative', title: 'episode', axis: { tickMinStep: 1 } },
        y: { field: 'reward', type: 'quantitative', title: 'episode reward' },
        color: { field: 'defense', type: 'nominal', title: 'defense' },
      },
    },
    config: { axis: { labelFontSize: 11, titleFontSize: 12 }, title: { fontSize: 15 } },
  };
}

/** A vega-lite spec as SVG text (headless; no browser). */
export async function renderSvg(spec: TopLevelSpec): Promise<string> {
  const view = new vega.View(vega.parse(compile(spec).spec), { renderer: 'none' });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}

/** SVG text as PNG bytes, at 2x for readable text. */
export function svgToPng(svg: string): Uint8Array {
  return new Resvg(svg, { fitTo: { mode: 'zoom', value: 2 }, background: 'white' }).render().asPng();
}

export interface PlotOutput {
  files: string[];
  index: string;
}

/** Writes, per group, <key>-reward-vs-lambda.{svg,png} and <key>-episodes.{svg,png}, and index.html. */
export async function writePlots(rows: readonly ResultRow[], outDir: string, sources: readonly string[]): Promise<PlotOutput> {
  ensureDir(outDir);
  const files: string[] = [];
  const sections: string[] = [];
  for (const g of groupForPlots(rows)) {
    const figures: string[] = [];
    for (const [suffix, spec] of [
      ['reward-vs-lambda', rewardVsLambdaSpec(g)],
      ['episodes', episodesSpec(g)],
    ] as const) {
      const svg = await renderSvg(spec);
      const base = `${g.key}-${suffix}`;
      writeFileSync(join(outDir, `${base}.svg`), svg);
      writeFileSync(join(outDir, `${base}.png`), svgToPng(svg));
      files.push(join(outDir, `${base}.svg`), join(outDir, `${base}.png`));
      figures.push(`<figure><img src="${base}.svg" alt="${escapeHtml(suffix)}"><figcaption><a href="${base}.png">PNG</a></figcaption></figure>`);
    }
    sections.push(`<section><h2>${escapeHtml(g.title)}</h2>${figures.join('\n')}\n${summaryTableHtml(g.summaries)}</section>`);
  }
  const index = join(outDir, 'index.html');
  writeFileSync(index, pageHtml(sections, sources));
  return { files, index };
}

function fmt(v: number): string {
  return Number.isFinite(v) ? (Math.round(v * 100) / 100).toString() : '-';
}

function summaryTableHtml(summaries: readonly SettingSummary[]): string {
  const head = '<tr><th>defense</th><th>lambda</th><th>eot</th><th>episodes</th><th>mean reward</th><th>std</th><th>95% CI</th></tr>';
  const body = summaries
    .map((s) => `<tr><td>${escapeHtml(s.defense)}</td><td>${s.lambda}</td><td>${s.eot}</td><td>${s.n}</td><td>${fmt(s.mean)}</td><td>${fmt(s.std)}</td><td>±${fmt(s.ci95)}</td></tr>`)
    .join('\n');
  return `<table>${head}\n${body}</table>`;
}

function pageHtml(sections: readonly string[], sources: readonly string[]): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>sap-rl report</title>
<style>body{font-family:sans-serif;max-width:1100px;margin:2em auto;padding:0 1em}figure{display:inline-block;margin:0 1em 1em 0}
table{border-collapse:collapse;margin:1em 0}td,th{border:1px solid #ccc;padding:.3em .7em;text-align:right}th{background:#f3f3f3}</style></head>
<body><h1>sap-rl report</h1><p>Results: ${sources.map((s) => `<code>${escapeHtml(s)}</code>`).join(', ')}</p>
${sections.join('\n')}
</body></html>
`;
}

function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}
