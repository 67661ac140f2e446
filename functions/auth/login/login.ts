import { AppError } from '../../../shared/errors.js';
import { withTransaction } from '../../../shared/db/tx.js';
import { enforceLimits } from '../../../shared/rate-limit.js';
import { hashPassword, needsRehash, verifyDummy, verifyPassword } from '../passwords/password-hasher.js';
import { findUser, upgradePasswordHash } from '../users/user.repo.js';
import { loginSubject } from '../users/subjects.js';
import { assertCanSignIn } from '../users/account-state.js';
import { seeDevice } from '../devices/device.repo.js';
import { startSession, type TokenPair } from '../sessions/token-pair.js';
import { issueOtp, type OtpView } from '../otp/issue-otp.js';
import { isLocked, lockedError, recordFailedPassword, unknownIdentifierLock } from './lockout.js';

export interface LoginOptions {
  identifier: string;
  password: string;
  deviceId: string;
  platform?: 'ANDROID' | 'IOS' | 'WEB';
  deviceName?: string;
  ip: string | null;
  userAgent: string | null;
}

export type LoginResult = { kind: 'tokens'; tokens: TokenPair } | { kind: 'challenge'; otp: OtpView };

const invalid = () => new AppError('INVALID_CREDENTIALS');

/**
 * Password sign-in. Unknown identifiers and wrong passwords get the same answer after the same work (a dummy
 * argon2 verify). A locked account is refused before the password is even checked; account states are only
 * revealed to someone who knows the password. A device the user never confirmed gets the NEW_DEVICE challenge.
 * A hash made with other argon2 parameters than the current ones is replaced on a successful check.
 */
export async function login(o: LoginOptions): Promise<LoginResult> {
  await enforceLimits([
    { name: 'login:ip', subject: o.ip, windowSeconds: 60, limit: 60 },
    { name: 'login:identifier', subject: o.identifier, windowSeconds: 60, limit: 10 },
    { name: 'login:identifier', subject: o.identifier, windowSeconds: 3600, limit: 100 },
  ]);
  const subject = await loginSubject(o.identifier);
  if (!subject) {
    // Unknown identifiers lock as accounts do, so a 423 does not reveal that an account exists.
    const locked = await unknownIdentifierLock(o.identifier);
    if (locked) throw locked;
    await verifyDummy(o.password);
    throw invalid();
  }
  const actor = { companyIds: [subject.companyId], userId: subject.userId, ip: o.ip };
  const user = await withTransaction(actor, (tx) => findUser(tx, subject.userId));
  if (!user) throw invalid();
  if (isLocked(user.lockedUntil)) throw lockedError(user.lockedUntil);
  // argon2 runs outside any transaction: no pooled connection or row lock is held for its ~50 ms.
  const ok = user.passwordHash ? await verifyPassword(user.passwordHash, o.password) : (await verifyDummy(o.password), false);
  if (!ok) {
    await withTransaction(actor, (tx) => recordFailedPassword(tx, user.id, o.deviceId));
    throw invalid();
  }
  assertCanSignIn(user);
  // A hash made with older argon2 parameters is upgraded while the password is at hand (hashed outside the
  // transaction, like the verify above).
  const upgraded = user.passwordHash && needsRehash(user.passwordHash) ? await hashPassword(o.password) : null;
  return withTransaction(actor, async (tx): Promise<LoginResult> => {
    if (upgraded) await upgradePasswordHash(tx, user.id, user.passwordHash!, upgraded);
    const device = await seeDevice(tx, { companyId: user.companyId, userId: user.id, deviceId: o.deviceId, platform: o.platform, deviceName: o.deviceName });
    if (device.trusted) return { kind: 'tokens', tokens: await startSession(tx, user, o) };
    // Agents confirm a new phone by SMS; admins sign in from the web and confirm by email.
    const toPhone = user.role === 'RM_AGENT';
    const otp = await issueOtp(tx, {
      companyId: user.companyId,
      userId: user.id,
      purpose: 'NEW_DEVICE',
      channel: toPhone ? 'SMS' : 'EMAIL',
      destination: toPhone ? user.phone : user.email,
      deviceId: o.deviceId,
      locale: user.locale,
    });
    return { kind: 'challenge', otp };
  });
}
