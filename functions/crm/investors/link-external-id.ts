import { AppError } from '../../../shared/errors.js';
import { withTransaction, type DbActor } from '../../../shared/db/tx.js';
import { notFound } from '../crm-access.js';
import { listBankAccounts } from './bank-account.repo.js';
import { findInvestor, setExternalId } from './investor.repo.js';
import { investorView, type InvestorView } from './investor.view.js';

export interface LinkExternalIdOptions {
  actor: DbActor;
  id: string;
  externalId: string;
}

/** Links an approved investor to its Bib id by hand; the sync then treats it as present at Bib. */
export async function linkExternalId(o: LinkExternalIdOptions): Promise<InvestorView> {
  return withTransaction(o.actor, async (tx) => {
    const investor = await findInvestor(tx, o.id, true);
    if (!investor) throw notFound('investor');
    if (investor.status !== 'APPROVED') {
      throw new AppError('CONFLICT', { detail: 'Only an approved investor is linked to Bib', extra: { investorStatus: investor.status } });
    }
    const linked = await setExternalId(tx, investor.id, o.externalId);
    return investorView(linked, await listBankAccounts(tx, [linked.id]));
  });
}
