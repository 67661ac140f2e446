import { AppError } from '../../../shared/errors.js';
import { withTransaction, type DbActor } from '../../../shared/db/tx.js';
import type { Principal } from '../../../shared/http/route.js';
import { findUser, type Role, type UserRecord } from '../users/user.repo.js';
import { asIdentifierTaken } from '../users/unique-violation.js';
import { setMemberships, updateUser, type UserChanges } from './user-admin.repo.js';
import { assertCompanyOfCaller, assertLicensed, assertMayAssign, assertNotSelf, manageableUser } from './target-user.js';
import { isPast } from './create-user.js';

export interface UpdateUserOptions {
  principal: Principal;
  actor: DbActor;
  id: number;
  changes: UserChanges & { role?: Role; companyIds?: number[] };
}

/**
 * An admin edits a user of its companies: name, contacts (unverified until their owner confirms them),
 * role, locale, the WAPERD licence and, for admins, the further companies they act in. An active agent keeps
 * a valid licence throughout: the change that would leave it without one is refused.
 */
export async function updateUserByAdmin(o: UpdateUserOptions): Promise<UserRecord> {
  const { companyIds, ...changes } = o.changes;
  for (const id of companyIds ?? []) assertCompanyOfCaller(o.principal, id, 'companyIds');
  if (changes.role) assertMayAssign(o.principal, changes.role);
  try {
    return await withTransaction(o.actor, async (tx) => {
      const user = await manageableUser(tx, o.principal, o.id);
      if (changes.role && changes.role !== user.role) assertNotSelf(o.principal, user, 'change the role of');
      const role = changes.role ?? user.role;
      if (companyIds && role !== 'ADMIN') {
        throw new AppError('VALIDATION_FAILED', { errors: [{ field: 'companyIds', message: 'Only admins act in more than their home company' }] });
      }
      const licence = changes.licence === undefined ? user.licence : changes.licence && { ...changes.licence, expired: isPast(changes.licence.expiresOn) };
      if (user.status === 'ACTIVE' && (changes.role !== undefined || changes.licence !== undefined)) assertLicensed({ role, licence });
      // Email and phone are unique across tenants: a clash surfaces as the unique violation, mapped to 409.
      await updateUser(tx, user.id, changes);
      const manageable = o.principal.role === 'SUPER_ADMIN' ? null : o.principal.companyIds;
      // An agent acts only in its home company: a demoted admin leaves the others the caller manages.
      if (companyIds || (role !== 'ADMIN' && user.role === 'ADMIN')) await setMemberships(tx, user.id, user.companyId, companyIds ?? [], manageable);
      return (await findUser(tx, user.id))!;
    });
  } catch (err) {
    throw asIdentifierTaken(err);
  }
}
