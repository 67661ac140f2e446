import type { Queryable } from '../../../shared/db/tx.js';

export interface BankAccountRecord {
  id: number;
  investorId: string;
  bankCode: string;
  accountNumberLast4: string;
  accountHolderName: string;
  isPrimary: boolean;
  needsReview: boolean;
  verified: boolean;
}

export interface NewBankAccount {
  bankCode: string;
  accountNumberEnc: string;
  accountNumberHash: string;
  accountNumberLast4: string;
  accountHolderName: string;
  isPrimary: boolean;
  needsReview: boolean;
}

export async function insertBankAccounts(q: Queryable, investorId: string, companyId: number, accounts: NewBankAccount[]): Promise<void> {
  await q.query(
    `insert into investor_bank_account (investor_id, company_id, bank_code, account_number_enc, account_number_hash,
        account_number_last4, account_holder_name, is_primary, needs_review)
     select $1::uuid, $2::bigint, a.bank_code, a.enc, a.hash, a.last4, a.holder, a.is_primary, a.needs_review
       from jsonb_to_recordset($3::jsonb) as a (bank_code text, enc text, hash text, last4 text, holder text, is_primary boolean, needs_review boolean)`,
    [
      investorId,
      companyId,
      JSON.stringify(
        accounts.map((a) => ({ bank_code: a.bankCode, enc: a.accountNumberEnc, hash: a.accountNumberHash, last4: a.accountNumberLast4, holder: a.accountHolderName, is_primary: a.isPrimary, needs_review: a.needsReview })),
      ),
    ],
  );
}

/** The accounts of a page of investors in one statement, primary first. */
export async function listBankAccounts(q: Queryable, investorIds: readonly string[]): Promise<BankAccountRecord[]> {
  if (investorIds.length === 0) return [];
  const { rows } = await q.query<{
    id: string; investor_id: string; bank_code: string; account_number_last4: string; account_holder_name: string;
    is_primary: boolean; needs_review: boolean; verified: boolean;
  }>(
    `select id, investor_id, bank_code, account_number_last4, account_holder_name, is_primary, needs_review, verified
       from investor_bank_account where investor_id = any ($1::uuid[])
      order by investor_id, is_primary desc, id`,
    [investorIds],
  );
  return rows.map((r) => ({
    id: Number(r.id), investorId: r.investor_id, bankCode: r.bank_code, accountNumberLast4: r.account_number_last4,
    accountHolderName: r.account_holder_name, isPrimary: r.is_primary, needsReview: r.needs_review, verified: r.verified,
  }));
}

/** An admin approving an investor has looked at its accounts, flagged ones included. */
export async function verifyBankAccounts(q: Queryable, investorIds: readonly string[]): Promise<void> {
  await q.query(`update investor_bank_account set verified = true where investor_id = any ($1::uuid[]) and not verified`, [investorIds]);
}

export async function findSealedAccountNumbers(q: Queryable, investorId: string): Promise<{ id: number; bankCode: string; enc: string }[]> {
  const { rows } = await q.query<{ id: string; bank_code: string; account_number_enc: string }>(
    `select id, bank_code, account_number_enc from investor_bank_account where investor_id = $1::uuid order by is_primary desc, id`,
    [investorId],
  );
  return rows.map((r) => ({ id: Number(r.id), bankCode: r.bank_code, enc: r.account_number_enc }));
}
