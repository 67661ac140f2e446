import type { IndividualKyc } from '../kyc/individual.schema.js';
import type { InstitutionalKyc } from '../kyc/institutional.schema.js';
import type { BankAccount } from '../kyc/bank-account.schema.js';
import { holderNameMatches } from '../kyc/holder-name.js';
import type { AuthorizedPersonRow, IndividualRow, InstitutionalRow } from './investor-kyc.repo.js';
import type { NewBankAccount } from './bank-account.repo.js';
import { seal } from '../../../shared/crypto/investor-fields.js';
import { identityHash, last4 } from './pii.js';

/** The KYC as stored: sensitive values sealed to their investor, keyed hashes beside them. */
export async function individualRecord(investorId: string, ind: IndividualKyc): Promise<IndividualRow> {
  return {
    nikEnc: await seal('nik', investorId, ind.nik),
    nikHash: await identityHash.nik(ind.nik),
    npwpEnc: ind.npwp ? await seal('npwp', investorId, ind.npwp) : null,
    npwpHash: ind.npwp ? await identityHash.npwp(ind.npwp) : null,
    birthPlace: ind.birthPlace,
    birthDate: ind.birthDate,
    gender: ind.gender,
    motherMaidenNameEnc: await seal('motherMaidenName', investorId, ind.motherMaidenName),
    nationality: ind.nationality,
    religion: ind.religion,
    maritalStatus: ind.maritalStatus,
    education: ind.education,
    occupation: ind.occupation,
    employer: ind.employer ?? null,
    annualIncome: ind.annualIncome,
    sourceOfFunds: ind.sourceOfFunds,
    investmentObjective: ind.investmentObjective,
    address: ind.address,
    correspondenceAddress: ind.correspondenceAddress ?? null,
    beneficialOwner: ind.beneficialOwner,
    fatcaUsPerson: ind.fatcaUsPerson,
    usTinEnc: ind.usTin ? await seal('usTin', investorId, ind.usTin) : null,
  };
}

export async function institutionalRecord(investorId: string, inst: InstitutionalKyc): Promise<InstitutionalRow> {
  return {
    legalForm: inst.legalForm,
    npwpEnc: await seal('institutionNpwp', investorId, inst.npwp),
    npwpHash: await identityHash.npwp(inst.npwp),
    nib: inst.nib,
    deedNumber: inst.deedNumber,
    deedDate: inst.deedDate,
    establishedPlace: inst.establishedPlace,
    establishedDate: inst.establishedDate,
    lineOfBusiness: inst.lineOfBusiness,
    address: inst.address,
    totalAssets: inst.totalAssets,
    sourceOfFunds: inst.sourceOfFunds,
    investmentObjective: inst.investmentObjective,
    contactPerson: inst.contactPerson,
    ultimateBeneficialOwner: inst.ultimateBeneficialOwner,
  };
}

export async function authorizedPersonRecords(investorId: string, inst: InstitutionalKyc): Promise<AuthorizedPersonRow[]> {
  return Promise.all(
    inst.authorizedPersons.map(async (p) => ({
      name: p.name,
      title: p.title,
      nikEnc: await seal('authorizedNik', investorId, p.nik),
      nikHash: await identityHash.nik(p.nik),
      nikLast4: last4(p.nik),
      phone: p.phone,
      email: p.email,
    })),
  );
}

/** An account whose holder is not the investor (after normalising names) is flagged for an admin's review. */
export async function bankAccountRecords(investorId: string, investorName: string, accounts: readonly BankAccount[]): Promise<NewBankAccount[]> {
  return Promise.all(
    accounts.map(async (a) => ({
      bankCode: a.bankCode,
      accountNumberEnc: await seal('accountNumber', investorId, a.accountNumber),
      accountNumberHash: await identityHash.accountNumber(a.bankCode, a.accountNumber),
      accountNumberLast4: last4(a.accountNumber),
      accountHolderName: a.accountHolderName,
      isPrimary: a.isPrimary,
      needsReview: !holderNameMatches(a.accountHolderName, investorName),
    })),
  );
}
