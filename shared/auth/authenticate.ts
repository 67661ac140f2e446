import { AppError } from '../errors.js';
import { query } from '../db/tx.js';
import type { Authenticator } from '../http/handler.js';
import type { Principal } from '../http/route.js';
import { verifyAccessToken } from './access-token.js';

export const sessionPrincipalSql = { name: 'auth.session-principal', text: `select role, company_ids, permissions from app.session_principal($1::uuid, $2::bigint)` };

const challenge = { 'WWW-Authenticate': 'Bearer error="invalid_token"' };

/**
 * The token verifier every HTTP function uses for private routes. The JWT proves who signed in; one indexed
 * look-up (app.session_principal) then proves the session is still alive, the user and tenant still active,
 * and supplies the current companies and permissions. A revoked session or a deactivated user therefore
 * stops working on the next request, not when the 15-minute token runs out.
 */
export const authenticateAccessToken: Authenticator = async (token) => {
  const claims = await verifyAccessToken(token);
  const { rows } = await query<{ role: string; company_ids: Array<number | string>; permissions: string[] }>(sessionPrincipalSql, [claims.sessionId, claims.userId]);
  const row = rows[0];
  if (!row) throw new AppError('UNAUTHENTICATED', { detail: 'The session has ended', headers: challenge });
  return principalOf(claims.userId, claims.sessionId, row);
};

function principalOf(userId: number, sessionId: string, row: { role: string; company_ids: Array<number | string>; permissions: string[] }): Principal {
  return {
    userId,
    sessionId,
    role: row.role,
    companyIds: row.company_ids.map(Number),
    permissions: new Set(row.permissions),
  };
}
