import { randomUUID } from 'node:crypto';
import { config } from '../../../shared/config.js';
import { AppError } from '../../../shared/errors.js';
import { systemActor, withTransaction } from '../../../shared/db/tx.js';
import { enforceLimits } from '../../../shared/rate-limit.js';
import { ottSubject } from '../users/subjects.js';
import { enforceDestinationCap } from '../../../shared/auth/otp-code.js';
import { issueOtp, type OtpView } from './issue-otp.js';
import { expireDecoy, findDecoy, insertDecoy, latestDecoyAt } from './decoy.repo.js';
import { authOtpPurposes, findOtt, latestIssuedAt, supersedeOtt } from '../../../shared/auth/ott.repo.js';

/**
 * Seconds left of the resend cooldown (0 when a resend is allowed). It runs from the newest code of the
 * chain, not from the one named: resending an already replaced code must not skip the wait.
 */
function cooldownLeft(...issuedAt: Array<Date | undefined>): number {
  const newest = Math.max(...issuedAt.map((d) => d?.getTime() ?? 0));
  return Math.ceil((newest + config().OTP_RESEND_COOLDOWN_SECONDS * 1000 - Date.now()) / 1000);
}

function tooSoon(seconds: number): AppError {
  return new AppError('RATE_LIMITED', { detail: 'Wait before asking for another code', headers: { 'Retry-After': String(seconds) }, extra: { retryAfter: seconds } });
}

/**
 * A fresh code for the same purpose, destination and device under a new id; the old code stops working.
 * Not within the cooldown after the previous code, and never past the destination's hourly cap. An expired
 * or exhausted code may be resent; a used one may not.
 */
export async function resendOtp(o: { ottId: string; ip: string | null }): Promise<OtpView> {
  await enforceLimits([{ name: 'resend-otp:ip', subject: o.ip, windowSeconds: 3600, limit: 30 }]);
  const subject = await ottSubject(o.ottId);
  if (!subject) return resendDecoy(o.ottId);
  return withTransaction({ companyIds: [subject.companyId], userId: subject.userId, ip: o.ip }, async (tx) => {
    const ott = await findOtt(tx, o.ottId, { forUpdate: true });
    if (!ott || !authOtpPurposes.has(ott.purpose)) throw new AppError('OTP_EXPIRED');
    if (ott.usedAt) throw new AppError('OTP_USED');
    // The row lock above serialises resends of one code; this read sees a code a concurrent resend just made.
    const wait = cooldownLeft(ott.createdAt, await latestIssuedAt(tx, ott.userId, ott.purpose));
    if (wait > 0) throw tooSoon(wait);
    await supersedeOtt(tx, ott.id);
    return issueOtp(tx, {
      companyId: ott.companyId,
      userId: ott.userId,
      purpose: ott.purpose,
      channel: ott.channel,
      destination: ott.destination,
      deviceId: ott.deviceId,
      locale: ott.locale,
    });
  });
}

/** The decoy twin of a resend: same checks in the same order, the row locked the same way. */
async function resendDecoy(id: string): Promise<OtpView> {
  return withTransaction(systemActor, async (tx) => {
    const decoy = await findDecoy(id, { forUpdate: true }, tx);
    if (!decoy) throw new AppError('OTP_EXPIRED');
    const wait = cooldownLeft(decoy.createdAt, await latestDecoyAt(decoy.destinationKey, tx));
    if (wait > 0) throw tooSoon(wait);
    await enforceDestinationCap(decoy.destinationKey);
    await expireDecoy(id, tx);
    const next = randomUUID();
    const expiresAt = await insertDecoy({ ...decoy, id: next, ttlSeconds: config().OTP_TTL_SECONDS }, tx);
    return { ottId: next, channel: decoy.channel, destination: decoy.destinationMasked, expiresAt: expiresAt.toISOString() };
  });
}
