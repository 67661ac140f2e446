import { AppError } from '../../../shared/errors.js';
import { withTransaction, type DbActor, type Tx } from '../../../shared/db/tx.js';
import { mapDbError } from '../../../shared/db/errors.js';
import type { Principal } from '../../../shared/http/route.js';
import { verifyPassword } from '../passwords/password-hasher.js';
import { checkNewPassword } from '../password/new-password.js';
import { passwordChangedEmail } from '../password/reset-password.js';
import { issueOtp, type OtpView } from '../otp/issue-otp.js';
import type { OttRecord } from '../../../shared/auth/ott.repo.js';
import { isLocked, lockedError, recordFailedPassword } from '../login/lockout.js';
import { revokeUserSessions } from '../sessions/session.repo.js';
import { findUser, setContact, setPasswordHash, type UserRecord } from '../users/user.repo.js';
import { identifiersTaken } from '../users/subjects.js';
import { asIdentifierTaken, identifierTaken } from '../users/unique-violation.js';
import { userView, type UserView } from '../users/user.view.js';

export type SettingChange = { currentPassword: string; newPassword: string } | { phone: string } | { email: string };

export type ChangeResult = { kind: 'done' } | { kind: 'otp'; otp: OtpView };

/**
 * PUT /auth/change-setting. A new password needs the current one (wrong guesses count towards the account
 * lock) and revokes every other session; a new phone or email is only applied once a code sent to it is
 * verified, and its uniqueness is checked again then.
 */
export async function changeSetting(o: { principal: Principal; actor: DbActor; change: SettingChange }): Promise<ChangeResult> {
  const user = await withTransaction(o.actor, (tx) => findUser(tx, o.principal.userId));
  if (!user) throw new AppError('UNAUTHENTICATED');
  if ('newPassword' in o.change) {
    await changePassword(user, o.change, o.actor, o.principal.sessionId);
    return { kind: 'done' };
  }
  const [field, value] = 'phone' in o.change ? (['phone', o.change.phone] as const) : (['email', o.change.email] as const);
  if (user[field] === value) throw new AppError('VALIDATION_FAILED', { errors: [{ field, message: `This is already your ${field}` }] });
  const taken = await identifiersTaken(field === 'email' ? value : null, field === 'phone' ? value : null);
  if (taken.emailTaken || taken.phoneTaken) throw identifierTaken([field]);
  const otp = await withTransaction(o.actor, (tx) =>
    issueOtp(tx, {
      companyId: user.companyId,
      userId: user.id,
      purpose: field === 'phone' ? 'CHANGE_PHONE' : 'CHANGE_EMAIL',
      channel: field === 'phone' ? 'SMS' : 'EMAIL',
      destination: value,
      locale: user.locale,
    }),
  );
  return { kind: 'otp', otp };
}

async function changePassword(user: UserRecord, change: { currentPassword: string; newPassword: string }, actor: DbActor, sessionId: string | undefined): Promise<void> {
  if (isLocked(user.lockedUntil)) throw lockedError(user.lockedUntil);
  if (!user.passwordHash || !(await verifyPassword(user.passwordHash, change.currentPassword))) {
    await withTransaction(actor, (tx) => recordFailedPassword(tx, user.id, null));
    throw new AppError('CURRENT_PASSWORD_WRONG', { errors: [{ field: 'currentPassword', message: 'The current password is wrong' }] });
  }
  const hash = await checkNewPassword(user, change.newPassword, 'newPassword');
  await withTransaction(actor, async (tx) => {
    await setPasswordHash(tx, user.id, hash);
    await revokeUserSessions(tx, user.id, 'PASSWORD_CHANGED', sessionId);
    await passwordChangedEmail(tx, user);
  });
}

/** CHANGE_PHONE / CHANGE_EMAIL code verified: the code's destination becomes the user's phone or email. */
export async function applyContactChange(tx: Tx, ott: OttRecord): Promise<{ user: UserView }> {
  try {
    await setContact(tx, ott.userId, ott.purpose === 'CHANGE_PHONE' ? 'phone' : 'email', ott.destination);
  } catch (err) {
    // Inside the transaction the driver's error is still raw: map it first, or the race surfaces as CONFLICT.
    throw asIdentifierTaken(mapDbError(err));
  }
  const user = await findUser(tx, ott.userId);
  return { user: userView(user!) };
}
