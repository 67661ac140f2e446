import { strict as assert } from 'node:assert';
import { randomUUID } from 'node:crypto';
import { getFunction } from '@google-cloud/functions-framework/testing';
import type { CloudEvent, CloudEventFunction } from '@google-cloud/functions-framework';
import type { BibSimulator } from '../../tools/bib-simulator/simulator.js';
import { recordEvents } from '../../test/support/auth.js';
import { captureLogs } from '../../test/support/logs.js';
import { testBib } from '../../test/support/bib.js';
import '../../test/support/http.js';
import { runSync } from './run-sync.js';
import type { RunReport } from './run-report.js';
import { clientOf, fastLimits, seedTenant, startSimulator, useScratchDatabase } from './test/sync-fixtures.js';

/** Orders' outcomes come back from Bib by the pull (since a watermark), and the RM hears of them. */
type Push = { userIds: number[]; type: string; title: string; body: string; data: Record<string, string> };

describe('bib sync pulls order status changes', function () {
  this.timeout(60_000);
  const db = useScratchDatabase();
  const events = recordEvents();
  let sim: BibSimulator;
  before(async () => {
    sim = await startSimulator();
  });
  after(() => sim?.stop());

  const watermark = async () => (await db.query<{ value: string }>(`select value from bib_sync_state where name = 'orders.changed_since'`))[0]?.value;
  const pushes = () => db.query<{ payload: Push; company_id: number }>(`select payload, company_id from outbox where topic = 'push.requested' order by created_at, id`);

  it('applies COMPLETED and REJECTED orders to their instructions, pushes the RM, moves the watermark, and re-applies nothing', async () => {
    const tenant = await seedTenant(db, { investors: 120, instructionsEach: 1 });
    const client = clientOf(sim, { timeoutMs: 2_000 });
    assert.equal(await watermark(), undefined);

    const first = await runSync({ scope: { scope: 'all' }, client, limits: fastLimits });
    assert.equal(first.instructions.synced, 120);
    // Its pull started from 1970 and paged (100 a page) through the orders it had just created: nothing new.
    assert.deepEqual([first.orders.pages, first.orders.seen, first.orders.stale, first.orders.applied], [2, 120, 120, 0]);
    const newestCreated = sim.orders().map((o) => o.updatedAt).sort().at(-1)!;
    assert.equal(await watermark(), newestCreated);

    const [processing, completed, rejected, twice] = tenant.instructions.map((i) => sim.orderByClientRef(i.id)!);
    sim.progressOrder(processing!.id, 'PROCESSING');
    sim.progressOrder(completed!.id, 'COMPLETED');
    sim.progressOrder(rejected!.id, 'REJECTED', 'Dana tidak mencukupi');
    sim.progressOrder(twice!.id, 'PROCESSING');
    const last = sim.progressOrder(twice!.id, 'COMPLETED');

    const second = await runSync({ scope: { scope: 'all' }, client, limits: fastLimits });
    assert.equal(second.orders.applied, 4);
    assert.equal(second.orders.unknown + second.orders.mismatch, 0);
    const state = await db.query<{ id: string; status: string; bib_order_status: string; bib_order_version: number; failure_reason: string | null }>(
      `select id, status, bib_order_status, bib_order_version, failure_reason from instruction where id = any ($1::uuid[])`,
      [[processing, completed, rejected, twice].map((o) => o!.clientRef)],
    );
    const byId = new Map(state.map((r) => [r.id, r]));
    assert.deepEqual(
      [processing, completed, rejected, twice].map((o) => {
        const r = byId.get(o!.clientRef)!;
        return [r.status, r.bib_order_status, r.bib_order_version, r.failure_reason];
      }),
      [
        ['SUBMITTED', 'PROCESSING', 2, null],
        ['COMPLETED', 'COMPLETED', 2, null],
        ['FAILED', 'REJECTED', 2, 'Dana tidak mencukupi'],
        ['COMPLETED', 'COMPLETED', 3, null],
      ],
    );
    assert.equal(await watermark(), last.updatedAt);

    // The RM of each finished instruction, once, through the outbox (published after the commit).
    const told = await pushes();
    assert.deepEqual(
      told.map((p) => [p.company_id, p.payload.userIds, p.payload.type, p.payload.data.instructionId]).sort(),
      [
        [tenant.companyId, [tenant.agentId], 'INSTRUCTION_COMPLETED', completed!.clientRef],
        [tenant.companyId, [tenant.agentId], 'INSTRUCTION_COMPLETED', twice!.clientRef],
        [tenant.companyId, [tenant.agentId], 'INSTRUCTION_FAILED', rejected!.clientRef],
      ].sort(),
    );
    assert.ok(events.messages.some((m) => m.topic === 'push.requested' && (m.data as Push).data.instructionId === rejected!.clientRef));

    // Again: the boundary order is read again (Bib's filter is "at or after") and changes nothing.
    const third = await runSync({ scope: { scope: 'all' }, client, limits: fastLimits });
    assert.ok(third.orders.seen >= 1);
    assert.equal(third.orders.applied, 0);
    assert.equal((await pushes()).length, 3);
    assert.equal(await watermark(), last.updatedAt);
  });

  it('runs every 5 minutes as bibSyncScheduled: the product cache first, then everything due, with one report line', async () => {
    const tenant = await seedTenant(db, { investors: 2, instructionsEach: 1 });
    const fn = getFunction('bibSyncScheduled') as CloudEventFunction<unknown>;
    assert.ok(fn, 'registered');
    const logs = captureLogs();
    try {
      const data = { message: { data: Buffer.from(JSON.stringify({ job: 'bib-sync-scheduled' })).toString('base64') } };
      await fn({ id: randomUUID(), specversion: '1.0', type: 'google.cloud.pubsub.topic.v1.messagePublished', source: 'test', data } as CloudEvent<unknown>);
    } finally {
      logs.restore();
    }
    const line = logs.lines.find((l) => l.message === 'bib sync run finished');
    assert.ok(line, 'the run reported');
    const report = line.bibSync as RunReport;
    assert.equal(report.stoppedBy, 'done');
    assert.ok(report.products!.refreshed! > 0 && !report.products!.failed, JSON.stringify(report.products));
    assert.equal(report.investors.synced, 2);
    assert.equal(report.instructions.synced, 2);
    // The process's client talks to the run-wide simulator (BIB_BASE_URL).
    for (const i of tenant.instructions) assert.equal(testBib().orderByClientRef(i.id)?.clientRef, i.id);
  });
});
