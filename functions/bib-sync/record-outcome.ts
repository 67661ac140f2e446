import { isBibError, type BibError } from '../../shared/bib/bib-error.js';
import { withTransaction } from '../../shared/db/tx.js';
import { backoffMs } from './backoff.js';
import type { PushCounts } from './run-report.js';
import { recordFailure, recordRetry, type Claimed, type SyncTable } from './sync-claims.repo.js';
import { PayloadProblem, type SyncContext } from './sync-context.js';

/** What is kept of a Bib failure: its kind, status and Bib's problem code; never the detail, which may echo our data. */
export function describeBibError(e: BibError): string {
  return ['Bib', e.kind, e.status, e.code].filter((p) => p !== undefined && p !== '').join(' ');
}

export interface PushFailure {
  table: SyncTable;
  claim: Claimed;
  /** Failed attempts before this one. */
  attempts: number;
  err: unknown;
  counts: PushCounts;
}

/**
 * Records why a push did not go through, as the record's tenant. Transient (Bib down, slow, rate limited):
 * retried after a backoff, FAILED once the attempts are spent. Permanent (Bib refused it) or a payload we
 * cannot send: FAILED at once. Refused by the open circuit: not an attempt, the lease simply goes back.
 * Anything else (the database failing) is thrown and fails the run.
 */
export async function recordPushFailure(ctx: SyncContext, f: PushFailure): Promise<void> {
  const { table, claim, counts } = f;
  const tenant = { companyIds: [claim.companyId] };
  if (f.err instanceof PayloadProblem) {
    const problem = f.err.message;
    if (await withTransaction(tenant, (tx) => recordFailure(tx, table, claim.id, problem))) counts.failed++;
    ctx.hold(table, claim.companyId, claim.id);
    ctx.log.warn({ table, id: claim.id, error: problem }, 'bib sync: record cannot be sent');
    return;
  }
  if (!isBibError(f.err)) throw f.err;
  const err = f.err;
  if (err.kind === 'circuit_open') {
    counts.released++;
    ctx.hold(table, claim.companyId, claim.id);
    return;
  }
  const error = describeBibError(err);
  if (err.transient) {
    const delayMs = backoffMs({ attempts: f.attempts, baseMs: ctx.limits.backoffBaseMs, maxMs: ctx.limits.backoffMaxMs, retryAfterMs: err.retryAfterMs, random: ctx.random });
    const status = await withTransaction(tenant, (tx) => recordRetry(tx, table, claim.id, { error, delayMs, maxAttempts: ctx.limits.maxAttempts }));
    ctx.hold(table, claim.companyId, claim.id);
    if (status === 'PENDING') counts.retried++;
    else if (status === 'FAILED') {
      counts.failed++;
      ctx.log.warn({ table, id: claim.id, error, attempts: f.attempts + 1 }, 'bib sync: record out of attempts');
    }
    ctx.log.debug({ table, id: claim.id, error, delayMs }, 'bib sync: push failed, retried later');
    return;
  }
  if (await withTransaction(tenant, (tx) => recordFailure(tx, table, claim.id, error))) counts.failed++;
  ctx.hold(table, claim.companyId, claim.id);
  ctx.log.warn({ table, id: claim.id, error }, 'bib sync: Bib refused the record');
}
