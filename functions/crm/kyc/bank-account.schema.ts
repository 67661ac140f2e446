import { z } from 'zod';
import type { FieldError } from '../../../shared/errors.js';

/** An investor's bank account for redemptions; bankCode is the 3-digit clearing code of GET /crm/banks. */
export const bankAccountSchema = z.strictObject({
  bankCode: z.string().regex(/^\d{3}$/, 'A 3-digit bank code'),
  // Printed account numbers come grouped with spaces or dashes; stored as digits only.
  accountNumber: z
    .string()
    .overwrite((v) => v.replace(/[\s-]/g, ''))
    .regex(/^\d{6,20}$/, 'An account number of 6 to 20 digits'),
  accountHolderName: z.string().trim().min(2).max(100),
  isPrimary: z.boolean(),
});
export type BankAccount = z.infer<typeof bankAccountSchema>;

export const bankAccountsSchema = z.array(bankAccountSchema).min(1).max(5);

/** Exactly one primary account (the default for redemptions) and no account listed twice. */
export function bankAccountRuleErrors(accounts: readonly BankAccount[], field = 'body.bankAccounts'): FieldError[] {
  const errors: FieldError[] = [];
  const primaries = accounts.filter((a) => a.isPrimary).length;
  if (primaries !== 1) {
    errors.push({ field, message: `Mark exactly one account as primary, not ${primaries}` });
  }
  const firstIndex = new Map<string, number>();
  accounts.forEach((a, i) => {
    const key = `${a.bankCode}/${a.accountNumber}`;
    const first = firstIndex.get(key);
    if (first === undefined) firstIndex.set(key, i);
    else errors.push({ field: `${field}.${i}.accountNumber`, message: `The same account as bank account ${first + 1}` });
  });
  return errors;
}
