import { AppError } from '../../../shared/errors.js';
import { withTransaction, type DbActor } from '../../../shared/db/tx.js';
import type { Principal } from '../../../shared/http/route.js';
import { notFound } from '../crm-access.js';
import { deleteLead, findLead, updateLead, type LeadChanges, type LeadRecord } from './lead.repo.js';
import { assertLeadOpen, assertLeadTransition } from './lead-status.js';
import { resolveOwner } from './lead-owner.js';

export interface UpdateLeadOptions {
  principal: Principal;
  actor: DbActor;
  id: number;
  changes: Omit<LeadChanges, 'investorId'>;
}

/**
 * Edits a lead and moves it along the pipeline. A converted or lost lead is closed: only its notes and
 * follow-up date change. Reassignment keeps the lead in its company.
 */
export async function updateLeadOfCaller(o: UpdateLeadOptions): Promise<LeadRecord> {
  return withTransaction(o.actor, async (tx) => {
    const lead = await findLead(tx, o.id, true);
    if (!lead) throw notFound('lead');
    const { status, ownerId, ...fields } = o.changes;
    if (status !== undefined) assertLeadTransition(lead.status, status);
    const closedEdits = Object.keys(fields).some((k) => k !== 'notes' && k !== 'nextFollowUpAt');
    if (closedEdits || (ownerId !== undefined && ownerId !== lead.ownerId)) assertLeadOpen(lead.status);
    if (ownerId !== undefined && ownerId !== lead.ownerId) {
      const owner = await resolveOwner(tx, o.principal, ownerId, 'body.ownerId');
      if (owner.companyId !== lead.companyId) {
        throw new AppError('VALIDATION_FAILED', { errors: [{ field: 'body.ownerId', message: 'The agent works for another company than the lead' }] });
      }
    }
    return updateLead(tx, lead.id, o.changes);
  });
}

export interface DeleteLeadOptions {
  actor: DbActor;
  id: number;
}

/** Deletes a lead that never became an investor; the audit trail keeps its last state. */
export async function deleteLeadOfCaller(o: DeleteLeadOptions): Promise<void> {
  await withTransaction(o.actor, async (tx) => {
    const lead = await findLead(tx, o.id, true);
    if (!lead) throw notFound('lead');
    if (lead.status === 'CONVERTED') {
      throw new AppError('CONFLICT', { detail: 'A converted lead stays with its investor', extra: { investorId: lead.investorId } });
    }
    await deleteLead(tx, lead.id);
  });
}
