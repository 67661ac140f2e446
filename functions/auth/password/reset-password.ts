import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { config } from '../../../shared/config.js';
import { withTransaction, type Tx } from '../../../shared/db/tx.js';
import { emit } from '../../../shared/events/outbox.js';
import { maskDestination } from '../../../shared/mask.js';
import { enforceLimits } from '../../../shared/rate-limit.js';
import { newOpaqueToken } from '../../../shared/auth/opaque-token.js';
import { destinationKey, enforceDestinationCap } from '../../../shared/auth/otp-code.js';
import { channelFor, issueOtp, type OtpView } from '../otp/issue-otp.js';
import { insertDecoy } from '../otp/decoy.repo.js';
import type { OttRecord } from '../../../shared/auth/ott.repo.js';
import { revokeUserSessions } from '../sessions/session.repo.js';
import { findUser } from '../users/user.repo.js';
import { loginSubject } from '../users/subjects.js';
import { insertUserToken } from './user-token.repo.js';
import { setPasswordWithToken } from './token-password.js';

const resettable = new Set(['ACTIVE', 'PENDING_APPROVAL']);

/**
 * Starts a reset: a code goes to the identifier itself (SMS to a phone, email to an address). The answer
 * is the same, after the same minimum time, whether or not an account exists: an unknown identifier gets a
 * decoy code that verifies and resends exactly like a real one and never succeeds. A locked account can reset.
 */
export async function startPasswordReset(o: { identifier: string; ip: string | null }): Promise<OtpView> {
  const started = Date.now();
  try {
    await enforceLimits([
      { name: 'reset:ip', subject: o.ip, windowSeconds: 900, limit: 20 },
      { name: 'reset:identifier', subject: o.identifier, windowSeconds: 3600, limit: 5 },
    ]);
    return await issueResetOtp(o.identifier, o.ip);
  } finally {
    const wait = config().RESET_MIN_RESPONSE_MS - (Date.now() - started);
    if (wait > 0) await sleep(wait);
  }
}

async function issueResetOtp(identifier: string, ip: string | null): Promise<OtpView> {
  const channel = channelFor(identifier);
  const subject = await loginSubject(identifier);
  const user = subject && (await withTransaction({ companyIds: [subject.companyId], userId: subject.userId, ip }, (tx) => findUser(tx, subject.userId)));
  if (!user || !resettable.has(user.status)) {
    const key = await destinationKey(identifier);
    await enforceDestinationCap(key);
    const id = randomUUID();
    const destination = maskDestination(identifier);
    const expiresAt = await insertDecoy({ id, channel, destinationMasked: destination, destinationKey: key, ttlSeconds: config().OTP_TTL_SECONDS });
    return { ottId: id, channel, destination, expiresAt: expiresAt.toISOString() };
  }
  return withTransaction({ companyIds: [user.companyId], userId: user.id, ip }, (tx) =>
    issueOtp(tx, { companyId: user.companyId, userId: user.id, purpose: 'RESET_PASSWORD', channel, destination: identifier, locale: user.locale }),
  );
}

/** RESET_PASSWORD code verified: a single-use reset token, valid for RESET_TOKEN_TTL_SECONDS. */
export async function issueResetToken(tx: Tx, ott: OttRecord): Promise<{ resetToken: string; expiresAt: string }> {
  const token = newOpaqueToken();
  const expiresAt = await insertUserToken(tx, {
    companyId: ott.companyId,
    userId: ott.userId,
    purpose: 'RESET_PASSWORD',
    hash: token.hash,
    ttlSeconds: config().RESET_TOKEN_TTL_SECONDS,
  });
  return { resetToken: token.token, expiresAt: expiresAt.toISOString() };
}

/** Sets the new password with a reset token: the token is spent, the lock cleared, every session revoked. */
export async function finishPasswordReset(o: { resetToken: string; newPassword: string; ip: string | null }): Promise<void> {
  await setPasswordWithToken({
    token: o.resetToken,
    purpose: 'RESET_PASSWORD',
    newPassword: o.newPassword,
    ip: o.ip,
    allowed: () => undefined,
    then: async (tx, user) => {
      await revokeUserSessions(tx, user.id, 'PASSWORD_RESET');
      await passwordChangedEmail(tx, user);
    },
  });
}

export async function passwordChangedEmail(tx: Tx, user: { id: number; companyId: number; email: string; fullname: string; locale: 'id' | 'en' }): Promise<void> {
  await emit(
    tx,
    'email.requested',
    { template: 'PASSWORD_CHANGED', to: user.email, variables: { fullname: user.fullname, at: new Date().toISOString() }, locale: user.locale, entity: { type: 'user', id: String(user.id) } },
    { companyId: user.companyId },
  );
}
