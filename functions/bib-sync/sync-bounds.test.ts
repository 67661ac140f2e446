import { strict as assert } from 'node:assert';
import { setTimeout as sleep } from 'node:timers/promises';
import { recordEvents } from '../../test/support/auth.js';
import { runSync } from './run-sync.js';
import { clientOf, fastLimits, seedTenant, useOwnSimulator, useScratchDatabase, type SyncDatabase } from './test/sync-fixtures.js';

/** A run is bounded: it stops starting work at its deadline or while Bib's circuit is open, and gives back what it did not start. */
type Row = { sync_status: string; external_id: string | null; sync_attempts: number; sync_error: string | null; sync_next_at: Date | null; sync_claimed_until: Date | null };
const investorsOf = (db: SyncDatabase, companyId: number) =>
  db.query<Row>(`select sync_status, external_id, sync_attempts, sync_error, sync_next_at, sync_claimed_until from investor where company_id = $1::bigint`, [companyId]);

describe('bib sync run bounds', function () {
  this.timeout(60_000);
  const db = useScratchDatabase();
  recordEvents();
  const ownSim = useOwnSimulator();

  it('stops at its deadline, gives back the leases it did not start, and a later run finishes in small batches', async () => {
    const tenant = await seedTenant(db, { investors: 60 });
    ownSim().setFaults({ latencyMs: 25 });
    const client = clientOf(ownSim(), { timeoutMs: 2_000 });
    const first = await runSync({ scope: { scope: 'company', companyId: tenant.companyId }, client, limits: { ...fastLimits, batch: 60, concurrency: 2, maxMs: 300 } });
    assert.equal(first.stoppedBy, 'deadline');
    assert.equal(first.investors.claimed, 60);
    assert.ok(first.investors.synced > 0 && first.investors.released > 0, JSON.stringify(first.investors));
    assert.equal(first.investors.synced + first.investors.released, 60);
    assert.equal(first.orders.pages, 0, 'no pull after the deadline');
    const after = await investorsOf(db, tenant.companyId);
    const left = after.filter((r) => r.external_id === null);
    assert.equal(left.length, first.investors.released);
    // Not started: still due at once, no attempt counted, no lease.
    assert.ok(left.every((r) => r.sync_status === 'PENDING' && r.sync_attempts === 0 && r.sync_next_at === null && r.sync_claimed_until === null));

    ownSim().setFaults({ latencyMs: 0 });
    const second = await runSync({ scope: { scope: 'company', companyId: tenant.companyId }, client, limits: { ...fastLimits, batch: 7 } });
    assert.equal(second.stoppedBy, 'done');
    assert.equal(second.investors.claimed, left.length);
    assert.equal(second.investors.synced, left.length);
    assert.ok((await investorsOf(db, tenant.companyId)).every((r) => r.sync_status === 'SYNCED' && r.external_id !== null));
    assert.equal(ownSim().stats().investorsCreatedByClientRef.size, 60);
  });

  it('stops early while Bib is down (circuit open), counting an attempt only for the calls made, and resumes once Bib is back', async () => {
    const tenant = await seedTenant(db, { investors: 40 });
    ownSim().setFaults({ down: true });
    const client = clientOf(ownSim(), { breaker: { openMs: 200, minCalls: 6, windowSize: 10, failureRatio: 0.6 } });
    const report = await runSync({ scope: { scope: 'company', companyId: tenant.companyId }, client, limits: { ...fastLimits, batch: 40, concurrency: 2 } });
    assert.equal(report.stoppedBy, 'circuit_open');
    assert.equal(report.circuitOpened, 1);
    assert.equal(report.investors.claimed, 40);
    assert.ok(report.investors.retried >= 6 && report.investors.retried < 10, JSON.stringify(report.investors));
    assert.equal(report.investors.retried + report.investors.released, 40);

    const rows = await investorsOf(db, tenant.companyId);
    const tried = rows.filter((r) => r.sync_attempts > 0);
    assert.equal(tried.length, report.investors.retried);
    for (const r of tried) {
      assert.equal(r.sync_attempts, 1);
      assert.equal(r.sync_status, 'PENDING');
      assert.match(r.sync_error!, /^Bib unavailable 503/);
      assert.ok(r.sync_next_at !== null);
    }
    // Every lease is back, tried or not: the next run may take them as soon as they are due.
    assert.ok(rows.every((r) => r.sync_claimed_until === null));
    assert.ok(rows.filter((r) => r.sync_attempts === 0).every((r) => r.sync_next_at === null && r.sync_error === null));

    ownSim().setFaults({ down: false });
    await sleep(client.breaker.retryInMs() + 5);
    const resumed = await runSync({ scope: { scope: 'company', companyId: tenant.companyId }, client, limits: fastLimits });
    assert.equal(resumed.stoppedBy, 'done');
    assert.ok((await investorsOf(db, tenant.companyId)).every((r) => r.sync_status === 'SYNCED' && r.sync_error === null));
  });
});
