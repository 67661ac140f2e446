import { AppError } from '../../../shared/errors.js';
import type { Queryable } from '../../../shared/db/tx.js';
import type { Principal } from '../../../shared/http/route.js';
import { findUser, type Role, type UserRecord } from '../users/user.repo.js';

/**
 * The user an admin route acts on. Row level security already hides users of other companies, so they are
 * simply not found: 404, the same answer as for an id that does not exist (existence is not revealed).
 * Soft-deleted users are gone for the admin views too.
 */
export async function visibleUser(tx: Queryable, id: number, opts: { forUpdate?: boolean } = {}): Promise<UserRecord> {
  const user = await findUser(tx, id, opts);
  if (!user || user.deletedAt) throw new AppError('NOT_FOUND', { detail: `No user ${id}` });
  return user;
}

/** Roles a caller may create, change or assign: admins manage agents and admins, super admins everyone. */
export function assertMayAssign(principal: Principal, role: Role): void {
  if (role === 'SUPER_ADMIN' && principal.role !== 'SUPER_ADMIN') {
    throw new AppError('FORBIDDEN', { detail: 'Only a super admin manages super admins' });
  }
}

/**
 * A user the caller may change: visible, of a role the caller manages, and at home in one of the caller's
 * companies (an admin who also acts in the caller's company is managed by its home company).
 */
export async function manageableUser(tx: Queryable, principal: Principal, id: number): Promise<UserRecord> {
  const user = await visibleUser(tx, id, { forUpdate: true });
  assertMayAssign(principal, user.role);
  if (principal.role !== 'SUPER_ADMIN' && !principal.companyIds.includes(user.companyId)) {
    throw new AppError('FORBIDDEN', { detail: 'This user is managed by the admins of its home company' });
  }
  return user;
}

/** Changing one's own role, status or existence would lock the caller out halfway through a request. */
export function assertNotSelf(principal: Principal, user: UserRecord, what: string): void {
  if (user.id === principal.userId) throw new AppError('BUSINESS_RULE', { detail: `You cannot ${what} your own account` });
}

/** An RM agent may only be approved, created active or reactivated with a licence that has not expired. */
export function assertLicensed(user: Pick<UserRecord, 'role' | 'licence'>): void {
  if (user.role !== 'RM_AGENT') return;
  if (!user.licence) throw new AppError('LICENCE_REQUIRED', { detail: 'Record the agent’s WAPERD licence first' });
  if (user.licence.expired) throw new AppError('LICENCE_REQUIRED', { detail: `The WAPERD licence expired on ${user.licence.expiresOn}` });
}

/** The companies a caller administers, for a company id it names: 404 outside them (not 403). */
export function assertCompanyOfCaller(principal: Principal, companyId: number, field = 'companyId'): void {
  if (principal.role === 'SUPER_ADMIN' || principal.companyIds.includes(companyId)) return;
  throw new AppError('NOT_FOUND', { detail: `No company ${companyId}`, errors: [{ field, message: 'Not one of your companies' }] });
}
