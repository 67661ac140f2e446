/**
 * The drawn signature as the page sends it: canvas.toDataURL('image/png'). Only a real PNG is kept: the
 * data URL's prefix, strict base64, at most 300 KB decoded, the PNG signature bytes and an IHDR chunk first
 * with a width and height a signature pad can have. Nothing else of the image is interpreted here; it is
 * stored as received and only ever served back as image/png.
 */
export const maxSignatureBytes = 300 * 1024;
export const signaturePixels = { min: 16, max: 4096 } as const;

const prefix = 'data:image/png;base64,';
const pngSignature = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
/** The longest data URL that can decode to maxSignatureBytes: checked before decoding anything. */
export const maxSignatureDataUrlChars = prefix.length + Math.ceil(maxSignatureBytes / 3) * 4;

export type SignatureRead = { ok: true; png: Buffer; width: number; height: number } | { ok: false; message: string };

export function readSignaturePng(dataUrl: string): SignatureRead {
  const fail = (message: string): SignatureRead => ({ ok: false, message });
  if (!dataUrl.startsWith(prefix)) return fail(`A PNG data URL (${prefix}…)`);
  const base64 = dataUrl.slice(prefix.length);
  if (dataUrl.length > maxSignatureDataUrlChars) return fail(`At most ${maxSignatureBytes / 1024} KB`);
  // Buffer.from skips characters it does not know: check the alphabet and padding first.
  if (base64.length % 4 !== 0 || !/^[A-Za-z0-9+/]*={0,2}$/.test(base64)) return fail('Not valid base64');
  const png = Buffer.from(base64, 'base64');
  if (png.length > maxSignatureBytes) return fail(`At most ${maxSignatureBytes / 1024} KB`);
  // Signature (8 bytes), then IHDR: length 13, type, width, height (big-endian).
  if (png.length < 33 || !png.subarray(0, 8).equals(pngSignature)) return fail('Not a PNG image');
  if (png.readUInt32BE(8) !== 13 || png.toString('latin1', 12, 16) !== 'IHDR') return fail('Not a PNG image (no IHDR header)');
  const width = png.readUInt32BE(16);
  const height = png.readUInt32BE(20);
  const sane = (n: number) => n >= signaturePixels.min && n <= signaturePixels.max;
  if (!sane(width) || !sane(height)) return fail(`A signature of ${signaturePixels.min} to ${signaturePixels.max} pixels a side`);
  return { ok: true, png, width, height };
}
