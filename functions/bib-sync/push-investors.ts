import { AppError } from '../../shared/errors.js';
import { bibInvestorCreate, type BibInvestor } from '../../shared/bib/contract.js';
import { withTransaction } from '../../shared/db/tx.js';
import { readInvestorToPush, recordInvestorSynced } from './investor-payload.repo.js';
import { recordPushFailure } from './record-outcome.js';
import { recordFailure, releaseClaims, type Claimed } from './sync-claims.repo.js';
import { sendable, type SyncContext } from './sync-context.js';

/**
 * Opens one claimed investor at Bib. The investor id is the idempotency key (and Bib's clientRef), so a retry
 * after a timeout that Bib had carried out gets the same investor back (200) instead of a second one. No
 * transaction is open during the call: the payload is read in one, the outcome written in another.
 */
export async function pushInvestor(ctx: SyncContext, claim: Claimed): Promise<void> {
  const counts = ctx.report.investors;
  const tenant = { companyIds: [claim.companyId] };
  let attempts = 0;
  let created: { value: BibInvestor; replayed: boolean };
  try {
    const toPush = await withTransaction(tenant, (tx) => readInvestorToPush(tx, claim.id));
    if (!toPush?.payload) {
      // Linked by hand or no longer approved since the claim: nothing to send.
      counts.skipped++;
      await withTransaction(tenant, (tx) => releaseClaims(tx, 'investor', [claim.id]));
      return;
    }
    attempts = toPush.attempts;
    created = await ctx.client.createInvestor(sendable(bibInvestorCreate, toPush.payload));
  } catch (err) {
    await recordPushFailure(ctx, { table: 'investor', claim, attempts, err, counts });
    return;
  }
  await recordLink(ctx, claim, created.value.id, created.replayed);
}

async function recordLink(ctx: SyncContext, claim: Claimed, bibId: string, replayed: boolean): Promise<void> {
  const counts = ctx.report.investors;
  const tenant = { companyIds: [claim.companyId] };
  let outcome;
  try {
    outcome = await withTransaction(tenant, (tx) => recordInvestorSynced(tx, claim.id, bibId));
  } catch (err) {
    // Bib's id is already another investor's in this company (a wrong manual link): an admin must look.
    if (!(err instanceof AppError && err.code === 'CONFLICT')) throw err;
    const error = `Bib id ${bibId} is linked to another investor`;
    if (await withTransaction(tenant, (tx) => recordFailure(tx, 'investor', claim.id, error))) counts.failed++;
    ctx.log.warn({ investorId: claim.id, bibId }, 'bib sync: Bib id already linked to another investor');
    ctx.hold('investor', claim.companyId, claim.id);
    return;
  }
  if (outcome.linked) {
    counts.synced++;
    if (replayed) counts.replayed++;
    return;
  }
  if (outcome.externalId === bibId) {
    // Another run (whose lease ran out) recorded the same investor first.
    counts.skipped++;
    return;
  }
  counts.keptManualLink++;
  ctx.log.warn({ investorId: claim.id, manualExternalId: outcome.externalId, bibId }, 'bib sync: investor linked by hand while its push was in flight; manual link kept');
}
