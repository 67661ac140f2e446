import { createHash } from 'node:crypto';

/**
 * One text for one value, whoever serialises it: object keys sorted (by UTF-16 code units, as RFC 8785 JCS
 * does) at every depth, no whitespace, strings and numbers as JSON.stringify writes them. The signing
 * evidence hashes this text, so the stored jsonb (which reorders keys) hashes to the same value again.
 * Members whose value is undefined are left out, as JSON does; values JSON cannot carry are refused.
 */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value === 'boolean' || typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new TypeError(`canonicalJson: ${value} has no JSON form`);
    return JSON.stringify(value);
  }
  if (Array.isArray(value)) return `[${value.map((v) => canonicalJson(v === undefined ? null : v)).join(',')}]`;
  if (typeof value === 'object' && isPlain(value)) {
    const members = Object.keys(value)
      .filter((k) => (value as Record<string, unknown>)[k] !== undefined)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonicalJson((value as Record<string, unknown>)[k])}`);
    return `{${members.join(',')}}`;
  }
  throw new TypeError(`canonicalJson: a ${typeof value === 'object' ? value.constructor?.name : typeof value} has no JSON form`);
}

// A Date or a Buffer would be serialised through toJSON by JSON.stringify; the document holds only plain data.
function isPlain(value: object): boolean {
  const proto = Object.getPrototypeOf(value) as unknown;
  return proto === Object.prototype || proto === null;
}

export function sha256Hex(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}
