import { AppError } from '../../../shared/errors.js';
import { withTransaction, type DbActor } from '../../../shared/db/tx.js';
import { emit } from '../../../shared/events/outbox.js';
import { findInvestors } from './investor.repo.js';
import { countDueForSync } from './investor-list.repo.js';

export interface RequestBibSyncOptions {
  actor: DbActor;
  investorIds?: string[];
}

/**
 * Queues a Bib sync now (bib.sync.requested), one message per tenant: of the named investors, which must be
 * visible and approved, or of everything due in the caller's companies. The sync function does the work; the
 * answer says how many investors it covers.
 */
export async function requestBibSync(o: RequestBibSyncOptions): Promise<{ queued: number }> {
  return withTransaction(o.actor, async (tx) => {
    if (!o.investorIds) {
      for (const companyId of o.actor.companyIds) await emit(tx, 'bib.sync.requested', { scope: 'company', companyId }, { companyId });
      return { queued: await countDueForSync(tx) };
    }
    const ids = [...new Set(o.investorIds)];
    const found = await findInvestors(tx, ids);
    const missing = ids.filter((id) => !found.some((i) => i.id === id));
    if (missing.length) throw new AppError('NOT_FOUND', { detail: 'No such investor', extra: { ids: missing } });
    const unapproved = found.filter((i) => i.status !== 'APPROVED');
    if (unapproved.length) {
      throw new AppError('CONFLICT', { detail: 'Only approved investors are synced', extra: { ids: unapproved.map((i) => i.id) } });
    }
    // In the order asked, one message per tenant.
    const companyOf = new Map(found.map((i) => [i.id, i.companyId]));
    for (const companyId of new Set(ids.map((id) => companyOf.get(id)!))) {
      const investorIds = ids.filter((id) => companyOf.get(id) === companyId);
      await emit(tx, 'bib.sync.requested', { scope: 'investors', investorIds }, { companyId });
    }
    return { queued: ids.length };
  });
}
