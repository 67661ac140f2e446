import type { BibClient } from '../../shared/bib/client.js';
import { bibClient } from '../../shared/bib/bib.js';
import { config } from '../../shared/config.js';
import { systemActor, withTransaction } from '../../shared/db/tx.js';
import type { TopicPayload } from '../../shared/events/topics.js';
import { logger, type Logger } from '../../shared/logging.js';
import { pullOrders } from './pull-orders.js';
import { pushInstruction } from './push-instructions.js';
import { pushInvestor } from './push-investors.js';
import { refreshProducts } from './refresh-products.js';
import { logReport, newReport, type PushCounts, type RunReport } from './run-report.js';
import { claimDue, releaseClaims, type Claimed, type SyncTable } from './sync-claims.repo.js';
import type { SyncContext, SyncLimits } from './sync-context.js';
import { runPool, type StopReason } from './work-pool.js';

export type SyncScope = TopicPayload<'bib.sync.requested'>;

export interface RunSyncOptions {
  scope: SyncScope;
  /** The process's client (bib.ts) unless given. */
  client?: BibClient;
  /** Milliseconds clock for the run's deadline. */
  now?: () => number;
  limits?: Partial<SyncLimits>;
  /** The scheduled run refreshes the product cache first. */
  refreshProducts?: boolean;
  log?: Logger;
  random?: () => number;
}

export function defaultLimits(): SyncLimits {
  const c = config();
  return {
    batch: c.BIB_SYNC_BATCH,
    concurrency: c.BIB_SYNC_CONCURRENCY,
    maxMs: c.BIB_SYNC_MAX_MS,
    backoffBaseMs: c.BIB_BACKOFF_BASE_MS,
    backoffMaxMs: c.BIB_BACKOFF_MAX_MS,
    maxAttempts: c.BIB_SYNC_MAX_ATTEMPTS,
    // Outlasts the run and the calls still in flight at its deadline (a token call, the call, one retry on 401).
    leaseSeconds: Math.ceil((c.BIB_SYNC_MAX_MS + 3 * c.BIB_TIMEOUT_MS) / 1000) + 30,
  };
}

/**
 * One sync run: (the product cache, scheduled runs only) → investors → instructions → orders pulled back.
 * Each push phase claims batches of due records (leases, so overlapping runs never share a record) and works
 * them a few at a time until none is due, the deadline passes or Bib's circuit opens. Records it tried and
 * will retry stay leased until the run ends, so it takes each at most once. Throws only when the database
 * fails (Pub/Sub then redelivers); Bib's failures are recorded per record.
 */
export async function runSync(o: RunSyncOptions): Promise<RunReport> {
  const now = o.now ?? Date.now;
  const started = now();
  const limits = { ...defaultLimits(), ...o.limits };
  const client = o.client ?? bibClient();
  const log = o.log ?? logger();
  const report = newReport(o.scope.scope);
  const callsBefore = client.calls;
  const openedBefore = client.breaker.opened;
  const held = new Map<SyncTable, Map<number, string[]>>();
  const ctx: SyncContext = {
    client,
    limits,
    log,
    report,
    random: o.random ?? Math.random,
    stop: () => (now() - started >= limits.maxMs ? 'deadline' : client.breaker.state === 'open' ? 'circuit_open' : undefined),
    hold: (table, companyId, id) => {
      const byCompany = held.get(table) ?? held.set(table, new Map()).get(table)!;
      const ids = byCompany.get(companyId) ?? byCompany.set(companyId, []).get(companyId)!;
      ids.push(id);
    },
  };
  try {
    if (o.refreshProducts) report.products = await refreshProducts(log);
    const stoppedBy = await runPhases(ctx, o.scope);
    report.stoppedBy = stoppedBy ?? 'done';
  } finally {
    // Their leases would run out anyway; released now, other runs may take them as soon as they are due.
    for (const [table, byCompany] of held) {
      await releaseByCompany(table, byCompany).catch((err: unknown) => log.warn({ err, table }, 'bib sync: releasing leases failed'));
    }
  }
  report.durationMs = now() - started;
  report.bibCalls = client.calls - callsBefore;
  report.circuitOpened = client.breaker.opened - openedBefore;
  logReport(log, report);
  return report;
}

async function runPhases(ctx: SyncContext, scope: SyncScope): Promise<StopReason | undefined> {
  const companyId = scope.scope === 'company' ? scope.companyId : null;
  if (scope.scope !== 'instructions') {
    const ids = scope.scope === 'investors' ? scope.investorIds : null;
    const stopped = await pushPhase(ctx, { table: 'investor', companyId, ids, counts: ctx.report.investors, push: (c) => pushInvestor(ctx, c) });
    if (stopped) return stopped;
  }
  if (scope.scope !== 'investors') {
    const ids = scope.scope === 'instructions' ? scope.instructionIds : null;
    const stopped = await pushPhase(ctx, { table: 'instruction', companyId, ids, counts: ctx.report.instructions, push: (c) => pushInstruction(ctx, c) });
    if (stopped) return stopped;
  }
  // Bib's orders are not per tenant: any run over all or a whole company brings statuses back.
  if (scope.scope === 'all' || scope.scope === 'company') return pullOrders(ctx);
  return undefined;
}

interface Phase {
  table: SyncTable;
  companyId: number | null;
  ids: readonly string[] | null;
  counts: PushCounts;
  push: (claim: Claimed) => Promise<void>;
}

async function pushPhase(ctx: SyncContext, p: Phase): Promise<StopReason | undefined> {
  for (;;) {
    const reason = ctx.stop();
    if (reason) return reason;
    const filter = { max: ctx.limits.batch, leaseSeconds: ctx.limits.leaseSeconds, companyId: p.companyId, ids: p.ids };
    // The claim spans tenants (a SECURITY DEFINER function); each record is then pushed as its tenant.
    const claimed = await withTransaction(systemActor, (tx) => claimDue(tx, p.table, filter));
    if (claimed.length === 0) return undefined;
    p.counts.claimed += claimed.length;
    const { unstarted, stoppedBy } = await runPool({ items: claimed, concurrency: ctx.limits.concurrency, breaker: ctx.client.breaker, stop: ctx.stop, work: p.push });
    if (unstarted.length > 0) {
      // Not started: no attempt counted, and the next run (or another one now) may take them at once.
      p.counts.released += unstarted.length;
      await releaseByCompany(p.table, groupByCompany(unstarted));
    }
    if (stoppedBy) return stoppedBy;
  }
}

function groupByCompany(claims: readonly Claimed[]): Map<number, string[]> {
  const byCompany = new Map<number, string[]>();
  for (const c of claims) (byCompany.get(c.companyId) ?? byCompany.set(c.companyId, []).get(c.companyId)!).push(c.id);
  return byCompany;
}

async function releaseByCompany(table: SyncTable, byCompany: ReadonlyMap<number, readonly string[]>): Promise<void> {
  for (const [companyId, ids] of byCompany) {
    await withTransaction({ companyIds: [companyId] }, (tx) => releaseClaims(tx, table, ids));
  }
}
