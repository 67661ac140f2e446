import { z } from 'zod';
import { decimalSchema } from './decimal.js';
import { instructionTypeSchema } from './instruction.view.js';

const productCodeSchema = z.string().trim().toUpperCase().regex(/^[A-Z0-9][A-Z0-9_-]{1,31}$/, 'A product code');

/**
 * POST /crm/instructions. What each type takes is checked here (400 on the field); what needs the catalogue
 * or the investor's accounts (minimums, product house, verified account) in create-instruction.ts (422).
 * null is taken as absent.
 */
export const createInstructionSchema = z
  .strictObject({
    investorId: z.uuid(),
    type: instructionTypeSchema,
    productCode: productCodeSchema,
    targetProductCode: productCodeSchema.nullish(),
    amount: decimalSchema(2).nullish(),
    units: decimalSchema(4).nullish(),
    bankAccountId: z.number().int().positive().nullish(),
    riskAcknowledged: z.boolean().nullish(),
  })
  .superRefine((b, ctx) => {
    const issue = (field: string, message: string) => ctx.addIssue({ code: 'custom', path: [field], message });
    const has = (v: unknown) => v !== undefined && v !== null;
    if (b.type === 'SUBSCRIPTION') {
      if (!has(b.amount)) issue('amount', 'A subscription needs the amount to invest');
      if (has(b.units)) issue('units', 'A subscription is an amount, not units');
    } else if (has(b.amount) && has(b.units)) {
      issue('units', `A ${b.type.toLowerCase()} is an amount or units, not both`);
    } else if (!has(b.amount) && !has(b.units)) {
      issue('amount', `A ${b.type.toLowerCase()} needs an amount or units`);
    }
    if (b.type === 'SWITCHING') {
      if (!has(b.targetProductCode)) issue('targetProductCode', 'A switch needs the product to switch into');
      else if (b.targetProductCode === b.productCode) issue('targetProductCode', 'Switch into another product');
    } else if (has(b.targetProductCode)) {
      issue('targetProductCode', 'Only a switch has a target product');
    }
    if (b.type === 'REDEMPTION') {
      if (!has(b.bankAccountId)) issue('bankAccountId', 'A redemption is paid to one of the investor’s bank accounts');
    } else if (has(b.bankAccountId)) {
      issue('bankAccountId', 'Only a redemption is paid to a bank account');
    }
  });

export type CreateInstructionInput = z.infer<typeof createInstructionSchema>;
