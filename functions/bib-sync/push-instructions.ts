import { bibOrderCreate, type BibOrder } from '../../shared/bib/contract.js';
import { withTransaction } from '../../shared/db/tx.js';
import { applyBibOrder, type ApplyOutcome } from '../../shared/instructions/apply-bib-order.js';
import { clearInstructionClaim, readInstructionToPush } from './instruction-order.repo.js';
import { recordPushFailure } from './record-outcome.js';
import { recordDeferral, recordFailure, releaseClaims, type Claimed } from './sync-claims.repo.js';
import { sendable, type SyncContext } from './sync-context.js';

export const waitingForInvestor = 'waiting for the investor to be at Bib';

/**
 * Sends one claimed SIGNED instruction to Bib as an order. The instruction id is the idempotency key (and Bib's
 * clientRef): a retried call never creates a second order. The order needs the investor's Bib id; until the
 * investor is there, the instruction waits (no attempt counted). Bib's answer is recorded the way webhooks and
 * the pull record orders (applyBibOrder): SIGNED → SUBMITTED with the order id, or straight on to COMPLETED or
 * FAILED when a replay shows Bib already finished it; the RM hears of those by push.
 */
export async function pushInstruction(ctx: SyncContext, claim: Claimed): Promise<void> {
  const counts = ctx.report.instructions;
  const tenant = { companyIds: [claim.companyId] };
  let attempts = 0;
  let created: { value: BibOrder; replayed: boolean };
  try {
    const toPush = await withTransaction(tenant, (tx) => readInstructionToPush(tx, claim.id));
    if (!toPush?.due) {
      counts.skipped++;
      await withTransaction(tenant, (tx) => releaseClaims(tx, 'instruction', [claim.id]));
      return;
    }
    attempts = toPush.attempts;
    if (!toPush.payload) {
      // An investor that Bib refused waits for an admin; one still being pushed is usually there within a run.
      const delayMs = toPush.investorSyncStatus === 'FAILED' ? ctx.limits.backoffMaxMs : ctx.limits.backoffBaseMs;
      await withTransaction(tenant, (tx) => recordDeferral(tx, 'instruction', claim.id, { reason: waitingForInvestor, delayMs }));
      ctx.hold('instruction', claim.companyId, claim.id);
      counts.deferred++;
      return;
    }
    created = await ctx.client.createOrder(sendable(bibOrderCreate, toPush.payload));
  } catch (err) {
    await recordPushFailure(ctx, { table: 'instruction', claim, attempts, err, counts });
    return;
  }
  await recordOrder(ctx, claim, created.value, created.replayed);
}

async function recordOrder(ctx: SyncContext, claim: Claimed, order: BibOrder, replayed: boolean): Promise<void> {
  const counts = ctx.report.instructions;
  const outcome: ApplyOutcome = await withTransaction({ companyIds: [claim.companyId] }, async (tx) => {
    const applied = await applyBibOrder(order, { tx, log: ctx.log });
    if (applied === 'mismatch') {
      // The instruction already names another order: an admin must look; nothing is overwritten.
      await recordFailure(tx, 'instruction', claim.id, `Bib answered with order ${order.id}, not the instruction's`);
    } else {
      await clearInstructionClaim(tx, claim.id);
    }
    return applied;
  });
  if (outcome === 'mismatch') ctx.hold('instruction', claim.companyId, claim.id);
  if (outcome === 'applied' || outcome === 'unchanged') {
    counts.synced++;
    if (replayed) counts.replayed++;
  } else if (outcome === 'mismatch') {
    counts.failed++;
  } else {
    // 'stale': a webhook or the pull recorded this order first; 'unknown': the instruction is gone.
    counts.skipped++;
  }
}
