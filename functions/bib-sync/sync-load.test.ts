import { strict as assert } from 'node:assert';
import { setTimeout as sleep } from 'node:timers/promises';
import type { BibSimulator } from '../../tools/bib-simulator/simulator.js';
import { recordEvents } from '../../test/support/auth.js';
import { runSync } from './run-sync.js';
import type { RunReport } from './run-report.js';
import { clientOf, fastLimits, seedTenant, startSimulator, useScratchDatabase, type SyncDatabase } from './test/sync-fixtures.js';

/**
 * The sync against a Bib that fails 30% of calls (half of them after carrying the call out) and lets 5% time
 * out: every record ends up at Bib exactly once, whatever was retried. Then overlapping runs: no record is
 * pushed twice. Each suite has its own database, so "all" means its own records.
 */
const due = async (db: SyncDatabase) => {
  const [row] = await db.query<{ investors: number; instructions: number }>(
    `select (select count(*)::int from investor where status = 'APPROVED' and external_id is null) as investors,
            (select count(*)::int from instruction where status = 'SIGNED') as instructions`,
  );
  return row!.investors + row!.instructions;
};

const total = (reports: RunReport[], pick: (r: RunReport) => number) => reports.reduce((n, r) => n + pick(r), 0);

describe('bib sync at scale against a faulty Bib', function () {
  this.timeout(120_000);
  const db = useScratchDatabase();
  recordEvents();
  let sim: BibSimulator;
  before(async () => {
    sim = await startSimulator({ errorRate: 0.3, errorAfterCommitShare: 0.5, timeoutRate: 0.05 });
  });
  after(() => sim?.stop());

  it('syncs 1,000 investors and 1,000 instructions of two tenants, each created exactly once at Bib', async () => {
    const tenants = [await seedTenant(db, { investors: 500, instructionsEach: 1 }), await seedTenant(db, { investors: 500, instructionsEach: 1 })];
    const client = clientOf(sim);
    const reports: RunReport[] = [];
    for (let run = 0; run < 60 && (await due(db)) > 0; run++) {
      const report = await runSync({ scope: { scope: 'all' }, client, limits: fastLimits });
      reports.push(report);
      // Bib's failure rate can trip the breaker for a moment: the next run goes once it lets a trial through.
      if (report.stoppedBy === 'circuit_open') await sleep(client.breaker.retryInMs() + 1);
    }
    assert.equal(await due(db), 0, `still due after ${reports.length} runs`);

    const investors = await db.query<{ id: string; external_id: string; sync_status: string }>(`select id, external_id, sync_status from investor`);
    const instructions = await db.query<{ id: string; investor_id: string; status: string; external_id: string; sync_status: string; bib_order_status: string }>(
      `select id, investor_id, status, external_id, sync_status, bib_order_status from instruction`,
    );
    assert.equal(investors.length, 1000);
    assert.equal(instructions.length, 1000);
    assert.ok(investors.every((i) => i.external_id !== null && i.sync_status === 'SYNCED'));
    assert.ok(instructions.every((i) => i.status === 'SUBMITTED' && i.external_id !== null && i.sync_status === 'SYNCED' && i.bib_order_status === 'RECEIVED'));

    const stats = sim.stats();
    for (const [created, ids] of [
      [stats.investorsCreatedByClientRef, tenants.flatMap((t) => t.investors.map((i) => i.id))],
      [stats.ordersCreatedByClientRef, tenants.flatMap((t) => t.instructions.map((i) => i.id))],
    ] as const) {
      assert.equal(created.size, 1000);
      assert.deepEqual([...created.keys()].sort(), [...ids].sort());
      assert.ok([...created.values()].every((n) => n === 1), 'a record created twice at Bib');
    }
    // Faults really happened: more create requests than records, and some retries were Bib's replays.
    assert.ok(stats.investorCreateRequests > 1000 && stats.orderCreateRequests > 1000, JSON.stringify(stats.faultsInjected));
    assert.ok(stats.faultsInjected.errors > 0 && stats.faultsInjected.timeouts > 0);
    assert.ok(total(reports, (r) => r.investors.replayed) > 0 && total(reports, (r) => r.instructions.replayed) > 0);
    const sums = (k: 'investors' | 'instructions') =>
      JSON.stringify(Object.fromEntries(Object.keys(reports[0]![k]).map((c) => [c, total(reports, (r) => r[k][c as keyof RunReport['investors']])])));
    assert.equal(total(reports, (r) => r.investors.synced), 1000, sums('investors'));
    // An order whose answer was lost may come back through the pull first (SIGNED → SUBMITTED there).
    const instructionsSynced = total(reports, (r) => r.instructions.synced);
    assert.ok(instructionsSynced <= 1000 && instructionsSynced + total(reports, (r) => r.orders.applied) >= 1000, sums('instructions'));

    // Each order is for the Bib id of its instruction's investor, and the instruction names that order.
    const bibIdOf = new Map(investors.map((i) => [i.id, i.external_id]));
    const orderOf = new Map(sim.orders().map((o) => [o.clientRef, o]));
    for (const i of instructions) {
      const order = orderOf.get(i.id)!;
      assert.equal(order.investorId, bibIdOf.get(i.investor_id));
      assert.equal(i.external_id, order.id);
    }
    const leased = await db.query<{ n: number }>(
      `select count(*)::int as n from (select sync_claimed_until from investor union all select sync_claimed_until from instruction) x where sync_claimed_until is not null`,
    );
    assert.equal(leased[0]!.n, 0, 'every lease given back');
  });
});

describe('overlapping bib sync runs', function () {
  this.timeout(60_000);
  const db = useScratchDatabase();
  recordEvents();
  let sim: BibSimulator;
  before(async () => {
    sim = await startSimulator({ latencyMs: 15 });
  });
  after(() => sim?.stop());

  it('share 300 records between three runs started at once: one create request per record, all synced', async () => {
    const tenant = await seedTenant(db, { investors: 150, instructionsEach: 1 });
    const limits = { ...fastLimits, batch: 20, concurrency: 4 };
    const reports = await Promise.all([0, 1, 2].map(() => runSync({ scope: { scope: 'all' }, client: clientOf(sim, { timeoutMs: 5_000 }), limits })));
    // An instruction whose investor another run was still pushing waited; one more run takes those.
    if ((await due(db)) > 0) reports.push(await runSync({ scope: { scope: 'all' }, client: clientOf(sim, { timeoutMs: 5_000 }), limits }));
    assert.equal(await due(db), 0);

    const stats = sim.stats();
    assert.equal(stats.investorCreateRequests, 150);
    assert.equal(stats.orderCreateRequests, 150);
    assert.equal(stats.investorsCreatedByClientRef.size, 150);
    assert.equal(stats.ordersCreatedByClientRef.size, 150);
    assert.ok(reports.slice(0, 3).every((r) => r.investors.claimed > 0), 'the three runs worked side by side');
    assert.equal(total(reports, (r) => r.investors.synced), 150);
    assert.equal(total(reports, (r) => r.instructions.synced), 150);
    const [synced] = await db.query<{ n: number }>(`select count(*)::int as n from investor where company_id = $1::bigint and sync_status = 'SYNCED'`, [tenant.companyId]);
    assert.equal(synced!.n, 150);
  });
});
