import type { Queryable } from '../../shared/db/tx.js';
import type { BibOrderCreate } from '../../shared/bib/contract.js';
import { openSealedAccountNumber } from './investor-payload.repo.js';

export type InvestorSyncStatus = 'NOT_READY' | 'PENDING' | 'SYNCED' | 'FAILED';

export interface InstructionToPush {
  id: string;
  companyId: number;
  /** Failed attempts so far, for the backoff. */
  attempts: number;
  /** Still SIGNED and waiting for the push. */
  due: boolean;
  /** The investor's Bib id; without it the order cannot go yet. */
  investorExternalId: string | null;
  investorSyncStatus: InvestorSyncStatus;
  /** Null until the investor is at Bib (or when not due). */
  payload: BibOrderCreate | null;
}

interface InstructionRow {
  id: string;
  company_id: number;
  investor_id: string;
  type: BibOrderCreate['type'];
  product_code: string;
  target_product_code: string | null;
  amount: string | null;
  units: string | null;
  signed_at: Date | null;
  sync_attempts: number;
  due: boolean;
  investor_external_id: string | null;
  investor_sync_status: InvestorSyncStatus;
  bank_code: string | null;
  account_number_enc: string | null;
  account_holder_name: string | null;
}

/** What Bib needs for a signed instruction's order, read as its tenant; the redemption's account decrypted. */
export async function readInstructionToPush(q: Queryable, id: string): Promise<InstructionToPush | undefined> {
  const { rows } = await q.query<InstructionRow>(
    `select i.id, i.company_id, i.investor_id, i.type, i.product_code, i.target_product_code,
            i.amount::text as amount, i.units::text as units, i.signed_at, i.sync_attempts,
            (i.status = 'SIGNED' and i.sync_status in ('NOT_READY', 'PENDING', 'FAILED')) as due,
            v.external_id as investor_external_id, v.sync_status as investor_sync_status,
            b.bank_code, b.account_number_enc, b.account_holder_name
       from instruction i
       join investor v on v.id = i.investor_id
       left join investor_bank_account b on b.id = i.bank_account_id
      where i.id = $1::uuid`,
    [id],
  );
  const r = rows[0];
  if (!r) return undefined;
  const base = {
    id: r.id,
    companyId: Number(r.company_id),
    attempts: r.sync_attempts,
    due: r.due,
    investorExternalId: r.investor_external_id,
    investorSyncStatus: r.investor_sync_status,
  };
  if (!r.due || r.investor_external_id === null) return { ...base, payload: null };
  const redemptionAccount =
    r.type === 'REDEMPTION' && r.bank_code !== null && r.account_number_enc !== null
      ? { bankCode: r.bank_code, accountNumber: await openSealedAccountNumber(r.investor_id, r.account_number_enc), accountHolder: r.account_holder_name ?? '' }
      : null;
  return {
    ...base,
    payload: {
      clientRef: r.id,
      investorId: r.investor_external_id,
      type: r.type,
      productCode: r.product_code,
      targetProductCode: r.target_product_code,
      amount: r.amount,
      units: r.units,
      bankAccount: redemptionAccount,
      signedAt: (r.signed_at ?? new Date(0)).toISOString(),
    },
  };
}

/** The push is over (the order is recorded by applyBibOrder, or the instruction moved on): the lease goes. */
export async function clearInstructionClaim(q: Queryable, id: string): Promise<void> {
  await q.query(`update instruction set sync_claimed_until = null where id = $1::uuid`, [id]);
}
