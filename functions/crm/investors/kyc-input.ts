import { z } from 'zod';
import type { FieldError } from '../../../shared/errors.js';
import { individualRuleErrors, individualSchema, type IndividualKyc } from '../kyc/individual.schema.js';
import { institutionalRuleErrors, institutionalSchema, type InstitutionalKyc } from '../kyc/institutional.schema.js';
import { bankAccountRuleErrors, bankAccountsSchema, type BankAccount } from '../kyc/bank-account.schema.js';
import { riskProfileSchema } from '../kyc/risk-questionnaire.js';

/** POST /crm/investors: an individual's or an institution's KYC, its risk profile and bank accounts. */
export const submitInvestorSchema = z.discriminatedUnion('type', [
  z.strictObject({
    type: z.literal('INDIVIDUAL'),
    leadId: z.number().int().positive().optional(),
    individual: individualSchema,
    riskProfile: riskProfileSchema,
    bankAccounts: bankAccountsSchema,
  }),
  z.strictObject({
    type: z.literal('INSTITUTIONAL'),
    leadId: z.number().int().positive().optional(),
    institutional: institutionalSchema,
    riskProfile: riskProfileSchema.optional(),
    bankAccounts: bankAccountsSchema,
  }),
]);
export type SubmitInvestorInput = z.infer<typeof submitInvestorSchema>;

export function isIndividual(s: SubmitInvestorInput): s is Extract<SubmitInvestorInput, { type: 'INDIVIDUAL' }> {
  return s.type === 'INDIVIDUAL';
}

/** The rules across fields that need no database. */
export function kycRuleErrors(s: SubmitInvestorInput, today: Date): FieldError[] {
  return [
    ...(isIndividual(s) ? individualRuleErrors(s.individual, today) : institutionalRuleErrors(s.institutional, today)),
    ...bankAccountRuleErrors(s.bankAccounts),
  ];
}

/** The codes the master data must know, with the field that carries each. */
export function referencedCodes(s: SubmitInvestorInput): Array<{ kind: 'province' | 'city' | 'district' | 'country' | 'bank'; code: string; field: string }> {
  const out: ReturnType<typeof referencedCodes> = [];
  const address = (a: IndividualKyc['address'], field: string) =>
    out.push(
      { kind: 'province', code: a.provinceCode, field: `${field}.provinceCode` },
      { kind: 'city', code: a.cityCode, field: `${field}.cityCode` },
      { kind: 'district', code: a.districtCode, field: `${field}.districtCode` },
    );
  if (isIndividual(s)) {
    address(s.individual.address, 'body.individual.address');
    if (s.individual.correspondenceAddress) address(s.individual.correspondenceAddress, 'body.individual.correspondenceAddress');
    out.push({ kind: 'country', code: s.individual.nationality, field: 'body.individual.nationality' });
  } else {
    address(s.institutional.address, 'body.institutional.address');
    out.push({ kind: 'country', code: s.institutional.ultimateBeneficialOwner.nationality, field: 'body.institutional.ultimateBeneficialOwner.nationality' });
  }
  s.bankAccounts.forEach((a: BankAccount, i) => out.push({ kind: 'bank', code: a.bankCode, field: `body.bankAccounts.${i}.bankCode` }));
  return out;
}

export function investorName(s: SubmitInvestorInput): string {
  return isIndividual(s) ? s.individual.fullName : s.institutional.name;
}

export function investorContacts(s: SubmitInvestorInput): { email: string; phone: string } {
  const c: IndividualKyc | InstitutionalKyc['contactPerson'] = isIndividual(s) ? s.individual : s.institutional.contactPerson;
  return { email: c.email, phone: c.phone };
}
