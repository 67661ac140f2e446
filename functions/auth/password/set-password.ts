import { AppError } from '../../../shared/errors.js';
import { markEmailVerified } from '../users/user.repo.js';
import { setPasswordWithToken } from './token-password.js';

/**
 * An invited user chooses a password with the link of the invitation email. The link proves the email
 * address, so it counts as verified. A user deactivated or deleted since the invitation gets nothing.
 */
export async function setInvitedPassword(o: { token: string; newPassword: string; ip: string | null }): Promise<void> {
  await setPasswordWithToken({
    token: o.token,
    purpose: 'SET_PASSWORD',
    newPassword: o.newPassword,
    ip: o.ip,
    allowed: (user) => {
      if (user.status !== 'ACTIVE' || user.deletedAt || !user.companyActive) throw new AppError('ACCOUNT_INACTIVE');
    },
    then: (tx, user) => markEmailVerified(tx, user.id),
  });
}
