import { strict as assert } from 'node:assert';
import { BibError } from '../../shared/bib/bib-error.js';
import type { BibClient } from '../../shared/bib/client.js';
import { bibPaths } from '../../shared/bib/contract.js';
import { startBibSimulator, type BibSimulator } from './simulator.js';
import { bibError, clientFor, investorInput, rawCall, tokenFor } from './testing.js';

/** What the sync does: retry a transient failure (the create carries its idempotency key) until it goes through. */
async function createWithRetries(client: BibClient, input: ReturnType<typeof investorInput>, max = 30): Promise<{ replayed: boolean; attempts: number }> {
  for (let attempt = 1; ; attempt++) {
    try {
      const r = await client.createInvestor(input);
      return { replayed: r.replayed, attempts: attempt };
    } catch (err) {
      if (!(err instanceof BibError) || !err.transient || attempt >= max) throw err;
      client.breaker.success(); // the test measures the simulator, not the breaker
    }
  }
}

async function statuses(sim: BibSimulator, n: number): Promise<number[]> {
  const token = await tokenFor(sim);
  const out: number[] = [];
  for (let i = 0; i < n; i++) out.push((await rawCall(sim, { method: 'GET', path: bibPaths.products, token })).status);
  return out;
}

describe('Bib simulator: fault switches', () => {
  let sim: BibSimulator;
  before(async () => {
    sim = await startBibSimulator({ seed: 42 });
  });
  afterEach(() => sim.reset());
  after(() => sim.stop());

  it('answers about errorRate of the calls with 500, 502 or 503, and counts them', async () => {
    const token = await tokenFor(sim);
    sim.setFaults({ errorRate: 0.3 });
    const seen: number[] = [];
    for (let i = 0; i < 300; i++) seen.push((await rawCall(sim, { method: 'GET', path: bibPaths.products, token })).status);
    const errors = seen.filter((s) => s !== 200);
    assert.ok(errors.every((s) => [500, 502, 503].includes(s)), String(new Set(errors)));
    assert.ok(errors.length > 60 && errors.length < 120, `${errors.length} of 300`);
    assert.equal(sim.stats().faultsInjected.errors, errors.length);
    assert.equal(sim.stats().requests, 301);
  });

  it('makes the same decisions for the same seed', async () => {
    sim.setFaults({ errorRate: 0.5 });
    const a = await statuses(sim, 30);
    sim.reset();
    sim.setFaults({ errorRate: 0.5 });
    assert.deepEqual(await statuses(sim, 30), a);
  });

  it('loses answers after the create was stored: the retry is answered as a replay, never a second record', async () => {
    sim.setFaults({ errorRate: 0.5, errorAfterCommitShare: 1 });
    const client = clientFor(sim);
    const inputs = Array.from({ length: 20 }, () => investorInput());
    const results = [];
    for (const input of inputs) results.push(await createWithRetries(client, input));
    assert.ok(results.some((r) => r.replayed), 'some creates were stored before their answer was lost');
    const created = sim.stats().investorsCreatedByClientRef;
    assert.equal(created.size, 20);
    assert.ok([...created.values()].every((n) => n === 1));
    assert.equal(sim.investors().length, 20);
    assert.ok(sim.stats().investorCreateRequests > 20);
  });

  it('holds a timed-out call until the client gives up; half of them after storing the create', async () => {
    sim.setFaults({ timeoutRate: 1 });
    const client = clientFor(sim, { timeoutMs: 200 });
    // The token call times out too.
    assert.equal((await bibError(client.listProducts())).kind, 'timeout');
    sim.setFaults({ timeoutRate: 0 });
    await client.listProducts();
    sim.setFaults({ timeoutRate: 1 });
    const inputs = Array.from({ length: 12 }, () => investorInput());
    for (const input of inputs) {
      assert.equal((await bibError(client.createInvestor(input))).kind, 'timeout');
      client.breaker.success(); // keep the circuit closed: the test measures the simulator
    }
    const stored = sim.investors().length;
    assert.ok(stored > 0 && stored < 12, `${stored} of 12 stored before the answer was held`);
    sim.setFaults({ timeoutRate: 0 });
    const replays = (await Promise.all(inputs.map((i) => client.createInvestor(i)))).filter((r) => r.replayed).length;
    assert.equal(replays, stored);
    assert.equal(sim.investors().length, 12);
    assert.equal(sim.stats().faultsInjected.timeouts, 13);
  });

  it('destroys held calls on reset', async () => {
    const token = await tokenFor(sim);
    sim.setFaults({ timeoutRate: 1 });
    const pending = rawCall(sim, { method: 'GET', path: bibPaths.products, token });
    await until(() => sim.stats().faultsInjected.timeouts === 1);
    sim.reset();
    await assert.rejects(pending);
  });

  it('answers 429 with Retry-After when rate limited', async () => {
    const token = await tokenFor(sim);
    sim.setFaults({ rateLimitRate: 1, retryAfterSeconds: 7 });
    const res = await rawCall(sim, { method: 'GET', path: bibPaths.products, token });
    assert.equal(res.status, 429);
    assert.equal(res.headers.get('retry-after'), '7');
    assert.equal(res.json.code, 'RATE_LIMITED');
    const err = await bibError(clientFor(sim).listProducts());
    assert.equal(err.kind, 'rate_limited');
    assert.equal(err.retryAfterMs, 7000);
    assert.equal(sim.stats().faultsInjected.rateLimited, 2);
  });

  it('answers every call, the token included, with 503 and Retry-After while down', async () => {
    sim.setFaults({ down: true, retryAfterSeconds: 30 });
    const client = clientFor(sim);
    const err = await bibError(client.listProducts());
    assert.equal(err.kind, 'unavailable');
    assert.equal(err.status, 503);
    const res = await rawCall(sim, { method: 'POST', path: bibPaths.investors, body: investorInput() });
    assert.equal(res.status, 503);
    assert.equal(res.headers.get('retry-after'), '30');
    sim.setFaults({ down: false });
    assert.equal((await client.listProducts()).items.length, 8);
  });

  it('adds latencyMs before answering', async () => {
    const token = await tokenFor(sim);
    sim.setFaults({ latencyMs: 150 });
    const t = performance.now();
    assert.equal((await rawCall(sim, { method: 'GET', path: bibPaths.products, token })).status, 200);
    assert.ok(performance.now() - t >= 145);
  });

  it('refuses fault values out of range', () => {
    assert.throws(() => sim.setFaults({ errorRate: 2 }));
    assert.throws(() => sim.setFaults({ latencyMs: -1 }));
    assert.equal(sim.faults.errorRate, 0);
  });

  it('switches faults over HTTP: PUT /_sim/faults (validated), GET /_sim/stats', async () => {
    const put = (body: unknown) => fetch(`${sim.url}/_sim/faults`, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    assert.equal((await put({ errorRate: 5 })).status, 400);
    assert.equal((await put({ nope: true })).status, 400);
    const ok = await put({ rateLimitRate: 1, retryAfterSeconds: 2 });
    assert.equal(ok.status, 200);
    assert.equal(((await ok.json()) as { rateLimitRate: number }).rateLimitRate, 1);
    assert.equal(sim.faults.rateLimitRate, 1);
    assert.equal((await rawCall(sim, { method: 'GET', path: bibPaths.products })).status, 429);
    const stats = (await (await fetch(`${sim.url}/_sim/stats`)).json()) as { requests: number; faultsInjected: { rateLimited: number } };
    assert.equal(stats.requests, 1);
    assert.equal(stats.faultsInjected.rateLimited, 1);
  });
});

/** Polls a condition the simulator reaches on its own (a request arriving over the socket). */
async function until(cond: () => boolean, ms = 2_000): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error('condition not reached');
    await new Promise((r) => setImmediate(r));
  }
}
