import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { Request } from '@google-cloud/functions-framework';
import { keyedHash } from '../crypto/encryption.js';
import { AppError } from '../errors.js';
import { config } from '../config.js';
import { cookieValue } from './cookies.js';

/**
 * Signed double-submit CSRF tokens (OWASP) for browser callers of public POSTs. GET /auth/csrf sets the
 * token as an httpOnly SameSite=Strict cookie and returns it in the body; the page sends it back in
 * X-CSRF-Token. The token is required from requests that carry cookies (a browser context with ambient
 * credentials, such as the investor pages) or come from an Origin outside CORS_ORIGINS. The web apps listed
 * in CORS_ORIGINS are protected by CORS itself (JSON bodies force a preflight); native apps send neither
 * header and are not exposed to CSRF.
 */
export const csrfCookie = 'rmtools_csrf';
export const csrfHeader = 'x-csrf-token';
const maxAgeSeconds = 2 * 3600;

export async function issueCsrfToken(): Promise<{ token: string; cookie: string; expiresAt: string }> {
  const nonce = randomBytes(24).toString('base64url');
  const expires = Math.floor(Date.now() / 1000) + maxAgeSeconds;
  const payload = `${nonce}.${expires}`;
  const token = `${payload}.${await keyedHash(payload, 'csrf')}`;
  return {
    token,
    cookie: `${csrfCookie}=${token}; Path=/; Max-Age=${maxAgeSeconds}; HttpOnly; Secure; SameSite=Strict`,
    expiresAt: new Date(expires * 1000).toISOString(),
  };
}

async function validToken(token: string): Promise<boolean> {
  const [nonce, expires, mac] = token.split('.');
  if (!nonce || !expires || !mac || !/^\d+$/.test(expires) || Number(expires) * 1000 < Date.now()) return false;
  const expected = Buffer.from(await keyedHash(`${nonce}.${expires}`, 'csrf'));
  const given = Buffer.from(mac);
  return expected.length === given.length && timingSafeEqual(expected, given);
}

/**
 * Constant-time equality of two header values. Lengths are compared in bytes: header bytes above 0x7F arrive
 * as latin1 characters that take two bytes in UTF-8, and timingSafeEqual throws on buffers of unequal length.
 */
function sameBytes(a: string, b: string | undefined): boolean {
  if (b === undefined) return false;
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

export async function checkCsrf(req: Request): Promise<void> {
  const origin = req.get('origin');
  const exposed = req.get('cookie') !== undefined || (origin !== undefined && !config().CORS_ORIGINS.includes(origin));
  if (!exposed) return;
  const header = req.get(csrfHeader);
  const cookie = cookieValue(req.get('cookie'), csrfCookie);
  if (header === undefined || !sameBytes(header, cookie) || !(await validToken(header))) {
    throw new AppError('CSRF_FAILED', { detail: `Send the token of GET /auth/csrf in ${csrfHeader}` });
  }
}
