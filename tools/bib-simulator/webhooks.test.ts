import { strict as assert } from 'node:assert';
import { connect } from 'node:net';
import { bibClient } from '../../shared/bib/bib.js';
import { bibPaths, bibWebhookEvent, type BibOrder, type BibWebhookEvent } from '../../shared/bib/contract.js';
import { verifySignature } from '../../shared/bib/hmac.js';
import { config } from '../../shared/config.js';
import { testBib } from '../../test/support/bib.js';
import { startBibSimulator, type BibSimulator } from './simulator.js';
import { clientFor, investorInput, orderInput, rawCall, startReceiver, tokenFor, type Received, type Receiver } from './testing.js';

const secret = 'test-webhook-secret-0123456789';

function events(received: Received[]): BibWebhookEvent[] {
  return received.map((r) => bibWebhookEvent.parse(JSON.parse(r.body)));
}

describe('Bib simulator: webhooks and the investment manager', () => {
  let sim: BibSimulator;
  let receiver: Receiver | undefined;
  before(async () => {
    sim = await startBibSimulator({ seed: 7, webhookBackoffMs: 5 });
  });
  afterEach(async () => {
    sim.reset();
    await receiver?.close();
    receiver = undefined;
  });
  after(() => sim.stop());

  async function newOrder(): Promise<BibOrder> {
    const client = clientFor(sim);
    const investor = (await client.createInvestor(investorInput())).value;
    return (await client.createOrder(orderInput(investor.id))).value;
  }

  async function target(statusFor?: (attempt: number) => number): Promise<Receiver> {
    receiver = await startReceiver(statusFor);
    sim.setWebhook({ url: receiver.url, secret });
    return receiver;
  }

  it('sends a signed order.status_changed event for every change after creation', async () => {
    const r = await target();
    const order = await newOrder();
    await sim.flushWebhooks();
    assert.equal(r.attempts, 0, 'creating an order sends no event');
    const moved = sim.progressOrder(order.id, 'PROCESSING');
    assert.equal(moved.version, 2);
    const [got] = await r.waitFor(1);
    assert.ok(got);
    assert.equal(got.headers['content-type'], 'application/json');
    const check = verifySignature({ header: got.headers['bib-signature'] as string, payload: got.body, secrets: [secret] });
    assert.equal(check.ok, true);
    assert.equal(verifySignature({ header: got.headers['bib-signature'] as string, payload: got.body, secrets: ['another-secret'] }).ok, false);
    const [event] = events(r.received);
    assert.equal(event?.id, `evt_${order.id}_2`);
    assert.equal(event?.type, 'order.status_changed');
    assert.deepEqual(event?.data.order, moved);
    await sim.flushWebhooks();
    assert.equal(sim.stats().webhooksSent, 1);
  });

  it('retries a delivery that fails, up to 5 attempts', async () => {
    const r = await target((n) => (n <= 2 ? 503 : 204));
    const first = await newOrder();
    sim.progressOrder(first.id, 'REJECTED', 'no funds');
    await sim.flushWebhooks();
    assert.equal(r.attempts, 3);
    assert.equal(events(r.received)[0]?.data.order.reason, 'no funds');
    sim.setWebhook({ url: r.url.replace(/\d+\/crm/, '1/crm'), secret });
    sim.progressOrder((await newOrder()).id, 'PROCESSING');
    await sim.flushWebhooks();
    const s = sim.stats();
    assert.deepEqual([s.webhooksSent, s.webhooksFailed, s.webhookAttempts], [1, 1, 8]);
  });

  it('delivers each event twice (same id) when duplicateWebhookRate is 1', async () => {
    const r = await target();
    sim.setFaults({ duplicateWebhookRate: 1 });
    const order = await newOrder();
    sim.progressOrder(order.id, 'PROCESSING');
    sim.progressOrder(order.id, 'COMPLETED');
    await sim.flushWebhooks();
    assert.deepEqual(events(r.received).map((e) => e.id), [`evt_${order.id}_2`, `evt_${order.id}_2`, `evt_${order.id}_3`, `evt_${order.id}_3`]);
  });

  it('holds the events of an order and sends them newest first when it is final (outOfOrderWebhooks)', async () => {
    const r = await target();
    sim.setFaults({ outOfOrderWebhooks: true });
    const order = await newOrder();
    sim.progressOrder(order.id, 'PROCESSING');
    await sim.flushWebhooks();
    assert.equal(r.attempts, 0);
    sim.progressOrder(order.id, 'COMPLETED');
    await sim.flushWebhooks();
    assert.deepEqual(events(r.received).map((e) => [e.data.order.version, e.data.order.status]), [[3, 'COMPLETED'], [2, 'PROCESSING']]);
  });

  it('sends nothing without a webhook target', async () => {
    const order = await newOrder();
    sim.progressOrder(order.id, 'COMPLETED');
    await sim.flushWebhooks();
    assert.equal(sim.stats().webhookAttempts, 0);
  });

  it('moves orders RECEIVED → PROCESSING → COMPLETED on its own (lifecycle)', async () => {
    const r = await target();
    sim.setLifecycle({ processingAfterMs: 5, finalAfterMs: 5, rejectShare: 0 });
    const orders = [await newOrder(), await newOrder()];
    const got = events(await r.waitFor(4));
    for (const o of orders) {
      assert.deepEqual(got.filter((e) => e.data.order.id === o.id).map((e) => [e.data.order.status, e.data.order.version]), [['PROCESSING', 2], ['COMPLETED', 3]]);
      assert.equal(sim.order(o.id)?.status, 'COMPLETED');
    }
  });

  it('rejects rejectShare of the orders with the investment manager as the reason', async () => {
    const r = await target();
    const waiting = await newOrder();
    sim.setLifecycle({ processingAfterMs: 0, finalAfterMs: 0, rejectShare: 1 });
    const [, last] = events(await r.waitFor(2));
    assert.equal(last?.data.order.id, waiting.id, 'orders received before the lifecycle was set move too');
    assert.equal(last?.data.order.status, 'REJECTED');
    assert.match(last?.data.order.reason ?? '', /^Rejected by the investment manager: /);
  });

  it('progresses an order over HTTP: POST /_sim/orders/{id}/progress', async () => {
    const order = await newOrder();
    const post = (id: string, body: unknown) => fetch(`${sim.url}/_sim/orders/${id}/progress`, { method: 'POST', body: JSON.stringify(body) });
    assert.equal((await post(order.id, { status: 'DONE' })).status, 400);
    assert.equal((await post('BIB-ORD-999999', { status: 'COMPLETED' })).status, 404);
    const res = await post(order.id, { status: 'COMPLETED' });
    assert.equal(res.status, 200);
    assert.equal(((await res.json()) as BibOrder).version, 2);
    assert.equal(sim.order(order.id)?.status, 'COMPLETED');
  });

  it('reset clears records, stats, faults, webhook and lifecycle; ids keep counting and tokens stay valid', async () => {
    const r = await target();
    const token = await tokenFor(sim);
    const before = await newOrder();
    sim.setFaults({ errorRate: 1 });
    sim.setLifecycle({ processingAfterMs: 60_000, finalAfterMs: 0, rejectShare: 0 });
    sim.reset();
    assert.deepEqual([sim.investors(), sim.orders(), sim.stats().requests, sim.faults.errorRate], [[], [], 0, 0]);
    assert.equal(sim.order(before.id), undefined);
    const after = await newOrder();
    assert.ok(after.id > before.id, `${after.id} after ${before.id}`);
    sim.progressOrder(after.id, 'COMPLETED');
    await sim.flushWebhooks();
    assert.equal(r.attempts, 0, 'the webhook target is back to none');
    assert.equal((await rawCall(sim, { method: 'GET', path: bibPaths.products, token })).status, 200);
  });

  it('stops cleanly: held calls and pending retries end, the port closes', async () => {
    const own = await startBibSimulator({ webhookBackoffMs: 60_000 });
    const token = await tokenFor(own);
    const client = clientFor(own);
    const investor = (await client.createInvestor(investorInput())).value;
    const order = (await client.createOrder(orderInput(investor.id))).value;
    own.setWebhook({ url: 'http://127.0.0.1:1/crm/webhooks/bib', secret });
    own.progressOrder(order.id, 'PROCESSING');
    own.setFaults({ timeoutRate: 1 });
    const held = rawCall(own, { method: 'GET', path: bibPaths.products, token });
    while (own.stats().faultsInjected.timeouts === 0) await new Promise((r) => setImmediate(r));
    const t = Date.now();
    await own.stop();
    assert.ok(Date.now() - t < 1_000);
    await assert.rejects(held);
    await own.flushWebhooks();
    const port = Number(new URL(own.url).port);
    await assert.rejects(new Promise((resolve, reject) => connect(port, '127.0.0.1').on('connect', resolve).on('error', reject)));
  });

  it('is the Bib of the test run: BIB_BASE_URL points at the simulator the root hooks started', async () => {
    assert.equal(config().BIB_BASE_URL, testBib().url);
    assert.equal((await bibClient().listProducts()).items.length, 8);
  });
});
