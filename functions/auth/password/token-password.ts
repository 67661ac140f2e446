import { AppError } from '../../../shared/errors.js';
import { withTransaction, type Tx } from '../../../shared/db/tx.js';
import { hashOpaqueToken } from '../../../shared/auth/opaque-token.js';
import { findUser, setPasswordHash, type UserRecord } from '../users/user.repo.js';
import { userTokenSubject } from '../users/subjects.js';
import { checkNewPassword } from './new-password.js';
import { isUserTokenLive, useUserToken, type UserTokenPurpose } from './user-token.repo.js';

const invalid = (purpose: UserTokenPurpose) =>
  new AppError('TOKEN_INVALID', { detail: `The ${purpose === 'RESET_PASSWORD' ? 'reset token' : 'link'} is unknown, used or expired` });

/**
 * Sets a password with a single-use user token (a reset token, or an invitation's set-password link). The
 * token is checked, the password vetted and hashed outside any transaction, then the token is spent in the
 * same statement that checks it again, so two concurrent uses cannot both pass. `then` runs in that
 * transaction for what the purpose adds (revoking sessions, confirming the email).
 */
export async function setPasswordWithToken(o: {
  token: string;
  purpose: UserTokenPurpose;
  newPassword: string;
  ip: string | null;
  allowed: (user: UserRecord) => void;
  then: (tx: Tx, user: UserRecord) => Promise<void>;
}): Promise<void> {
  const hash = hashOpaqueToken(o.token);
  const subject = await userTokenSubject(hash);
  if (!subject) throw invalid(o.purpose);
  const actor = { companyIds: [subject.companyId], userId: subject.userId, ip: o.ip };
  const user = await withTransaction(actor, async (tx) => ((await isUserTokenLive(tx, hash, o.purpose)) ? findUser(tx, subject.userId) : undefined));
  if (!user) throw invalid(o.purpose);
  o.allowed(user);
  const newHash = await checkNewPassword(user, o.newPassword, 'newPassword');
  await withTransaction(actor, async (tx) => {
    if ((await useUserToken(tx, hash, o.purpose)) !== user.id) throw invalid(o.purpose);
    await setPasswordHash(tx, user.id, newHash);
    await o.then(tx, user);
  });
}
