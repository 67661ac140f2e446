import { config } from '../../../shared/config.js';
import { AppError } from '../../../shared/errors.js';
import { withTransaction, type Tx } from '../../../shared/db/tx.js';
import { enforceLimits } from '../../../shared/rate-limit.js';
import { completeRegistration } from '../register/complete-registration.js';
import { confirmNewDevice } from '../login/confirm-new-device.js';
import { issueResetToken } from '../password/reset-password.js';
import { applyContactChange } from '../settings/change-setting.js';
import { ottSubject } from '../users/subjects.js';
import { wrongCode } from '../../../shared/auth/otp-code.js';
import { consumeOtp } from './consume-otp.js';
import { countDecoyAttempt, findDecoy } from './decoy.repo.js';
import type { OtpPurpose, OttRecord } from '../../../shared/auth/ott.repo.js';

export interface VerifyOtpOptions {
  ottId: string;
  code: string;
  deviceId?: string;
  ip: string | null;
  userAgent: string | null;
}

type Completer = (tx: Tx, ott: OttRecord, ctx: { ip: string | null; userAgent: string | null }) => Promise<unknown>;

/** What a verified code does, by purpose (API.md verify-otp). Each runs in the transaction that spends the code. */
const completers: Record<OtpPurpose, Completer> = {
  REGISTER: (tx, ott) => completeRegistration(tx, ott),
  NEW_DEVICE: (tx, ott, ctx) => confirmNewDevice(tx, ott, ctx),
  RESET_PASSWORD: (tx, ott) => issueResetToken(tx, ott),
  CHANGE_PHONE: (tx, ott) => applyContactChange(tx, ott),
  CHANGE_EMAIL: (tx, ott) => applyContactChange(tx, ott),
};

export async function verifyOtp(o: VerifyOtpOptions): Promise<unknown> {
  await enforceLimits([{ name: 'verify-otp:ip', subject: o.ip, windowSeconds: 60, limit: 30 }]);
  const subject = await ottSubject(o.ottId);
  if (!subject) return verifyDecoy(o.ottId);
  const outcome = await withTransaction({ companyIds: [subject.companyId], userId: subject.userId, ip: o.ip }, async (tx) => {
    const check = await consumeOtp(tx, o.ottId, o.code, o.deviceId);
    if (!check.ok) return check;
    return { ok: true as const, body: await completers[check.ott.purpose](tx, check.ott, o) };
  });
  // A wrong code's attempt count is committed before the refusal goes out.
  if (!outcome.ok) throw outcome.error;
  return outcome.body;
}

/** Decoys (resets of unknown identifiers) fail the way a real code would, attempts and all. */
async function verifyDecoy(id: string): Promise<never> {
  const decoy = await findDecoy(id);
  if (!decoy || decoy.expiresAt.getTime() <= Date.now()) throw new AppError('OTP_EXPIRED');
  if (decoy.attempts >= config().OTP_MAX_ATTEMPTS) throw new AppError('OTP_LOCKED');
  throw wrongCode(await countDecoyAttempt(id));
}
