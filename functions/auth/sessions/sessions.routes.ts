import { z } from 'zod';
import { defineRoute } from '../../../shared/http/route.js';
import { AppError } from '../../../shared/errors.js';
import { withTransaction } from '../../../shared/db/tx.js';
import { actorOf, requirePrincipal } from '../../../shared/auth/actor.js';
import { decodeCursor, pageQuery, toPage } from '../../../shared/http/pagination.js';
import { endSession, refreshSession } from './refresh-session.js';
import { listSessions } from './session.repo.js';
import { tokenPairSchema } from './token-pair.js';

export const refreshTokenRoute = defineRoute({
  method: 'POST',
  path: '/auth/refresh-token',
  operationId: 'refreshToken',
  // Public at the gateway: the refresh token is the credential, and the access token is usually expired by now.
  summary: 'Exchange a refresh token for a new pair (rotation; a reused token revokes the whole session)',
  tags: ['Auth'],
  access: 'public',
  body: z.strictObject({ refreshToken: z.string().regex(/^[A-Za-z0-9_-]{43}$/) }),
  errors: ['TOKEN_INVALID', 'REFRESH_REUSED', 'SESSION_EXPIRED', 'ACCOUNT_INACTIVE', 'RATE_LIMITED'],
  response: { status: 200, description: 'A new token pair; the old refresh token is spent', schema: tokenPairSchema },
  handler: async ({ body, ip }) => ({ body: await refreshSession({ refreshToken: body.refreshToken, ip }) }),
});

function logoutRoute(method: 'GET' | 'POST') {
  return defineRoute({
    method,
    path: '/auth/logout',
    operationId: method === 'GET' ? 'logout' : 'logoutPost',
    summary: 'End the current session (its refresh tokens stop working at once)',
    tags: ['Auth'],
    access: 'private',
    permission: 'profile:write',
    ...(method === 'POST' ? { body: z.strictObject({}).optional() } : {}),
    response: { status: 204, description: 'Signed out' },
    handler: async ({ principal, ip }) => {
      const p = requirePrincipal(principal);
      await endSession({ userId: p.userId, sessionId: p.sessionId!, companyIds: p.companyIds, ip, reason: 'LOGOUT' });
      return { status: 204 };
    },
  });
}
export const logoutGetRoute = logoutRoute('GET');
export const logoutPostRoute = logoutRoute('POST');

const session = z.object({
  id: z.uuid(),
  deviceId: z.string(),
  deviceName: z.string().nullable(),
  ip: z.string().nullable(),
  userAgent: z.string().nullable(),
  createdAt: z.string(),
  lastUsedAt: z.string(),
  expiresAt: z.string(),
  current: z.boolean(),
});

export const listSessionsRoute = defineRoute({
  method: 'GET',
  path: '/auth/sessions',
  operationId: 'listSessions',
  summary: "The caller's live sessions, newest first",
  tags: ['Auth'],
  access: 'private',
  permission: 'profile:read',
  query: z.strictObject(pageQuery),
  response: { status: 200, description: 'Live sessions', schema: z.object({ items: z.array(session), nextCursor: z.string().nullable() }) },
  handler: async ({ query, principal, ip }) => {
    const p = requirePrincipal(principal);
    const after = decodeCursor(query.cursor, z.tuple([z.iso.datetime(), z.uuid()]));
    const rows = await withTransaction(actorOf(p, ip), (tx) => listSessions(tx, p.userId, after, query.limit + 1));
    return {
      // The cursor keeps created_at to the microsecond: cut to milliseconds, it would skip sessions started
      // later within the same millisecond as the last one of the page.
      body: toPage(rows, query.limit, (r) => [r.createdAtKey, r.id], ({ createdAtKey: _key, ...r }) => ({
        ...r,
        createdAt: r.createdAt.toISOString(),
        lastUsedAt: r.lastUsedAt.toISOString(),
        expiresAt: r.expiresAt.toISOString(),
        current: r.id === p.sessionId,
      })),
    };
  },
});

export const revokeSessionRoute = defineRoute({
  method: 'DELETE',
  path: '/auth/sessions/{id}',
  operationId: 'revokeSession',
  summary: 'End one of the caller\'s sessions (e.g. a lost phone)',
  tags: ['Auth'],
  access: 'private',
  permission: 'profile:write',
  params: z.strictObject({ id: z.uuid() }),
  errors: ['NOT_FOUND'],
  response: { status: 204, description: 'The session is revoked' },
  handler: async ({ params, principal, ip }) => {
    const p = requirePrincipal(principal);
    const revoked = await endSession({ userId: p.userId, sessionId: params.id, companyIds: p.companyIds, ip, reason: 'REVOKED_BY_USER' });
    if (!revoked) throw new AppError('NOT_FOUND', { detail: 'No live session with this id' });
    return { status: 204 };
  },
});
