import { withTransaction, type DbActor } from '../../../shared/db/tx.js';
import type { Principal } from '../../../shared/http/route.js';
import { insertLead, type LeadFields, type LeadRecord } from './lead.repo.js';
import { resolveOwner } from './lead-owner.js';

export interface CreateLeadOptions {
  principal: Principal;
  actor: DbActor;
  fields: LeadFields;
  ownerId?: number;
}

/** A NEW lead, owned by the calling agent or by the agent an admin names. The audit trigger records it. */
export async function createLead(o: CreateLeadOptions): Promise<LeadRecord> {
  return withTransaction(o.actor, async (tx) => {
    const owner = await resolveOwner(tx, o.principal, o.ownerId, 'body.ownerId');
    return insertLead(tx, { ...o.fields, companyId: owner.companyId, ownerId: owner.id });
  });
}
