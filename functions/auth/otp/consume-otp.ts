import { config } from '../../../shared/config.js';
import { AppError } from '../../../shared/errors.js';
import type { Tx } from '../../../shared/db/tx.js';
import { otpCodeMatches, wrongCode } from '../../../shared/auth/otp-code.js';
import { authOtpPurposes, countFailedAttempt, findOtt, markOttUsed, type OttRecord } from '../../../shared/auth/ott.repo.js';

export type OtpCheck = { ok: true; ott: OttRecord } | { ok: false; error: AppError };

/**
 * Checks a code against its row, locked for the transaction. A wrong code counts an attempt, and the caller
 * commits that count before answering (the result is returned, not thrown, so the transaction can commit).
 * A NEW_DEVICE code only verifies on the device that asked for it.
 */
export async function consumeOtp(tx: Tx, ottId: string, code: string, deviceId: string | undefined): Promise<OtpCheck> {
  const ott = await findOtt(tx, ottId, { forUpdate: true });
  // Another flow's code is left alone: no attempt counted, not spent.
  if (!ott || !authOtpPurposes.has(ott.purpose)) return { ok: false, error: new AppError('OTP_EXPIRED') };
  if (ott.usedAt) return { ok: false, error: new AppError('OTP_USED') };
  if (ott.expiresAt.getTime() <= Date.now()) return { ok: false, error: new AppError('OTP_EXPIRED') };
  if (ott.attempts >= config().OTP_MAX_ATTEMPTS) return { ok: false, error: new AppError('OTP_LOCKED') };
  const deviceMatches = ott.purpose !== 'NEW_DEVICE' || (deviceId !== undefined && deviceId === ott.deviceId);
  const codeMatches = await otpCodeMatches(ott.id, code, ott.codeHash);
  if (!codeMatches || !deviceMatches) return { ok: false, error: wrongCode(await countFailedAttempt(tx, ott.id)) };
  await markOttUsed(tx, ott.id);
  return { ok: true, ott };
}
