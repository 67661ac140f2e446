import { z } from 'zod';
import { maxDocumentBytes } from '../documents/document.repo.js';
import { bankAccountsSchema } from '../kyc/bank-account.schema.js';
import { individualSchema } from '../kyc/individual.schema.js';
import { riskProfileSchema } from '../kyc/risk-questionnaire.js';
import type { SubmitInvestorInput } from '../investors/kyc-input.js';

/** POST /crm/links/{token}/registration: the step-up code and the individual KYC of POST /crm/investors. */
export const registrationSchema = z.strictObject({
  code: z.string().regex(/^\d{6}$/, 'Six digits'),
  individual: individualSchema,
  riskProfile: riskProfileSchema,
  bankAccounts: bankAccountsSchema,
});
export type RegistrationInput = z.infer<typeof registrationSchema>;

/** The same KYC as the agent's submission, so both go through one set of checks (investors/write-kyc.ts). */
export function asSubmission(r: RegistrationInput): SubmitInvestorInput {
  return { type: 'INDIVIDUAL', individual: r.individual, riskProfile: r.riskProfile, bankAccounts: r.bankAccounts };
}

/** Link uploads: the two pictures the page asks for. */
export const linkDocumentSchema = z.strictObject({
  kind: z.enum(['KTP', 'SELFIE']),
  contentType: z.enum(['image/jpeg', 'image/png']),
  size: z.number().int().min(1).max(maxDocumentBytes),
});
