import { createHash, randomBytes } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import { cookieValue } from '../../../shared/http/cookies.js';

/**
 * The browser session of an investor page: a random id in an httpOnly, SameSite=Strict cookie that the page
 * sets. A step-up code is bound to the hash of this id (auth_ott.device_id), so a forwarded link, opened in
 * another browser, cannot use a code requested here, and a code read off this phone is useless elsewhere.
 */
export const linkSessionCookie = 'rmtools_link';
const maxAgeSeconds = 24 * 3600;

const validId = (id: string | undefined): id is string => id !== undefined && /^[A-Za-z0-9_-]{43}$/.test(id);

/** What auth_ott.device_id holds for a code bound to this browser session. */
export function linkSessionDevice(id: string): string {
  return `link:${createHash('sha256').update(id).digest('base64url')}`;
}

/** The request's session binding, or undefined when the browser sent no (valid) session cookie. */
export function linkSessionOf(headers: IncomingHttpHeaders): string | undefined {
  const id = cookieValue(headers.cookie, linkSessionCookie);
  return validId(id) ? linkSessionDevice(id) : undefined;
}

/** The page keeps an existing session and starts one otherwise; `cookie` is the Set-Cookie to send, if any. */
export function ensureLinkSession(headers: IncomingHttpHeaders): { cookie?: string } {
  if (validId(cookieValue(headers.cookie, linkSessionCookie))) return {};
  const id = randomBytes(32).toString('base64url');
  return { cookie: `${linkSessionCookie}=${id}; Path=/crm/; Max-Age=${maxAgeSeconds}; HttpOnly; Secure; SameSite=Strict` };
}
