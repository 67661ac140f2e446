import { AppError } from '../../../shared/errors.js';
import { withTransaction } from '../../../shared/db/tx.js';
import { hashPassword } from '../passwords/password-hasher.js';
import { assertPasswordAcceptable, isRecentPassword } from '../passwords/password-policy.js';
import { recentPasswordHashes, type UserRecord } from '../users/user.repo.js';

/**
 * A new password for an existing user: the policy (length, common list, personal data) and not one of the
 * last five (auth_password_log). Returns its argon2id hash. Runs outside the caller's write transaction
 * because argon2 takes tens of milliseconds per hash.
 */
export async function checkNewPassword(user: UserRecord, plain: string, field: string): Promise<string> {
  await assertPasswordAcceptable(plain, { email: user.email, phone: user.phone, fullname: user.fullname }, field);
  const recent = await withTransaction({ companyIds: [user.companyId], userId: user.id }, (tx) => recentPasswordHashes(tx, user.id));
  if (await isRecentPassword(plain, recent)) {
    throw new AppError('PASSWORD_REJECTED', {
      errors: [{ field, message: 'Choose a password you have not used for your last five' }],
      extra: { reasons: ['RECENTLY_USED'] },
    });
  }
  return hashPassword(plain);
}
