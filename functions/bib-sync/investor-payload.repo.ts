import type { Queryable } from '../../shared/db/tx.js';
import { currentKeyId } from '../../shared/crypto/encryption.js';
import { unseal, type EncryptedField } from '../../shared/crypto/investor-fields.js';
import type { BibInvestorCreate } from '../../shared/bib/contract.js';
import { PayloadProblem } from './sync-context.js';

/**
 * What Bib needs to open an investor, read as the investor's tenant, with the identity number and the bank
 * account numbers decrypted (each bound to its column and investor: shared/crypto/investor-fields.ts).
 */
/**
 * A value that does not decrypt (its key retired, a value copied from elsewhere) makes that record unsendable;
 * the keyring not loading (Secret Manager down) is the run's failure, so it is loaded first, outside the catch.
 */
async function open(field: EncryptedField, investorId: string, sealed: string): Promise<string> {
  await currentKeyId();
  try {
    return (await unseal(field, investorId, sealed))!;
  } catch (err) {
    throw new PayloadProblem('personal data could not be decrypted', { cause: err });
  }
}

export interface InvestorToPush {
  id: string;
  companyId: number;
  /** Failed attempts so far, for the backoff. */
  attempts: number;
  /** Null when the investor no longer waits for the push (linked by hand, or no longer approved). */
  payload: BibInvestorCreate | null;
}

interface InvestorRow {
  id: string;
  company_id: number;
  agent_id: number;
  type: 'INDIVIDUAL' | 'INSTITUTIONAL';
  full_name: string;
  email: string | null;
  phone: string | null;
  risk_category: BibInvestorCreate['riskProfile'];
  sync_attempts: number;
  due: boolean;
  nik_enc: string | null;
  birth_date: string | null;
  institution_npwp_enc: string | null;
}

export async function readInvestorToPush(q: Queryable, id: string): Promise<InvestorToPush | undefined> {
  const { rows } = await q.query<InvestorRow>(
    `select v.id, v.company_id, v.agent_id, v.type, v.full_name, v.email, v.phone, v.risk_category, v.sync_attempts,
            (v.status = 'APPROVED' and v.external_id is null and v.sync_status in ('PENDING', 'FAILED')) as due,
            p.nik_enc, to_char(p.birth_date, 'YYYY-MM-DD') as birth_date, n.npwp_enc as institution_npwp_enc
       from investor v
       left join investor_individual p on p.investor_id = v.id
       left join investor_institutional n on n.investor_id = v.id
      where v.id = $1::uuid`,
    [id],
  );
  const r = rows[0];
  if (!r) return undefined;
  const base = { id: r.id, companyId: Number(r.company_id), attempts: r.sync_attempts };
  if (!r.due) return { ...base, payload: null };
  const sealedId = r.type === 'INDIVIDUAL' ? r.nik_enc : r.institution_npwp_enc;
  const identityNumber = sealedId === null ? '' : await open(r.type === 'INDIVIDUAL' ? 'nik' : 'institutionNpwp', r.id, sealedId);
  return {
    ...base,
    payload: {
      clientRef: r.id,
      companyId: Number(r.company_id),
      agentRef: String(r.agent_id),
      type: r.type,
      fullName: r.full_name,
      email: r.email,
      phone: r.phone,
      identityNumber,
      birthDate: r.birth_date,
      riskProfile: r.risk_category,
      bankAccounts: await readVerifiedAccounts(q, r.id),
    },
  };
}

/** The accounts the admin verified on approval, the primary first (Bib takes at most 10). */
async function readVerifiedAccounts(q: Queryable, investorId: string): Promise<BibInvestorCreate['bankAccounts']> {
  const { rows } = await q.query<{ bank_code: string; account_number_enc: string; account_holder_name: string }>(
    `select bank_code, account_number_enc, account_holder_name
       from investor_bank_account
      where investor_id = $1::uuid and verified
      order by is_primary desc, id
      limit 10`,
    [investorId],
  );
  return Promise.all(
    rows.map(async (a) => ({
      bankCode: a.bank_code,
      accountNumber: await openSealedAccountNumber(investorId, a.account_number_enc),
      accountHolder: a.account_holder_name,
    })),
  );
}

/** A bank account number, decrypted (bound to its investor, whichever account it is). */
export function openSealedAccountNumber(investorId: string, sealed: string): Promise<string> {
  return open('accountNumber', investorId, sealed);
}

export type LinkOutcome = { linked: true } | { linked: false; externalId: string | null };

/**
 * The push succeeded: the investor gets Bib's id, unless an admin linked it by hand meanwhile (that link wins;
 * the caller logs both ids). The bookkeeping is cleared either way.
 */
export async function recordInvestorSynced(q: Queryable, id: string, bibId: string): Promise<LinkOutcome> {
  const { rowCount } = await q.query(
    `update investor
        set external_id = $2::text, sync_status = 'SYNCED', synced_at = now(), sync_error = null,
            sync_next_at = null, sync_claimed_until = null
      where id = $1::uuid and external_id is null`,
    [id, bibId],
  );
  if ((rowCount ?? 0) > 0) return { linked: true };
  const { rows } = await q.query<{ external_id: string | null }>(
    `update investor set sync_claimed_until = null, sync_error = null where id = $1::uuid returning external_id`,
    [id],
  );
  return { linked: false, externalId: rows[0]?.external_id ?? null };
}
