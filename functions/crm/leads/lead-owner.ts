import { AppError } from '../../../shared/errors.js';
import type { Tx } from '../../../shared/db/tx.js';
import type { Principal } from '../../../shared/http/route.js';
import { findActiveAgent, type Agent } from '../agents/agent.repo.js';
import { agentCompany, isAgent } from '../crm-access.js';

/**
 * Who owns a lead being created or reassigned. An agent owns what it creates and cannot hand it on; an admin
 * names an active agent of one of its companies (the lead lives in that agent's company); any other id is
 * answered 404.
 */
export async function resolveOwner(tx: Tx, p: Principal, ownerId: number | undefined, field: string): Promise<Agent> {
  if (isAgent(p)) {
    if (ownerId !== undefined && ownerId !== p.userId) {
      throw new AppError('FORBIDDEN', { detail: 'Only an administrator assigns leads to another agent' });
    }
    return { id: p.userId, companyId: agentCompany(p), fullname: '' };
  }
  if (ownerId === undefined) {
    throw new AppError('VALIDATION_FAILED', { errors: [{ field, message: 'Name the agent who owns the lead' }] });
  }
  const agent = await findActiveAgent(tx, ownerId);
  // Another tenant's agent is answered like one that does not exist (DESIGN §4).
  if (!agent || !p.companyIds.includes(agent.companyId)) throw new AppError('NOT_FOUND', { detail: `No active agent ${ownerId} in your companies` });
  return agent;
}
