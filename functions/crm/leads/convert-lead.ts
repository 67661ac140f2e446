import { AppError } from '../../../shared/errors.js';
import { withTransaction, type DbActor } from '../../../shared/db/tx.js';
import { notFound } from '../crm-access.js';
import { insertDraftInvestor, type InvestorRecord, type InvestorType } from '../investors/investor.repo.js';
import { findLead, updateLead, type LeadRecord } from './lead.repo.js';
import { canMove } from './lead-status.js';

export interface ConvertLeadOptions {
  actor: DbActor;
  id: number;
  type: InvestorType;
}

/**
 * An interested lead becomes an investor: a DRAFT investor carrying the lead's name and contacts, owned by the
 * lead's agent, linked both ways (lead.investor_id, investor.lead_id). The agent completes the KYC with
 * POST /crm/investors {leadId}.
 */
export async function convertLead(o: ConvertLeadOptions): Promise<{ lead: LeadRecord; investor: InvestorRecord }> {
  return withTransaction(o.actor, async (tx) => {
    const lead = await findLead(tx, o.id, true);
    if (!lead) throw notFound('lead');
    if (!canMove(lead.status, 'CONVERTED')) {
      throw new AppError('CONFLICT', { detail: `A ${lead.status} lead cannot be converted; it must be INTERESTED`, extra: { leadStatus: lead.status, investorId: lead.investorId } });
    }
    const investor = await insertDraftInvestor(tx, {
      companyId: lead.companyId,
      agentId: lead.ownerId,
      type: o.type,
      fullName: lead.fullname,
      email: lead.email,
      phone: lead.phone,
      leadId: lead.id,
    });
    return { lead: await updateLead(tx, lead.id, { status: 'CONVERTED', investorId: investor.id }), investor };
  });
}
