// One frame of an episode recording: three panels side by side, each an 84x84 grey frame
// scaled up with nearest neighbour -- the clean frame, the perturbation (agent sees minus
// clean) in a diverging colour map, and what the agent saw -- under a header (the setting
// and the panel titles) and above a caption (step, action, running reward, colour scale).
//
// Pixels are colour ids (see `colourRgb`): 0..255 are the grey levels, exactly as the
// frames hold them; then 2 * DIVERGING_STEPS + 1 colours from blue (the agent saw darker)
// through white (no change) to red (brighter), full colour at |perturbation| >= lambda.
// `toIndexed` turns a composed frame into a GIF's palette and indices.
import { drawText, GLYPH_HEIGHT, textWidth } from './font.js';

export const DIVERGING_STEPS = 32;
const DIVERGING_BASE = 256 + DIVERGING_STEPS; // id of level 0 (white)
export const COLOUR_IDS = 256 + 2 * DIVERGING_STEPS + 1;
const NEGATIVE: readonly number[] = [30, 80, 220];
const POSITIVE: readonly number[] = [220, 30, 30];

const BACKGROUND = 0;
const TEXT = 255;
const TITLE_TEXT = 190;

/** The colour id of level k (-DIVERGING_STEPS..DIVERGING_STEPS) of the diverging map. */
export function divergingId(k: number): number {
  return DIVERGING_BASE + Math.max(-DIVERGING_STEPS, Math.min(DIVERGING_STEPS, k));
}

/** The colour id showing a perturbation of `d` pixel levels when full colour stands for `lambda`. */
export function perturbationId(d: number, lambda: number): number {
  return divergingId(Math.round((d / (lambda > 0 ? lambda : 1)) * DIVERGING_STEPS));
}

/** RGB of a colour id. */
export function colourRgb(id: number): [number, number, number] {
  if (id < 256) return [id, id, id];
  const k = id - DIVERGING_BASE;
  const end = k < 0 ? NEGATIVE : POSITIVE;
  const t = Math.abs(k) / DIVERGING_STEPS;
  return [0, 1, 2].map((c) => Math.round(255 + (end[c]! - 255) * t)) as [number, number, number];
}

/** How many times a perturbation is amplified so that lambda reaches full colour (255 levels). */
export function amplification(lambda: number): number {
  return 255 / (lambda > 0 ? lambda : 1);
}

/** `amplification` as the panel title shows it: whole above 10, else one decimal. */
export function amplificationLabel(lambda: number): string {
  const k = amplification(lambda);
  return String(k >= 10 ? Math.round(k) : Math.round(k * 10) / 10);
}

export interface RecordingHeader {
  /** The first header line, e.g. "sap:1  fgsm lambda 4  perturb stack  episode 0". */
  setting: string;
  /** The attack's lambda: full colour in the perturbation panel. */
  lambda: number;
  /** False when nothing is attacked (attack none or lambda 0): the title says so. */
  attacking: boolean;
}

export interface StepCaption {
  step: number;
  action: string;
  reward: number;
}

const fmt = (v: number): string => (Number.isInteger(v) ? String(v) : String(Math.round(v * 100) / 100));

export const PANEL_TITLES = ['clean', 'perturbation', 'agent sees'] as const;

/** Lays out and draws the frames of one recording. */
export class PanelComposer {
  readonly width: number;
  readonly height: number;
  /** Left edge of each panel (clean, perturbation, agent sees), and their top edge. */
  readonly panelX: readonly number[];
  readonly panelY: number;
  /** Side of a scaled panel. */
  readonly panelSide: number;
  private readonly textScale: number;
  private readonly captionY: number;
  private readonly base: Uint16Array;

  constructor(
    readonly header: RecordingHeader,
    /** Side of the square frames (84). */
    readonly frameSize: number,
    /** Screen pixels per frame pixel. */
    readonly scale = 3,
  ) {
    if (!Number.isInteger(scale) || scale < 1) throw new RangeError(`panel scale must be an integer >= 1, not ${scale}`);
    const ts = (this.textScale = scale >= 3 ? 2 : 1);
    const line = GLYPH_HEIGHT * ts;
    const pad = 3 * ts;
    const side = (this.panelSide = frameSize * scale);
    const gap = 3 * ts;
    this.panelX = [0, 1, 2].map((i) => gap + i * (side + gap));
    this.width = 4 * gap + 3 * side;
    this.panelY = pad + line + pad + line + pad;
    this.captionY = this.panelY + side + pad;
    this.height = this.captionY + line + pad;
    this.base = new Uint16Array(this.width * this.height).fill(BACKGROUND);
    this.drawStatic(pad, line);
  }

  private drawStatic(pad: number, line: number): void {
    const s = this.surface(this.base);
    const ts = this.textScale;
    const { lambda, attacking } = this.header;
    drawText(s, this.header.setting, this.panelX[0]!, pad, TEXT, ts);
    const titles = [
      'clean',
      attacking ? `perturbation x${amplificationLabel(lambda)}` : 'perturbation: none',
      'agent sees',
    ];
    titles.forEach((t, i) => {
      const x = this.panelX[i]! + Math.max(0, Math.floor((this.panelSide - textWidth(t, ts)) / 2));
      drawText(s, t, x, pad + line + pad, TITLE_TEXT, ts);
    });
    if (!attacking) return;
    // the colour scale, in the caption line, flush with the right edge of the last panel
    const lo = `-${fmt(lambda)}`;
    const hi = `+${fmt(lambda)}`;
    const barWidth = 2 * (2 * DIVERGING_STEPS + 1);
    const right = this.panelX[2]! + this.panelSide;
    const hiX = right - textWidth(hi, ts);
    const barX = hiX - 2 * ts - barWidth;
    const loX = barX - 2 * ts - textWidth(lo, ts);
    drawText(s, lo, loX, this.captionY, TEXT, ts);
    drawText(s, hi, hiX, this.captionY, TEXT, ts);
    for (let x = 0; x < barWidth; x++) {
      const id = divergingId(Math.floor(x / 2) - DIVERGING_STEPS);
      for (let y = 0; y < line; y++) this.base[(this.captionY + y) * this.width + barX + x] = id;
    }
  }

  private surface(pixels: Uint16Array) {
    return { width: this.width, height: this.height, pixels };
  }

  /** One frame: `clean` and `seen` are frameSize x frameSize grey frames. */
  compose(clean: Uint8Array, seen: Uint8Array, caption: StepCaption): Uint16Array {
    const n = this.frameSize;
    if (clean.length !== n * n || seen.length !== n * n) throw new RangeError(`frames must be ${n}x${n}`);
    const out = this.base.slice();
    const { lambda } = this.header;
    this.blit(out, 0, (p) => clean[p]!);
    this.blit(out, 1, (p) => perturbationId(seen[p]! - clean[p]!, lambda));
    this.blit(out, 2, (p) => seen[p]!);
    const text = `step ${caption.step}   ${caption.action}   reward ${fmt(caption.reward)}`;
    drawText(this.surface(out), text, this.panelX[0]!, this.captionY, TEXT, this.textScale);
    return out;
  }

  private blit(out: Uint16Array, panel: number, id: (p: number) => number): void {
    const { frameSize: n, scale, width } = this;
    const x0 = this.panelX[panel]!;
    for (let y = 0; y < n; y++) {
      const top = (this.panelY + y * scale) * width + x0;
      for (let x = 0; x < n; x++) {
        const v = id(y * n + x);
        const left = top + x * scale;
        for (let dy = 0; dy < scale; dy++) out.fill(v, left + dy * width, left + dy * width + scale);
      }
    }
  }
}

export interface IndexedFrame {
  index: Uint8Array;
  /** RGB triples, at most 256. */
  palette: [number, number, number][];
}

/**
 * The palette of the colours a frame uses (in id order, each RGB once) and its pixels as
 * indices into it.
 * A frame with more than 256 colours (only possible with nearly every grey level in use)
 * has its grey levels rounded to even values until it fits.
 */
export function toIndexed(ids: Uint16Array): IndexedFrame {
  for (let shift = 0; ; shift++) {
    const map = (id: number): number => (id < 256 && shift > 0 ? Math.min(255, ((id >> shift) << shift) + (1 << (shift - 1))) : id);
    const slot = new Int16Array(COLOUR_IDS).fill(-1);
    const used = new Uint8Array(COLOUR_IDS);
    for (let i = 0; i < ids.length; i++) used[ids[i]!] = 1;
    const palette: [number, number, number][] = [];
    const byColour = new Map<number, number>();
    for (let id = 0; id < COLOUR_IDS; id++) {
      if (!used[id]) continue;
      const rgb = colourRgb(map(id));
      const key = (rgb[0] << 16) | (rgb[1] << 8) | rgb[2];
      let s = byColour.get(key);
      if (s === undefined) {
        s = palette.length;
        byColour.set(key, s);
        palette.push(rgb);
      }
      slot[id] = s;
    }
    if (palette.length > 256) continue;
    const index = new Uint8Array(ids.length);
    for (let i = 0; i < ids.length; i++) index[i] = slot[ids[i]!]!;
    return { index, palette };
  }
}
