import { AppError, type FieldError } from '../../../shared/errors.js';
import type { Tx } from '../../../shared/db/tx.js';
import { scoreRiskProfile, type ScoredRiskProfile } from '../kyc/risk-questionnaire.js';
import { unknownReferences } from '../master-data/master-data.repo.js';
import { insertBankAccounts } from './bank-account.repo.js';
import { findLiveInvestorByIdentity, saveSubmittedInvestor, type InvestorRecord } from './investor.repo.js';
import { deleteKyc, insertAuthorizedPersons, insertIndividual, insertInstitutional } from './investor-kyc.repo.js';
import { investorContacts, investorName, isIndividual, kycRuleErrors, referencedCodes, type SubmitInvestorInput } from './kyc-input.js';
import { authorizedPersonRecords, bankAccountRecords, individualRecord, institutionalRecord } from './kyc-records.js';
import { identityHash, last4 } from './pii.js';

/**
 * Writing an investor's KYC, shared by the agent's POST /crm/investors and the investor's remote registration
 * (functions/crm/remote-registration): the same checks, the same rows. The checks that need no database come
 * first, so a bad request is refused before a transaction (or a link's code) is spent on it.
 */
export interface CheckedKyc {
  input: SubmitInvestorInput;
  riskProfile: ScoredRiskProfile | null;
  idNumberHash: string;
  idNumberLast4: string;
}

/** Rules across fields and the risk score: VALIDATION_FAILED listing every problem. */
export async function checkKyc(input: SubmitInvestorInput, now: Date): Promise<CheckedKyc> {
  const errors = kycRuleErrors(input, now);
  if (errors.length) throw new AppError('VALIDATION_FAILED', { errors });
  const riskProfile = input.riskProfile ? scoreRiskProfile(input.riskProfile) : null;
  const idNumber = isIndividual(input) ? input.individual.nik : input.institutional.npwp;
  const idNumberHash = await (isIndividual(input) ? identityHash.nik(idNumber) : identityHash.npwp(idNumber));
  return { input, riskProfile, idNumberHash, idNumberLast4: last4(idNumber) };
}

/** Every region, country and bank code the KYC names must be in the master data. */
export async function assertReferencesKnown(tx: Tx, s: SubmitInvestorInput): Promise<void> {
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

export interface WriteKycOptions {
  kyc: CheckedKyc;
  companyId: number;
  agentId: number;
  leadId: number | null;
  /** The investor submitted again (a draft, or a rejected one), locked by the caller; absent for a new one. */
  existing?: InvestorRecord;
  /**
   * Whether the 409 may name the investor holding the identity. An agent sees only its own investors, so the id
   * is theirs to know; an investor's link sees the whole company and must not learn another's id.
   */
  discloseConflict: boolean;
}

/**
 * Saves the investor as SUBMITTED with its KYC rows, replacing an existing investor's earlier rows. One live
 * investor per NIK (NPWP for institutions) per company.
 */
export async function writeKyc(tx: Tx, o: WriteKycOptions): Promise<InvestorRecord> {
  const s = o.kyc.input;
  const holder = await findLiveInvestorByIdentity(tx, o.companyId, o.kyc.idNumberHash);
  if (holder && holder !== o.existing?.id) throw identityTaken(o.discloseConflict ? holder : undefined);
  const fields = {
    companyId: o.companyId,
    agentId: o.agentId,
    type: s.type,
    fullName: investorName(s),
    ...investorContacts(s),
    idNumberHash: o.kyc.idNumberHash,
    idNumberLast4: o.kyc.idNumberLast4,
    leadId: o.leadId,
    riskProfile: o.kyc.riskProfile,
  };
  const investor = await saveSubmittedInvestor(tx, fields, o.existing?.id).catch((err: unknown) => {
    if ((err as { constraint?: string }).constraint === 'investor_company_identity') throw identityTaken(undefined);
    throw err;
  });
  if (o.existing) await deleteKyc(tx, investor.id);
  if (isIndividual(s)) {
    await insertIndividual(tx, investor.id, investor.companyId, await individualRecord(investor.id, s.individual));
  } else {
    await insertInstitutional(tx, investor.id, investor.companyId, await institutionalRecord(investor.id, s.institutional));
    await insertAuthorizedPersons(tx, investor.id, investor.companyId, await authorizedPersonRecords(investor.id, s.institutional));
  }
  await insertBankAccounts(tx, investor.id, investor.companyId, await bankAccountRecords(investor.id, investor.fullName, s.bankAccounts));
  return investor;
}

function identityTaken(existingId: string | undefined): AppError {
  return new AppError('CONFLICT', {
    detail: 'An investor with this identity number already exists in the company',
    extra: existingId ? { existingId } : undefined,
  });
}
