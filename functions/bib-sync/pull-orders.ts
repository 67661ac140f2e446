import { systemActor, withTransaction } from '../../shared/db/tx.js';
import { isBibError } from '../../shared/bib/bib-error.js';
import type { BibOrder } from '../../shared/bib/contract.js';
import { applyBibOrder } from '../../shared/instructions/apply-bib-order.js';
import { describeBibError } from './record-outcome.js';
import { advanceWatermark, ordersWatermark, readWatermark, watermarkOrigin } from './sync-state.repo.js';
import type { SyncContext } from './sync-context.js';
import { runPool, type StopReason } from './work-pool.js';

const pageSize = 100;

/**
 * Pulls the orders Bib changed since the watermark, a page at a time, oldest change first, and applies each to
 * its instruction (applyBibOrder: in order of the order's version, so a webhook that came first, or the boundary
 * order read again because Bib's filter is "at or after", changes nothing). After each page the watermark moves
 * to the newest updatedAt applied. Stops at the deadline or when the circuit opens; a Bib failure ends the pull
 * for this run (the next one resumes from the watermark).
 */
export async function pullOrders(ctx: SyncContext): Promise<StopReason | undefined> {
  const counts = ctx.report.orders;
  const since = (await withTransaction(systemActor, (tx) => readWatermark(tx, ordersWatermark))) ?? watermarkOrigin;
  let cursor: string | null = null;
  do {
    const reason = ctx.stop();
    if (reason) return reason;
    let page;
    try {
      page = await ctx.client.listOrdersChangedSince({ since, cursor, limit: pageSize });
    } catch (err) {
      if (!isBibError(err)) throw err;
      ctx.log.warn({ error: describeBibError(err) }, 'bib sync: pulling orders failed; the next run resumes from the watermark');
      return err.kind === 'circuit_open' ? 'circuit_open' : undefined;
    }
    counts.pages++;
    counts.seen += page.items.length;
    // Orders are distinct within a page, so they are applied side by side; the watermark waits for all of them.
    const { stoppedBy } = await runPool({
      items: page.items,
      concurrency: ctx.limits.concurrency,
      breaker: ctx.client.breaker,
      stop: () => undefined,
      work: async (order: BibOrder) => {
        counts[await applyBibOrder(order, { log: ctx.log })]++;
      },
    });
    if (stoppedBy) return stoppedBy;
    const newest = page.items.reduce<string | undefined>((max, o) => (max === undefined || Date.parse(o.updatedAt) > Date.parse(max) ? o.updatedAt : max), undefined);
    if (newest) await withTransaction(systemActor, (tx) => advanceWatermark(tx, ordersWatermark, newest));
    cursor = page.nextCursor;
  } while (cursor);
  return undefined;
}
