import { AppError } from '../../../shared/errors.js';
import { withTransaction, type DbActor, type Tx } from '../../../shared/db/tx.js';
import { emit } from '../../../shared/events/outbox.js';
import { listBankAccounts, verifyBankAccounts } from './bank-account.repo.js';
import { findInvestors, recordDecision, type InvestorRecord } from './investor.repo.js';
import { investorView, type InvestorView } from './investor.view.js';

export interface DecideInvestorsOptions {
  actor: DbActor;
  ids: string[];
  decision: 'APPROVE' | 'REJECT';
  reason?: string;
}

/**
 * Approves or rejects submitted investors, all or none: every id must be visible and SUBMITTED, otherwise
 * nothing changes. Approval marks the bank accounts verified (the admin has reviewed any flagged holder
 * name) and makes the investor due for the Bib sync. Each investor's agent gets a push.
 */
export async function decideInvestors(o: DecideInvestorsOptions): Promise<InvestorView[]> {
  const ids = [...new Set(o.ids)];
  return withTransaction(o.actor, async (tx) => {
    const found = await findInvestors(tx, ids, true);
    const missing = ids.filter((id) => !found.some((i) => i.id === id));
    if (missing.length) throw new AppError('NOT_FOUND', { detail: 'No such investor', extra: { ids: missing } });
    const notSubmitted = found.filter((i) => i.status !== 'SUBMITTED');
    if (notSubmitted.length) {
      throw new AppError('CONFLICT', { detail: 'Only submitted investors are approved or rejected', extra: { ids: notSubmitted.map((i) => i.id) } });
    }
    const decided = await recordDecision(tx, ids, o.decision === 'APPROVE' ? { status: 'APPROVED' } : { status: 'REJECTED', reason: o.reason! });
    if (o.decision === 'APPROVE') await verifyBankAccounts(tx, ids);
    for (const investor of decided) await tellAgent(tx, investor);
    const accounts = await listBankAccounts(tx, ids);
    const order = new Map(ids.map((id, n) => [id, n]));
    return decided.sort((a, b) => order.get(a.id)! - order.get(b.id)!).map((i) => investorView(i, accounts));
  });
}

async function tellAgent(tx: Tx, i: InvestorRecord): Promise<void> {
  const approved = i.status === 'APPROVED';
  await emit(
    tx,
    'push.requested',
    {
      userIds: [i.agentId],
      type: approved ? 'INVESTOR_APPROVED' : 'INVESTOR_REJECTED',
      title: approved ? 'Investor approved' : 'Investor rejected',
      body: approved ? `${i.fullName} can now transact.` : `${i.fullName}: ${i.rejectedReason}`,
      data: { investorId: i.id, status: i.status },
    },
    { companyId: i.companyId },
  );
}
