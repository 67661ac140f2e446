import { AppError } from '../../../shared/errors.js';
import type { UserRecord } from './user.repo.js';

/** Why a user with the right password still may not sign in (API.md login 403 codes). */
export function assertCanSignIn(user: UserRecord): void {
  if (!user.companyActive) throw new AppError('ACCOUNT_INACTIVE', { detail: 'The company of this account is not active' });
  switch (user.status) {
    case 'ACTIVE':
      return;
    case 'PENDING_VERIFICATION':
      throw new AppError('ACCOUNT_PENDING_VERIFICATION');
    case 'PENDING_APPROVAL':
      throw new AppError('ACCOUNT_PENDING_APPROVAL');
    case 'REJECTED':
      throw new AppError('ACCOUNT_REJECTED');
    case 'INACTIVE':
      throw new AppError('ACCOUNT_INACTIVE');
  }
}
