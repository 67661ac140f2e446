import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

/**
 * HMAC-SHA256 signatures with a timestamp, both ways: our calls to Bib (`X-Partner-Signature`) and Bib's webhook
 * calls to us (`Bib-Signature`). Header format: `t=<unix seconds>,v1=<hex>`; several `v1` values may be given
 * while a secret is rotated. What is signed is `<t>.<payload>`, so a captured signature cannot be replayed
 * with another timestamp, and the receiver refuses timestamps outside its tolerance.
 */
export const signatureToleranceSeconds = 300;

export function hmacHex(secret: string, t: number, payload: string | Buffer): string {
  return createHmac('sha256', secret).update(`${t}.`).update(payload).digest('hex');
}

export function signatureHeader(secret: string, payload: string | Buffer, t = Math.floor(Date.now() / 1000)): string {
  return `t=${t},v1=${hmacHex(secret, t, payload)}`;
}

/** The payload of a signed request to Bib: method, path with query, and the SHA-256 of the body. */
export function requestPayload(method: string, pathWithQuery: string, body: string | Buffer = ''): string {
  return `${method.toUpperCase()}.${pathWithQuery}.${createHash('sha256').update(body).digest('hex')}`;
}

export type SignatureCheck = { ok: true; t: number } | { ok: false; reason: 'missing' | 'malformed' | 'stale' | 'mismatch' };

export interface VerifyOptions {
  header: string | undefined;
  payload: string | Buffer;
  /** Every secret currently accepted (the new one first while rotating). */
  secrets: readonly string[];
  nowSeconds?: number;
  toleranceSeconds?: number;
}

export function verifySignature(o: VerifyOptions): SignatureCheck {
  if (!o.header) return { ok: false, reason: 'missing' };
  let t: number | undefined;
  const given: Buffer[] = [];
  for (const part of o.header.split(',')) {
    const [k, v] = part.trim().split('=', 2);
    if (k === 't' && v && /^\d{1,12}$/.test(v)) t = Number(v);
    else if (k === 'v1' && v && /^[0-9a-f]{64}$/.test(v)) given.push(Buffer.from(v, 'hex'));
  }
  if (t === undefined || given.length === 0) return { ok: false, reason: 'malformed' };
  const now = o.nowSeconds ?? Math.floor(Date.now() / 1000);
  if (Math.abs(now - t) > (o.toleranceSeconds ?? signatureToleranceSeconds)) return { ok: false, reason: 'stale' };
  // Every candidate is compared in constant time; the loop does not stop at the first match.
  let match = false;
  for (const secret of o.secrets) {
    const expected = Buffer.from(hmacHex(secret, t, o.payload), 'hex');
    for (const g of given) if (timingSafeEqual(expected, g)) match = true;
  }
  return match ? { ok: true, t } : { ok: false, reason: 'mismatch' };
}
