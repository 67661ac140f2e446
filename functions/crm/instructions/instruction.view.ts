import { bibOrderStatuses } from '../../../shared/bib/contract.js';
import { bibSyncSchema, bibSyncView, syncStatuses } from '../bib-sync-view.js';
import { z } from 'zod';
import { instructionStatuses } from '../../../shared/instructions/instruction-status.js';
import { instructionTypes, type InstructionRecord } from './instruction.repo.js';

export const instructionStatusSchema = z.enum(instructionStatuses);
export const instructionTypeSchema = z.enum(instructionTypes);

const decimal = z.string().regex(/^\d+\.\d+$/);

export const suitabilitySchema = z.object({
  productRiskLevel: z.number().int().min(1).max(5),
  investorRiskProfile: z.enum(['CONSERVATIVE', 'MODERATE', 'AGGRESSIVE']),
  maxRiskLevel: z.number().int().min(1).max(5),
  suitable: z.boolean(),
  /** Present when the product is above the investor's profile: what the investor acknowledged (suitability-statement.ts). */
  acknowledgement: z
    .object({
      statement: z.object({ id: z.string(), en: z.string() }),
      version: z.string(),
      recordedBy: z.number().int(),
      recordedAt: z.string(),
    })
    .optional(),
});

export const instructionSchema = z.object({
  id: z.uuid(),
  companyId: z.number().int(),
  investorId: z.uuid(),
  agentId: z.number().int(),
  type: instructionTypeSchema,
  productCode: z.string(),
  /** The fund's name as it was when the instruction was made. */
  productName: z.string(),
  targetProductCode: z.string().nullable(),
  targetProductName: z.string().nullable(),
  /** IDR, two decimals ("1500000.00"). */
  amount: decimal.nullable(),
  /** Four decimals ("125.5000"). */
  units: decimal.nullable(),
  bankAccountId: z.number().int().nullable(),
  /** The product's fee for this kind of instruction, in percent ("1.50"); null when the product publishes none. */
  feePct: decimal.nullable(),
  suitability: suitabilitySchema,
  status: instructionStatusSchema,
  /** Until when the investor's signature link works. */
  linkExpiresAt: z.string(),
  signedAt: z.string().nullable(),
  investorReason: z.string().nullable(),
  cancelledAt: z.string().nullable(),
  cancelReason: z.string().nullable(),
  externalId: z.string().nullable(),
  /** The push to Bib (bib-sync): PENDING once signed, SYNCED with the order id in externalId. */
  syncStatus: z.enum(syncStatuses),
  sync: bibSyncSchema,
  bibOrderStatus: z.enum(bibOrderStatuses).nullable(),
  /** Bib's reason when the order was rejected (FAILED). */
  failureReason: z.string().nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type InstructionView = z.infer<typeof instructionSchema>;

export function instructionView(i: InstructionRecord): InstructionView {
  return {
    id: i.id,
    companyId: i.companyId,
    investorId: i.investorId,
    agentId: i.agentId,
    type: i.type,
    productCode: i.productCode,
    productName: i.productName,
    targetProductCode: i.targetProductCode,
    targetProductName: i.targetProductName,
    amount: i.amount,
    units: i.units,
    bankAccountId: i.bankAccountId,
    feePct: i.feePct,
    suitability: i.suitability,
    status: i.status,
    linkExpiresAt: i.linkExpiresAt.toISOString(),
    signedAt: i.signedAt?.toISOString() ?? null,
    investorReason: i.investorReason,
    cancelledAt: i.cancelledAt?.toISOString() ?? null,
    cancelReason: i.cancelReason,
    externalId: i.externalId,
    syncStatus: i.syncStatus,
    sync: bibSyncView(i.sync),
    bibOrderStatus: i.bibOrderStatus,
    failureReason: i.failureReason,
    createdAt: i.createdAt.toISOString(),
    updatedAt: i.updatedAt.toISOString(),
  };
}
