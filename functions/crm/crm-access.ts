import { AppError } from '../../shared/errors.js';
import type { Principal } from '../../shared/http/route.js';

/** RM agents work only on their own leads and investors (RLS enforces the same, app.own_rows_only). */
export function isAgent(p: Principal): boolean {
  return p.role === 'RM_AGENT';
}

/** An agent's one company: agents act only in their home company. */
export function agentCompany(p: Principal): number {
  const companyId = p.companyIds[0];
  if (companyId === undefined) throw new AppError('FORBIDDEN', { detail: 'The caller acts in no company' });
  return companyId;
}

export function notFound(what: string): AppError {
  return new AppError('NOT_FOUND', { detail: `No such ${what}` });
}
