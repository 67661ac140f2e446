import { AppError, isAppError } from '../../../shared/errors.js';
import { withTransaction, type DbActor } from '../../../shared/db/tx.js';
import { findCompany, insertCompany, isCallersHome, updateCompany, type CompanyRecord } from './company.repo.js';
import { revokeCompanySessions } from '../sessions/session.repo.js';

/** A company code is unique: a clash (checked by the unique index, race-free) is a 409 on the field. */
function asCodeTaken(err: unknown): unknown {
  if (isAppError(err) && err.code === 'CONFLICT') return new AppError('CONFLICT', { errors: [{ field: 'code', message: 'This code is in use' }] });
  return err;
}

export async function createCompany(o: { actor: DbActor; code: string; name: string }): Promise<CompanyRecord> {
  try {
    return await withTransaction(o.actor, (tx) => insertCompany(tx, o));
  } catch (err) {
    throw asCodeTaken(err);
  }
}

export async function companyById(o: { actor: DbActor; id: number }): Promise<CompanyRecord> {
  const company = await withTransaction(o.actor, (tx) => findCompany(tx, o.id));
  if (!company) throw new AppError('NOT_FOUND', { detail: `No company ${o.id}` });
  return company;
}

/**
 * Renames a tenant, sets its investor link lifetime, or (de)activates it. Deactivation ends the sessions of
 * everyone at home there; its users cannot sign in, and it leaves GET /auth/companies, until it is activated again.
 */
export async function changeCompany(o: { actor: DbActor; id: number; name?: string; investorLinkTtlHours?: number; active?: boolean }): Promise<CompanyRecord> {
  return withTransaction(o.actor, async (tx) => {
    const company = await findCompany(tx, o.id, { forUpdate: true });
    if (!company) throw new AppError('NOT_FOUND', { detail: `No company ${o.id}` });
    const status = o.active === undefined ? undefined : o.active ? 'ACTIVE' : 'INACTIVE';
    if (status === 'INACTIVE' && company.status === 'ACTIVE') {
      if (await isCallersHome(tx, company.id)) throw new AppError('BUSINESS_RULE', { detail: 'You cannot deactivate your own home company' });
      await revokeCompanySessions(tx, company.id);
    }
    return updateCompany(tx, company.id, { name: o.name, status, investorLinkTtlHours: o.investorLinkTtlHours });
  });
}
