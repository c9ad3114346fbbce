// Types for the parts of gifenc (https://github.com/mattdesl/gifenc, no types of its own) that sap-rl uses.
declare module 'gifenc' {
  export interface GifFrameOptions {
    /** RGB triples; the first frame's becomes the global colour table, a later frame's a local one. */
    palette?: number[][] | null;
    /** Milliseconds (stored in hundredths of a second). */
    delay?: number;
    /** -1 = play once, 0 = loop forever, n = loop n more times (first frame only). */
    repeat?: number;
    /** Manual mode: this frame writes the logical screen descriptor and global colour table. */
    first?: boolean;
    transparent?: boolean;
    transparentIndex?: number;
    colorDepth?: number;
    dispose?: number;
  }
  export interface GifEncoder {
    writeHeader(): void;
    writeFrame(index: Uint8Array, width: number, height: number, options?: GifFrameOptions): void;
    finish(): void;
    /** The bytes written since the last reset (a view, valid until the next write). */
    bytesView(): Uint8Array;
    bytes(): Uint8Array;
    reset(): void;
  }
  const gifenc: {
    GIFEncoder(options?: { auto?: boolean; initialCapacity?: number }): GifEncoder;
  };
  export default gifenc;
}
