import { strict as assert } from 'node:assert';
import { pngBytes, pngDataUrl } from '../../../test/support/png.js';
import { maxSignatureBytes, readSignaturePng } from './signature-png.js';

/** The drawn signature's data URL: a PNG of sane size, or a message for the 400. */
describe('signatures: readSignaturePng', () => {
  const dataUrl = (bytes: Buffer) => `data:image/png;base64,${bytes.toString('base64')}`;
  /** A valid PNG header padded with bytes to `size`: only the header is read. */
  const padded = (size: number) => Buffer.concat([pngBytes(300, 100), Buffer.alloc(size - pngBytes(300, 100).length, 1)]);

  const accepted: Array<[string, string, number, number]> = [
    ['a canvas export', pngDataUrl(pngBytes(600, 200)), 600, 200],
    ['the smallest sane pad', pngDataUrl(pngBytes(16, 16)), 16, 16],
    ['the largest sane pad', pngDataUrl(pngBytes(4096, 16)), 4096, 16],
    ['exactly 300 KB', dataUrl(padded(maxSignatureBytes)), 300, 100],
  ];
  for (const [name, url, width, height] of accepted) {
    it(`accepts ${name}`, () => {
      const read = readSignaturePng(url);
      assert.ok(read.ok, JSON.stringify(read));
      assert.equal(read.width, width);
      assert.equal(read.height, height);
    });
  }

  const jpeg = Buffer.from([0xff, 0xd8, 0xff, 0xe0, ...Array.from({ length: 40 }, () => 0)]);
  const withIhdr = (mutate: (b: Buffer) => void) => {
    const b = pngBytes(100, 50);
    mutate(b);
    return dataUrl(b);
  };
  const refused: Array<[string, string, RegExp]> = [
    ['another media type', `data:image/jpeg;base64,${jpeg.toString('base64')}`, /PNG data URL/],
    ['a URL', 'https://example.test/sig.png', /PNG data URL/],
    ['base64url characters', pngDataUrl().replace(/.{4}$/, '-_-_'), /base64/],
    ['a space in the base64', pngDataUrl().replace(/^(.{40})/, '$1 '), /base64/],
    ['missing padding', pngDataUrl().slice(0, -1), /base64/],
    ['a JPEG', dataUrl(jpeg), /Not a PNG/],
    ['the PNG signature alone', dataUrl(pngBytes().subarray(0, 8)), /Not a PNG/],
    ['no IHDR first', withIhdr((b) => b.write('IDAT', 12, 'latin1')), /IHDR/],
    ['a width of 0', withIhdr((b) => b.writeUInt32BE(0, 16)), /pixels/],
    ['a height of 15', withIhdr((b) => b.writeUInt32BE(15, 20)), /pixels/],
    ['a width of 100000', withIhdr((b) => b.writeUInt32BE(100_000, 16)), /pixels/],
    ['one byte over 300 KB', dataUrl(padded(maxSignatureBytes + 1)), /300 KB/],
    ['an empty image', 'data:image/png;base64,', /Not a PNG/],
  ];
  for (const [name, url, message] of refused) {
    it(`refuses ${name}`, () => {
      const read = readSignaturePng(url);
      assert.equal(read.ok, false);
      assert.match((read as { message: string }).message, message);
    });
  }
});
