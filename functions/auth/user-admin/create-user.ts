import { AppError } from '../../../shared/errors.js';
import { withTransaction, type DbActor } from '../../../shared/db/tx.js';
import type { Principal } from '../../../shared/http/route.js';
import { hashPassword } from '../passwords/password-hasher.js';
import { assertPasswordAcceptable } from '../passwords/password-policy.js';
import { findUser, insertUser, type Role, type UserRecord } from '../users/user.repo.js';
import { asIdentifierTaken, assertIdentifiersFree } from '../users/unique-violation.js';
import { activeCompany } from '../companies/company.repo.js';
import { assertCompanyOfCaller, assertLicensed, assertMayAssign } from './target-user.js';
import { sendInvite } from './invite-user.js';

export interface CreateUserOptions {
  principal: Principal;
  actor: DbActor;
  companyId: number;
  fullname: string;
  email: string;
  phone: string;
  role: Role;
  password?: string;
  locale?: 'id' | 'en';
  licence?: { number: string; expiresOn: string };
  /** Further companies an ADMIN acts in, among the caller's. */
  companyIds?: number[];
}

/**
 * An admin creates an agent or admin in one of its companies (a super admin: anyone anywhere). The account
 * is active at once: an agent needs a valid WAPERD licence for that, as approval would. With a password the
 * user can sign in now; without one it gets an invitation email with a set-password link.
 */
export async function createUser(o: CreateUserOptions): Promise<UserRecord> {
  assertMayAssign(o.principal, o.role);
  for (const id of [o.companyId, ...(o.companyIds ?? [])]) assertCompanyOfCaller(o.principal, id, id === o.companyId ? 'companyId' : 'companyIds');
  if (o.companyIds?.length && o.role !== 'ADMIN') {
    throw new AppError('VALIDATION_FAILED', { errors: [{ field: 'companyIds', message: 'Only admins act in more than their home company' }] });
  }
  if (!(await activeCompany(o.companyId))) throw new AppError('COMPANY_UNAVAILABLE', { errors: [{ field: 'companyId', message: 'No active company with this id' }] });
  assertLicensed({ role: o.role, licence: o.licence ? { ...o.licence, expired: isPast(o.licence.expiresOn) } : null });
  if (o.password !== undefined) await assertPasswordAcceptable(o.password, { email: o.email, phone: o.phone, fullname: o.fullname }, 'password');
  await assertIdentifiersFree(o.email, o.phone);
  const passwordHash = o.password === undefined ? null : await hashPassword(o.password);
  try {
    return await withTransaction(o.actor, async (tx) => {
      const id = await insertUser(tx, {
        companyId: o.companyId,
        fullname: o.fullname,
        email: o.email,
        phone: o.phone,
        role: o.role,
        status: 'ACTIVE',
        passwordHash,
        locale: o.locale,
        licence: o.licence ?? null,
        extraCompanyIds: o.companyIds,
      });
      const user = (await findUser(tx, id))!;
      if (!passwordHash) await sendInvite(tx, user);
      return user;
    });
  } catch (err) {
    throw asIdentifierTaken(err);
  }
}

/** Whether a calendar date (YYYY-MM-DD) lies before today in Jakarta, where the licences are issued. */
export function isPast(date: string): boolean {
  const today = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Jakarta' }).format(new Date());
  return date < today;
}
