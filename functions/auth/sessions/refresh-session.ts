import { config } from '../../../shared/config.js';
import { AppError } from '../../../shared/errors.js';
import { withTransaction } from '../../../shared/db/tx.js';
import { hashOpaqueToken } from '../../../shared/auth/opaque-token.js';
import { enforceLimits } from '../../../shared/rate-limit.js';
import { findUser } from '../users/user.repo.js';
import { refreshSubject } from '../users/subjects.js';
import { assertCanSignIn } from '../users/account-state.js';
import { findRefreshToken, markRefreshTokenUsed, revokeSession, touchSession } from './session.repo.js';
import { tokensFor, type TokenPair } from './token-pair.js';

/**
 * Refresh-token rotation with reuse detection. Every use spends the token and hands out the next one of the
 * family. Presenting a spent token means two parties hold the family (one of them stole it), so the whole
 * session is revoked and both must sign in again. A session also ends at its absolute lifetime
 * (SESSION_MAX_DAYS) and after SESSION_IDLE_DAYS without a refresh.
 */
export async function refreshSession(o: { refreshToken: string; ip: string | null }): Promise<TokenPair> {
  await enforceLimits([{ name: 'refresh:ip', subject: o.ip, windowSeconds: 60, limit: 120 }]);
  const hash = hashOpaqueToken(o.refreshToken);
  const subject = await refreshSubject(hash);
  if (!subject) throw new AppError('TOKEN_INVALID', { detail: 'Unknown refresh token' });
  const outcome = await withTransaction({ companyIds: [subject.companyId], userId: subject.userId, ip: o.ip }, async (tx) => {
    const found = await findRefreshToken(tx, hash, config().SESSION_IDLE_DAYS);
    if (!found) return { error: new AppError('TOKEN_INVALID', { detail: 'Unknown refresh token' }) };
    if (found.revokedAt) {
      return { error: new AppError(found.revokedReason === 'REFRESH_REUSED' ? 'REFRESH_REUSED' : 'SESSION_EXPIRED') };
    }
    if (found.usedAt) {
      await revokeSession(tx, found.sessionId, 'REFRESH_REUSED');
      return { error: new AppError('REFRESH_REUSED') };
    }
    if (found.expired || found.idle) {
      await revokeSession(tx, found.sessionId, 'EXPIRED');
      return { error: new AppError('SESSION_EXPIRED') };
    }
    const user = await findUser(tx, found.userId);
    if (!user) return { error: new AppError('TOKEN_INVALID') };
    assertCanSignIn(user);
    await markRefreshTokenUsed(tx, found.tokenId);
    await touchSession(tx, found.sessionId, o.ip);
    return { tokens: await tokensFor(tx, user, found.sessionId) };
  });
  // Revocations above are committed before the refusal is sent.
  if ('error' in outcome) throw outcome.error;
  return outcome.tokens;
}

export async function endSession(o: { userId: number; sessionId: string; companyIds: readonly number[]; ip: string | null; reason: 'LOGOUT' | 'REVOKED_BY_USER' }): Promise<boolean> {
  return withTransaction({ companyIds: o.companyIds, userId: o.userId, ip: o.ip }, (tx) => revokeSession(tx, o.sessionId, o.reason, o.userId));
}
