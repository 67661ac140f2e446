import { AppError, type FieldError } from '../../../shared/errors.js';
import { withTransaction, type DbActor, type Tx } from '../../../shared/db/tx.js';
import type { Principal } from '../../../shared/http/route.js';
import { agentCompany, notFound } from '../crm-access.js';
import { scoreRiskProfile } from '../kyc/risk-questionnaire.js';
import { unknownReferences } from '../master-data/master-data.repo.js';
import { findLead, updateLead } from '../leads/lead.repo.js';
import { canMove } from '../leads/lead-status.js';
import { insertBankAccounts, listBankAccounts } from './bank-account.repo.js';
import { findInvestor, findLiveInvestorByIdentity, saveSubmittedInvestor, type InvestorRecord } from './investor.repo.js';
import { insertAuthorizedPersons, insertIndividual, insertInstitutional } from './investor-kyc.repo.js';
import { investorView, type InvestorView } from './investor.view.js';
import { investorContacts, investorName, isIndividual, kycRuleErrors, referencedCodes, type SubmitInvestorInput } from './kyc-input.js';
import { authorizedPersonRecords, bankAccountRecords, individualRecord, institutionalRecord } from './kyc-records.js';
import { identityHash, last4 } from './pii.js';

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
  const errors = kycRuleErrors(s, o.now ?? new Date());
  if (errors.length) throw new AppError('VALIDATION_FAILED', { errors });
  const riskProfile = s.riskProfile ? scoreRiskProfile(s.riskProfile) : null;
  const idNumber = isIndividual(s) ? s.individual.nik : s.institutional.npwp;
  const idNumberHash = await (isIndividual(s) ? identityHash.nik(idNumber) : identityHash.npwp(idNumber));
  const companyId = agentCompany(o.principal);

  return withTransaction(o.actor, async (tx) => {
    await assertReferencesKnown(tx, s);
    const draft = s.leadId === undefined ? undefined : await draftOfLead(tx, s.leadId);
    const existing = await findLiveInvestorByIdentity(tx, companyId, idNumberHash);
    if (existing && existing !== draft?.investor?.id) throw identityTaken(existing);
    const fields = {
      companyId,
      agentId: o.principal.userId,
      type: s.type,
      fullName: investorName(s),
      ...investorContacts(s),
      idNumberHash,
      idNumberLast4: last4(idNumber),
      leadId: s.leadId ?? null,
      riskProfile,
    };
    const investor = await saveSubmittedInvestor(tx, fields, draft?.investor?.id).catch((err: unknown) => {
      if ((err as { constraint?: string }).constraint === 'investor_company_identity') throw identityTaken(undefined);
      throw err;
    });
    await writeKyc(tx, investor, s);
    if (draft && !draft.investor) await updateLead(tx, draft.leadId, { status: 'CONVERTED', investorId: investor.id });
    return investorView(investor, await listBankAccounts(tx, [investor.id]));
  });
}

function identityTaken(existingId: string | undefined): AppError {
  return new AppError('CONFLICT', {
    detail: 'An investor with this identity number already exists in the company',
    extra: existingId ? { existingId } : undefined,
  });
}

async function assertReferencesKnown(tx: Tx, s: SubmitInvestorInput): Promise<void> {
  const refs = referencedCodes(s);
  const codes = (kind: (typeof refs)[number]['kind']) => refs.filter((r) => r.kind === kind).map((r) => r.code);
  const unknown = await unknownReferences(tx, {
    provinceCodes: codes('province'),
    cityCodes: codes('city'),
    districtCodes: codes('district'),
    countryCodes: codes('country'),
    bankCodes: codes('bank'),
  });
  const unknownOf = { province: unknown.provinceCodes, city: unknown.cityCodes, district: unknown.districtCodes, country: unknown.countryCodes, bank: unknown.bankCodes };
  const errors: FieldError[] = refs
    .filter((r) => unknownOf[r.kind].includes(r.code))
    .map((r) => ({ field: r.field, message: `Unknown ${r.kind} code ${r.code}` }));
  if (errors.length) throw new AppError('VALIDATION_FAILED', { errors });
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

async function writeKyc(tx: Tx, investor: InvestorRecord, s: SubmitInvestorInput): Promise<void> {
  if (isIndividual(s)) {
    await insertIndividual(tx, investor.id, investor.companyId, await individualRecord(investor.id, s.individual));
  } else {
    await insertInstitutional(tx, investor.id, investor.companyId, await institutionalRecord(investor.id, s.institutional));
    await insertAuthorizedPersons(tx, investor.id, investor.companyId, await authorizedPersonRecords(investor.id, s.institutional));
  }
  await insertBankAccounts(tx, investor.id, investor.companyId, await bankAccountRecords(investor.id, investor.fullName, s.bankAccounts));
}
