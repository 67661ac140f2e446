import { strict as assert } from 'node:assert';
import { recordEvents } from '../support/auth.js';
import { crmRows } from '../support/crm.js';
import { linkTeam, pendingInstruction, type LinkTeam } from '../support/instruction-links.js';
import { spawnLocalStack, type LocalStackProcess } from '../support/local-stack.js';

/**
 * Bib end to end through `npm start`: an admin's "sync now" travels as bib.sync.requested over the local bus
 * to bibSync, which pushes the investor and the signed instruction to the stack's Bib simulator; the simulator's
 * investment manager completes the order and its signed webhook comes back through the gateway to crm; the
 * portfolio then shows the units. The suite's database is the stack's (DATABASE_URL), so rows are set up here.
 */
describe('Bib scenario through npm start', function () {
  this.timeout(90_000);
  // Rows set up in this process publish nothing; the stack's own bus carries its events.
  recordEvents();
  let stack: LocalStackProcess;
  let simUrl = '';
  let team: LinkTeam;

  before(async () => {
    stack = await spawnLocalStack();
    simUrl = `http://${/Bib\s+simulator at (\S+),/.exec(stack.output())![1]!}`;
    team = await linkTeam('Sari Wulandari');
  });
  after(() => stack?.kill());

  const call = (path: string, token: string, init: RequestInit = {}) =>
    fetch(`${stack.baseUrl}${path}`, { ...init, headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', ...init.headers } });

  async function until<T>(what: string, probe: () => Promise<T | undefined>, ms = 30_000): Promise<T> {
    const deadline = Date.now() + ms;
    for (;;) {
      const value = await probe();
      if (value !== undefined) return value;
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
      await new Promise((r) => setTimeout(r, 200));
    }
  }

  const instructionRow = async (id: string) =>
    (await crmRows<{ status: string; external_id: string | null; sync_status: string; bib_order_status: string | null }>(
      `select status, external_id, sync_status, bib_order_status from instruction where id = $1::uuid`,
      [id],
    ))[0]!;

  it('syncs on request, completes the order by webhook, and serves the portfolio', async () => {
    const { id } = await pendingInstruction(team, { productCode: 'MMF-KAS', amount: '2000000.00' });
    // As the investor's approval through the link leaves it.
    await crmRows(`update instruction set status = 'SIGNED', signed_at = now(), sync_status = 'PENDING' where id = $1::uuid`, [id]);

    const queued = await call('/crm/investor/sync-bib', team.admin.accessToken, { method: 'POST', body: JSON.stringify({}) });
    assert.equal(queued.status, 202);

    const submitted = await until('the instruction at Bib', async () => {
      const row = await instructionRow(id);
      return row.status === 'SUBMITTED' ? row : undefined;
    });
    assert.equal(submitted.sync_status, 'SYNCED');
    assert.match(submitted.external_id!, /^BIB-ORD-/);
    const [investor] = await crmRows<{ external_id: string; sync_status: string }>(`select external_id, sync_status from investor where id = $1::uuid`, [team.investor.id]);
    assert.deepEqual([investor!.sync_status, /^BIB-INV-/.test(investor!.external_id)], ['SYNCED', true]);

    // What the admin's web app shows of it.
    const shown = (await (await call(`/crm/instructions/${id}`, team.admin.accessToken)).json()) as Record<string, unknown> & { sync: Record<string, unknown> };
    assert.deepEqual([shown.syncStatus, shown.externalId, shown.bibOrderStatus, shown.sync.lastError], ['SYNCED', submitted.external_id, 'RECEIVED', null]);
    assert.ok(typeof shown.sync.syncedAt === 'string' && shown.sync.attempts === 0, JSON.stringify(shown.sync));
    const investorShown = (await (await call(`/crm/investors/${team.investor.id}`, team.admin.accessToken)).json()) as { syncStatus: string; externalId: string };
    assert.deepEqual([investorShown.syncStatus, investorShown.externalId], ['SYNCED', investor!.external_id]);

    // The investment manager's decision, now rather than in 20 s; its webhook reaches crm through the gateway.
    const progressed = await fetch(`${simUrl}/_sim/orders/${submitted.external_id}/progress`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ status: 'COMPLETED' }),
    });
    assert.equal(progressed.status, 200);
    const completed = await until('the webhook', async () => {
      const row = await instructionRow(id);
      return row.status === 'COMPLETED' ? row : undefined;
    });
    assert.equal(completed.bib_order_status, 'COMPLETED');
    const [event] = await crmRows<{ outcome: string }>(`select outcome from bib_webhook_event where instruction_id = $1::uuid`, [id]);
    assert.equal(event?.outcome, 'applied');

    const portfolio = await call(`/crm/investors/${team.investor.id}/portfolio`, team.agent.accessToken);
    assert.equal(portfolio.status, 200);
    assert.equal(portfolio.headers.get('x-cache'), 'MISS');
    const body = (await portfolio.json()) as { holdings: Array<{ productCode: string; units: string }> };
    assert.equal(body.holdings.length, 1);
    assert.equal(body.holdings[0]!.productCode, 'MMF-KAS');
    assert.ok(Number(body.holdings[0]!.units) > 0);
  });
});
