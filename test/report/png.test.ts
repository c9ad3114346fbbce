import { expect } from 'chai';
import { crc32, inflateSync } from 'node:zlib';
import { encodePng } from '../../src/report/png.js';

describe('encodePng', () => {
  it('writes a valid 8-bit RGB PNG whose pixels decode back', () => {
    const rgb = Uint8Array.from({ length: 3 * 4 * 2 }, (_, i) => (i * 37) & 0xff);
    const png = encodePng(4, 2, rgb);
    expect([...png.subarray(0, 8)]).to.deep.equal([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    const chunks: { type: string; data: Buffer }[] = [];
    for (let at = 8; at < png.length; ) {
      const len = png.readUInt32BE(at);
      const type = png.toString('latin1', at + 4, at + 8);
      const data = png.subarray(at + 8, at + 8 + len);
      expect(png.readUInt32BE(at + 8 + len)).to.equal(crc32(png.subarray(at + 4, at + 8 + len)) >>> 0);
      chunks.push({ type, data });
      at += 12 + len;
    }
    expect(chunks.map((c) => c.type)).to.deep.equal(['IHDR', 'IDAT', 'IEND']);
    const ihdr = chunks[0]!.data;
    expect([ihdr.readUInt32BE(0), ihdr.readUInt32BE(4), ihdr[8], ihdr[9]]).to.deep.equal([4, 2, 8, 2]);
    const raw = inflateSync(chunks[1]!.data);
    expect(raw.length).to.equal(2 * (1 + 12));
    expect([...raw.subarray(1, 13)]).to.deep.equal([...rgb.subarray(0, 12)]);
    expect([...raw.subarray(14, 26)]).to.deep.equal([...rgb.subarray(12, 24)]);
    expect(() => encodePng(4, 2, new Uint8Array(5))).to.throw(RangeError);
  });
});
