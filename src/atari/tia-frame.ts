/**
 * The TIA's frame timing in ALE 0.12.1's model (src/ale/emucore/TIA.cxx): where the beam
 * is, what has been drawn, when a frame starts and ends, and the lazy drawing that
 * catches the picture up with the beam (the register side is in tia.ts).
 *
 * Facts it follows (colour clocks, 3 per CPU cycle, 228 per line, counted from the
 * frame start clock):
 * - Only lines yStart .. yStart+height-1 are drawn, 160 pixels a line after 68 clocks of
 *   horizontal blank. Drawing proceeds line by line up to the clock asked for; the
 *   line-end bookkeeping (endOfLine) runs when drawing crosses into the next line, and
 *   is put off when a draw stops exactly at a line end; lines outside the drawn window
 *   get none.
 * - A frame call starts a new frame unless the last one was cut short; a new frame swaps
 *   the two buffers (only a reset clears them, so lines a short frame does not reach keep
 *   older pixels), keeps the beam's position within its line (the frame starts that many
 *   clocks "early"), and resets the system cycle counter.
 * - A frame cut short by the instruction budget is "greyed" from the current line down
 *   ((pixel & 15) >> 1) once, and the next frame call continues it.
 * - HMOVE blank: while it is on, every drawn part of a line that starts in the first 76
 *   clocks zeroes the bytes from its start to pixel 7 (76 - start clock bytes) and turns
 *   it off once it reaches pixel 8.
 * - The model draws up to every register access; accesses that change nothing drawn may
 *   skip that, as drawing later with the same state gives the same pixels. What is owed
 *   is drawn by the next access that needs it, and the span boundaries the model would
 *   have made are kept for the one place they show (finishLastSpan).
 */
import type { Cpu6502 } from './cpu.js';
import { BUFFER_WIDTH, TiaDrawing } from './tia-draw.js';

export const LINE_CLOCKS = 228;
export const HBLANK_CLOCKS = 68;
export const NO_CLOCK = -0x7fffffff;

/** What the TIA needs from the machine around it. */
export interface TiaHost {
  readonly cpu: Cpu6502;
  /** The last byte the CPU read or wrote. */
  readonly dataBus: number;
  /** Whether the CPU's access before the current one was a read (WSYNC halts only then). */
  readonly lastAccessWasRead: boolean;
  /** Tell every device the cycle counter goes back to 0, then reset it (System::resetCycles). */
  resetCycles(): void;
}

export abstract class TiaFrame extends TiaDrawing {
  protected readonly cpu: Cpu6502;
  // ---- frame timing (colour clocks, int32, relative to the system cycle counter * 3)
  protected clockWhenFrameStarted = 0;
  private clockStartDisplay = 0;
  private clockStopDisplay = 0;
  private clockAtLastUpdate = 0;
  private clocksToEndOfLine = LINE_CLOCKS;
  private startDisplayOffset = 0;
  private stopDisplayOffset = 0;
  protected scanlineCountLastFrame = 0;
  private currentScanline = 0;
  /** The frame in progress was cut short (instruction budget); the next update continues it. */
  partialFrame = false;
  private frameGreyed = false;
  /** Frames completed. */
  frameCounter = 0;
  /** First drawn line (Display.YStart) and number of drawn lines (Display.Height). */
  yStart = 34;
  height = 210;
  /** PAL colour loss: the colour registers' low bit follows the last frame's line count parity. */
  protected colourLoss = false;
  /** The HMOVE blank is on (see the class comment). */
  protected hmoveBlank = false;
  /** Colour clock at which the last span drawn ends, and of the last access that skipped drawing. */
  private lastSpanEndClock = 0;
  private splitClock = NO_CLOCK;
  /** The furthest clock a skipped access would have drawn to (NO_CLOCK when none is owed). */
  private owedDraw = NO_CLOCK;
  /** Buffer index up to which the HMOVE blank zeroes pixels not drawn yet (0 = none). */
  private blankAhead = 0;

  constructor(protected readonly host: TiaHost) {
    super();
    this.cpu = host.cpu;
  }

  /** Line-end bookkeeping of the register side (player masks, reflection, Cosmic Ark). */
  protected abstract endOfLine(): void;

  /** Forget owed draws and pending blanks (reset). */
  protected resetDrawing(): void {
    this.owedDraw = this.splitClock = NO_CLOCK;
    this.blankAhead = 0;
    this.hmoveBlank = false;
  }

  /** Clears the picture and starts frame timing at the current clock (TIA reset). */
  protected frameReset(yStart: number, height: number): void {
    this.clearBuffers();
    this.framePointer = 0;
    this.yStart = yStart;
    this.height = height;
    this.startDisplayOffset = LINE_CLOCKS * this.yStart;
    this.stopDisplayOffset = this.startDisplayOffset + LINE_CLOCKS * this.height;
    const now = (this.cpu.cycles * 3) | 0;
    this.clockWhenFrameStarted = now;
    this.clockStartDisplay = now + this.startDisplayOffset;
    this.clockStopDisplay = now + this.stopDisplayOffset;
    this.clockAtLastUpdate = now;
    this.clocksToEndOfLine = LINE_CLOCKS;
    this.scanlineCountLastFrame = 0;
    this.currentScanline = 0;
  }

  /** Lines of the picture (Display.Height, at least 200). */
  get frameHeight(): number {
    return this.height < 200 ? 200 : this.height;
  }

  /** The system cycle counter goes back to 0 from `cycles`: move every remembered clock. */
  cyclesReset(cycles: number): void {
    const clocks = (cycles * 3) | 0;
    this.clockWhenFrameStarted = (this.clockWhenFrameStarted - clocks) | 0;
    this.clockStartDisplay = (this.clockStartDisplay - clocks) | 0;
    this.clockStopDisplay = (this.clockStopDisplay - clocks) | 0;
    this.clockAtLastUpdate = (this.clockAtLastUpdate - clocks) | 0;
    this.lastSpanEndClock = (this.lastSpanEndClock - clocks) | 0;
    this.splitClock = Math.max(NO_CLOCK, this.splitClock - clocks);
    this.owedDraw = Math.max(NO_CLOCK, this.owedDraw - clocks);
  }

  // ------------------------------------------------------------------ frames

  /** Start of a frame call: a new frame unless the last one was cut short. */
  beginUpdate(): void {
    if (!this.partialFrame) this.startFrame();
    this.partialFrame = true;
  }

  /** End of a frame call, after the CPU ran. */
  endUpdate(): void {
    this.currentScanline = this.scanlines();
    if (this.partialFrame) {
      if (this.owedDraw !== NO_CLOCK) this.drawTo(NO_CLOCK);
      if (this.blankAhead > this.framePointer) this.current.fill(0, this.framePointer, this.blankAhead);
      this.blankAhead = 0;
      if (!this.frameGreyed) this.greyOutFrame();
      this.frameGreyed = true;
    } else {
      this.scanlineCountLastFrame = this.currentScanline;
      this.frameCounter++;
      this.frameGreyed = false;
    }
  }

  /** Lines since the frame start. */
  scanlines(): number {
    const total = (this.cpu.cycles * 3 - this.clockWhenFrameStarted) >>> 0;
    return Math.floor(total / LINE_CLOCKS);
  }

  private startFrame(): void {
    this.swapBuffers();
    const clocks = ((this.cpu.cycles * 3 - this.clockWhenFrameStarted) >>> 0) % LINE_CLOCKS;
    this.host.resetCycles();
    this.clockWhenFrameStarted = -clocks;
    this.clockStartDisplay = this.clockWhenFrameStarted + this.startDisplayOffset;
    this.clockStopDisplay = this.clockWhenFrameStarted + this.stopDisplayOffset;
    this.clockAtLastUpdate = this.clockStartDisplay;
    this.clocksToEndOfLine = LINE_CLOCKS;
    this.framePointer = 0;
    if (this.colourLoss) {
      const c = this.colours;
      const odd = this.scanlineCountLastFrame & 1;
      for (let i = 0; i < 4; i++) c[i] = odd ? c[i]! | 1 : c[i]! & 0xfe;
    }
    this.frameGreyed = false;
  }

  private greyOutFrame(): void {
    let line = this.scanlines();
    if (line < this.yStart) line = this.yStart;
    const buf = this.current;
    for (let s = line; s < this.height + this.yStart; s++) {
      const row = (s - this.yStart) * BUFFER_WIDTH;
      for (let i = row; i < row + BUFFER_WIDTH; i++) buf[i] = (buf[i]! & 0x0f) >> 1;
    }
  }

  // ------------------------------------------------------------------ drawing

  protected updateFrame(clock: number): void {
    if (clock < this.clockStartDisplay || this.clockAtLastUpdate >= this.clockStopDisplay || this.clockAtLastUpdate >= clock) {
      return;
    }
    if (clock > this.clockStopDisplay) clock = this.clockStopDisplay;
    do {
      let count: number;
      let fromLineStart = LINE_CLOCKS - this.clocksToEndOfLine;
      if (clock > this.clockAtLastUpdate + this.clocksToEndOfLine) {
        count = this.clocksToEndOfLine;
        this.clocksToEndOfLine = LINE_CLOCKS;
        this.clockAtLastUpdate += count;
      } else {
        count = clock - this.clockAtLastUpdate;
        this.clocksToEndOfLine -= count;
        this.clockAtLastUpdate = clock;
      }
      if (fromLineStart < HBLANK_CLOCKS) {
        const skip = HBLANK_CLOCKS - fromLineStart < count ? HBLANK_CLOCKS - fromLineStart : count;
        fromLineStart += skip;
        count -= skip;
      }
      const lineStartPointer = this.framePointer;
      if (count !== 0) {
        this.drawSpan(count, fromLineStart - HBLANK_CLOCKS);
        this.lastSpanEndClock = this.clockAtLastUpdate;
      }
      if (this.hmoveBlank && fromLineStart < HBLANK_CLOCKS + 8) {
        // The model zeroes 76 - (clock in line) bytes from where this part started: the
        // drawn ones now, the ones beyond (not drawn yet) only matter if the frame ends
        // before they are drawn, so that is remembered (blankAhead) and done then.
        const zeroEnd = lineStartPointer + HBLANK_CLOCKS + 8 - fromLineStart;
        const drawnEnd = this.framePointer < zeroEnd ? this.framePointer : zeroEnd;
        const out = this.current;
        for (let i = lineStartPointer; i < drawnEnd; i++) out[i] = 0;
        if (zeroEnd > this.blankAhead) this.blankAhead = zeroEnd;
        if (count + fromLineStart >= HBLANK_CLOCKS + 8) this.hmoveBlank = false;
      }
      if (this.clocksToEndOfLine === LINE_CLOCKS) this.endOfLine();
    } while (this.clockAtLastUpdate < clock);
  }

  /**
   * The frame ends right after the span drawn by this write: add the model's 4-pixel-write
   * artefact of that span (TiaDrawing.overshoot). Reads and writes that change nothing
   * drawn are not drawn up to here, but the model splits spans at them: the span counts
   * as starting at the last such point inside it.
   */
  protected finishLastSpan(): void {
    if (this.blankAhead > this.framePointer) this.current.fill(0, this.framePointer, this.blankAhead);
    this.blankAhead = 0;
    if (this.lastSpanStart < 0) return;
    const end = this.framePointer;
    let start = this.lastSpanStart;
    const startClock = this.lastSpanEndClock - (end - start);
    if (this.splitClock > startClock && this.splitClock < this.lastSpanEndClock) start += this.splitClock - startClock;
    if (this.lastSpanLineEnd & 3 && !(this.vblank & 2) && this.enabled !== 0) this.overshoot(start, end, this.lastSpanLineEnd);
    this.lastSpanStart = -1;
  }

  /**
   * An access that changes nothing drawn: the model would draw up to `clock` here. The
   * draw is owed (done by the next access that needs one, with the same state), and the
   * span boundary it would have made is remembered for finishLastSpan.
   */
  protected skipDraw(clock: number): void {
    this.splitClock = clock;
    if (clock > this.owedDraw) this.owedDraw = clock;
  }

  /** Draws up to `clock`, or further when a skipped access owes a draw beyond it. */
  protected drawTo(clock: number): void {
    const owed = this.owedDraw;
    this.owedDraw = NO_CLOCK;
    this.updateFrame(owed > clock ? owed : clock);
  }

  /** Colour clock within the line (clocks since the frame start are never negative). */
  protected lineClock(clock: number): number {
    return ((clock - this.clockWhenFrameStarted) | 0) % LINE_CLOCKS;
  }
}
