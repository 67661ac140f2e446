import { deflateSync } from 'node:zlib';

/** A real PNG of the given size, as a canvas would export it: grey pixels, or a solid `rgb` colour. */
export function pngBytes(width = 600, height = 200, rgb?: readonly [number, number, number]): Buffer {
  const chunk = (type: string, data: Buffer) => {
    const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
    const out = Buffer.alloc(12 + data.length);
    out.writeUInt32BE(data.length, 0);
    body.copy(out, 4);
    out.writeUInt32BE(crc32(body), 8 + data.length);
    return out;
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr.set([8, rgb ? 2 : 0, 0, 0, 0], 8); // 8-bit RGB or greyscale, no interlace
  const pixel = Buffer.from(rgb ?? [0x80]);
  const row = Buffer.concat([Buffer.from([0]), Buffer.alloc(width * pixel.length, pixel)]);
  const rows = Buffer.concat(Array.from({ length: height }, () => row));
  const signature = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  return Buffer.concat([signature, chunk('IHDR', ihdr), chunk('IDAT', deflateSync(rows)), chunk('IEND', Buffer.alloc(0))]);
}

export const pngDataUrl = (png = pngBytes()) => `data:image/png;base64,${png.toString('base64')}`;

function crc32(buf: Buffer): number {
  let c = ~0;
  for (const byte of buf) {
    c ^= byte;
    for (let k = 0; k < 8; k++) c = (c >>> 1) ^ (0xedb88320 & -(c & 1));
  }
  return ~c >>> 0;
}
