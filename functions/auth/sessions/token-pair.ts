import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { config } from '../../../shared/config.js';
import type { Tx } from '../../../shared/db/tx.js';
import { signAccessToken } from '../../../shared/auth/access-token.js';
import { newOpaqueToken } from '../../../shared/auth/opaque-token.js';
import type { UserRecord } from '../users/user.repo.js';
import { userSchema, userView } from '../users/user.view.js';
import { insertRefreshToken, insertSession } from './session.repo.js';

/** <token pair> of API.md. */
export const tokenPairSchema = z.object({
  accessToken: z.string(),
  refreshToken: z.string(),
  tokenType: z.literal('Bearer'),
  expiresIn: z.number().int(),
  user: userSchema,
});
export type TokenPair = z.infer<typeof tokenPairSchema>;

export interface SignInContext {
  deviceId: string;
  ip: string | null;
  userAgent: string | null;
}

/** Tokens for a session: the access JWT and the refresh token (only its hash is stored). */
export async function tokensFor(tx: Tx, user: UserRecord, sessionId: string): Promise<TokenPair> {
  const refresh = newOpaqueToken();
  await insertRefreshToken(tx, user.companyId, sessionId, refresh.hash);
  const access = await signAccessToken({ userId: user.id, sessionId, role: user.role });
  return { accessToken: access.token, refreshToken: refresh.token, tokenType: 'Bearer', expiresIn: access.expiresIn, user: userView(user) };
}

/**
 * Completes a sign-in: a new session (refresh-token family) on this device, the login recorded (the
 * login-log trigger writes the OK row with the device and IP) and the failure counter cleared.
 */
export async function startSession(tx: Tx, user: UserRecord, ctx: SignInContext): Promise<TokenPair> {
  const sessionId = randomUUID();
  await insertSession(tx, {
    id: sessionId,
    companyId: user.companyId,
    userId: user.id,
    deviceId: ctx.deviceId,
    ip: ctx.ip,
    userAgent: ctx.userAgent,
    maxDays: config().SESSION_MAX_DAYS,
  });
  await tx.query(`select set_config('app.device_id', $1::text, true)`, [ctx.deviceId]);
  await tx.query(`update auth_user set last_login = now(), login_fail_count = 0, locked_until = null where id = $1::bigint`, [user.id]);
  return tokensFor(tx, user, sessionId);
}
