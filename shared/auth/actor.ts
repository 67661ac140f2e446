import type { DbActor } from '../db/tx.js';
import type { Principal } from '../http/route.js';

/**
 * The database actor for a verified caller: its companies for RLS, its id and IP for the audit trail. Agents
 * see only their own CRM rows.
 */
export function actorOf(principal: Principal, ip: string | null): DbActor {
  return {
    companyIds: principal.companyIds,
    userId: principal.userId,
    ip,
    superAdmin: principal.role === 'SUPER_ADMIN',
    ownRowsOnly: principal.role === 'RM_AGENT',
  };
}

/** The caller of a private route; the handler only runs handlers of private routes with one. */
export function requirePrincipal(principal: Principal | undefined): Principal {
  if (!principal) throw new Error('A private route ran without a principal');
  return principal;
}
