import { withTransaction, type DbActor } from '../../../shared/db/tx.js';
import { notFound } from '../crm-access.js';
import { findSealedAccountNumbers } from './bank-account.repo.js';
import { findInvestor } from './investor.repo.js';
import { findSealedKyc, recordReveal } from './investor-kyc.repo.js';
import { unseal } from '../../../shared/crypto/investor-fields.js';

export interface RevealInvestorPiiOptions {
  actor: DbActor;
  id: string;
}

export interface InvestorPii {
  nik: string | null;
  npwp: string | null;
  motherMaidenName: string | null;
  usTin: string | null;
  bankAccounts: { id: number; bankCode: string; accountNumber: string }[];
  authorizedPersons: { id: number; name: string; nik: string }[];
}

/**
 * The full sensitive values of one investor, for an admin who needs them (permission investor:reveal). The
 * reading is written to the audit trail (action "reveal", which fields) in the same transaction.
 */
export async function revealInvestorPii(o: RevealInvestorPiiOptions): Promise<InvestorPii> {
  return withTransaction(o.actor, async (tx) => {
    const investor = await findInvestor(tx, o.id);
    if (!investor) throw notFound('investor');
    const sealed = await findSealedKyc(tx, investor.id);
    const accounts = await findSealedAccountNumbers(tx, investor.id);
    const id = investor.id;
    const pii: InvestorPii = {
      nik: await unseal('nik', id, sealed.nikEnc),
      npwp: (await unseal('npwp', id, sealed.npwpEnc)) ?? (await unseal('institutionNpwp', id, sealed.institutionNpwpEnc)),
      motherMaidenName: await unseal('motherMaidenName', id, sealed.motherMaidenNameEnc),
      usTin: await unseal('usTin', id, sealed.usTinEnc),
      bankAccounts: await Promise.all(accounts.map(async (a) => ({ id: a.id, bankCode: a.bankCode, accountNumber: (await unseal('accountNumber', id, a.enc))! }))),
      authorizedPersons: await Promise.all(sealed.authorizedPersons.map(async (p) => ({ id: p.id, name: p.name, nik: (await unseal('authorizedNik', id, p.nikEnc))! }))),
    };
    const fields = Object.entries(pii).filter(([, v]) => v !== null && !(Array.isArray(v) && v.length === 0)).map(([k]) => k);
    await recordReveal(tx, id, investor.companyId, fields);
    return pii;
  });
}
