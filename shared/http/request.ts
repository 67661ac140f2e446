import { isIP } from 'node:net';
import type { Request } from '@google-cloud/functions-framework';

/**
 * The caller's access token. Behind API Gateway the client's `Authorization` arrives as
 * `X-Forwarded-Authorization` (the gateway puts its own identity token in `Authorization` to call the
 * function), so that header wins when we run behind the gateway.
 */
export function bearerToken(req: Request, behindGateway: boolean): string | undefined {
  const header = (behindGateway && req.get('x-forwarded-authorization')) || req.get('authorization');
  if (!header) return undefined;
  const match = /^Bearer\s+([A-Za-z0-9._~+/-]+=*)$/i.exec(header.trim());
  return match?.[1];
}

/**
 * The client's address: the right-most X-Forwarded-For entry, which the nearest proxy we trust (Google's
 * front end, or the local gateway) appended. Entries further left are whatever the client sent.
 */
export function clientIp(req: Request): string | null {
  const forwarded = req.get('x-forwarded-for');
  const candidate = forwarded ? forwarded.split(',').at(-1)?.trim() : req.socket.remoteAddress;
  if (!candidate) return null;
  const plain = candidate.startsWith('::ffff:') ? candidate.slice(7) : candidate;
  return isIP(plain) ? plain : null;
}
