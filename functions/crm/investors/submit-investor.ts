import { AppError } from '../../../shared/errors.js';
import { withTransaction, type DbActor, type Tx } from '../../../shared/db/tx.js';
import type { Principal } from '../../../shared/http/route.js';
import { agentCompany, notFound } from '../crm-access.js';
import { findLead, updateLead } from '../leads/lead.repo.js';
import { canMove } from '../leads/lead-status.js';
import { listBankAccounts } from './bank-account.repo.js';
import { findInvestor, type InvestorRecord } from './investor.repo.js';
import { investorView, type InvestorView } from './investor.view.js';
import type { SubmitInvestorInput } from './kyc-input.js';
import { assertReferencesKnown, checkKyc, writeKyc } from './write-kyc.js';

export interface SubmitInvestorOptions {
  principal: Principal;
  actor: DbActor;
  input: SubmitInvestorInput;
  now?: Date;
}

/**
 * An agent submits an investor's KYC for approval: a new investor, or the draft of a converted lead (leadId),
 * whose lead is converted now if it was not yet. Every rule is checked before anything is written, and the
 * whole submission is one transaction. One live investor per NIK (NPWP for institutions) per company: the
 * agent who has it gets its id in the 409, another agent only the refusal.
 */
export async function submitInvestor(o: SubmitInvestorOptions): Promise<InvestorView> {
  const s = o.input;
  const kyc = await checkKyc(s, o.now ?? new Date());
  const companyId = agentCompany(o.principal);

  return withTransaction(o.actor, async (tx) => {
    await assertReferencesKnown(tx, s);
    const draft = s.leadId === undefined ? undefined : await draftOfLead(tx, s.leadId);
    const investor = await writeKyc(tx, {
      kyc,
      companyId,
      agentId: o.principal.userId,
      leadId: s.leadId ?? null,
      existing: draft?.investor,
      discloseConflict: true,
    });
    if (draft && !draft.investor) await updateLead(tx, draft.leadId, { status: 'CONVERTED', investorId: investor.id });
    return investorView(investor, await listBankAccounts(tx, [investor.id]));
  });
}

/** The lead being completed: its draft investor when converted already, or an interested lead to convert. */
async function draftOfLead(tx: Tx, leadId: number): Promise<{ leadId: number; investor: InvestorRecord | undefined }> {
  const lead = await findLead(tx, leadId, true);
  if (!lead) throw notFound('lead');
  if (lead.investorId) {
    const investor = await findInvestor(tx, lead.investorId, true);
    if (!investor || investor.status !== 'DRAFT') {
      throw new AppError('CONFLICT', { detail: 'The lead’s investor was submitted already', extra: { investorId: lead.investorId } });
    }
    return { leadId, investor };
  }
  if (!canMove(lead.status, 'CONVERTED')) {
    throw new AppError('CONFLICT', { detail: `A ${lead.status} lead cannot be converted; it must be INTERESTED`, extra: { leadStatus: lead.status } });
  }
  return { leadId, investor: undefined };
}
