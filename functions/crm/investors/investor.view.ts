import { bibSyncSchema, bibSyncView, syncStatuses } from '../bib-sync-view.js';
import { z } from 'zod';
import type { BankAccountRecord } from './bank-account.repo.js';
import { investorStatuses, type InvestorRecord } from './investor.repo.js';
import { masked } from './pii.js';

export const investorStatusSchema = z.enum(investorStatuses);
export const investorTypeSchema = z.enum(['INDIVIDUAL', 'INSTITUTIONAL']);

const bankAccountViewSchema = z.object({
  id: z.number().int(),
  bankCode: z.string(),
  accountNumberMasked: z.string(),
  accountHolderName: z.string(),
  isPrimary: z.boolean(),
  verified: z.boolean(),
  /** The holder name did not match the investor's name: an admin reviews it before approval. */
  needsReview: z.boolean(),
});

export const investorSchema = z.object({
  id: z.uuid(),
  type: investorTypeSchema,
  status: investorStatusSchema,
  fullName: z.string(),
  nikMasked: z.string().nullable(),
  npwpMasked: z.string().nullable(),
  email: z.string().nullable(),
  phone: z.string().nullable(),
  riskProfile: z.object({ questionnaireVersion: z.string(), score: z.number().int(), category: z.enum(['CONSERVATIVE', 'MODERATE', 'AGGRESSIVE']) }).nullable(),
  bankAccounts: z.array(bankAccountViewSchema),
  leadId: z.number().int().nullable(),
  rejectedReason: z.string().nullable(),
  externalId: z.string().nullable(),
  syncStatus: z.enum(syncStatuses),
  /** The push to Bib: attempts, last error, next attempt (bib-sync). */
  sync: bibSyncSchema,
  agentId: z.number().int(),
  companyId: z.number().int(),
  submittedAt: z.string().nullable(),
  decidedAt: z.string().nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type InvestorView = z.infer<typeof investorSchema>;

export function investorView(i: InvestorRecord, accounts: readonly BankAccountRecord[]): InvestorView {
  const individual = i.type === 'INDIVIDUAL';
  return {
    id: i.id,
    type: i.type,
    status: i.status,
    fullName: i.fullName,
    nikMasked: individual ? masked(i.idNumberLast4) : null,
    npwpMasked: individual ? null : masked(i.idNumberLast4, 15),
    email: i.email,
    phone: i.phone,
    riskProfile: i.riskProfile && { questionnaireVersion: i.riskProfile.questionnaireVersion, score: i.riskProfile.score, category: i.riskProfile.category },
    bankAccounts: accounts
      .filter((a) => a.investorId === i.id)
      .map((a) => ({
        id: a.id,
        bankCode: a.bankCode,
        accountNumberMasked: masked(a.accountNumberLast4, 10)!,
        accountHolderName: a.accountHolderName,
        isPrimary: a.isPrimary,
        verified: a.verified,
        needsReview: a.needsReview,
      })),
    leadId: i.leadId,
    rejectedReason: i.rejectedReason,
    externalId: i.externalId,
    syncStatus: i.syncStatus,
    sync: bibSyncView(i.sync),
    agentId: i.agentId,
    companyId: i.companyId,
    submittedAt: i.submittedAt?.toISOString() ?? null,
    decidedAt: i.decidedAt?.toISOString() ?? null,
    createdAt: i.createdAt.toISOString(),
    updatedAt: i.updatedAt.toISOString(),
  };
}
