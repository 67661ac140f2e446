import { strict as assert } from 'node:assert';
import { randomUUID } from 'node:crypto';
import { localBibCredentials } from '../../shared/bib/bib.js';
import { bibPaths, bibProduct, type BibOrderCreate } from '../../shared/bib/contract.js';
import { requestPayload, signatureHeader } from '../../shared/bib/hmac.js';
import { seedProducts } from './catalogue.js';
import { startBibSimulator, type BibSimulator } from './simulator.js';
import { bibError, clientFor, investorInput, orderInput, rawCall, tokenFor } from './testing.js';

describe('Bib simulator: partner and internal API', () => {
  let sim: BibSimulator;
  before(async () => {
    sim = await startBibSimulator({ seed: 1 });
  });
  afterEach(() => sim.reset());
  after(() => sim.stop());

  describe('token and request authentication', () => {
    it('issues a bearer token for the right client credentials', async () => {
      const body = new URLSearchParams({ grant_type: 'client_credentials', client_id: localBibCredentials.clientId, client_secret: localBibCredentials.clientSecret });
      const res = await fetch(new URL(bibPaths.token, sim.url), { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body });
      assert.equal(res.status, 200);
      const json = (await res.json()) as Record<string, unknown>;
      assert.equal(json.token_type, 'Bearer');
      assert.equal(json.expires_in, 3600);
      assert.match(String(json.access_token), /^[A-Za-z0-9_-]{43}$/);
      assert.equal(sim.stats().tokenRequests, 1);
    });

    it('refuses wrong client credentials (401) and the client reports it as unauthorized', async () => {
      const wrong = { ...localBibCredentials, clientSecret: 'not-the-secret-at-all' };
      const res = await rawCall(sim, { method: 'POST', path: bibPaths.token, body: `grant_type=client_credentials&client_id=${wrong.clientId}&client_secret=${wrong.clientSecret}`, signingSecret: null });
      assert.equal(res.status, 401);
      assert.equal(res.json.code, 'INVALID_CLIENT');
      assert.equal(res.headers.get('content-type'), 'application/problem+json');
      const err = await bibError(clientFor(sim, { credentials: wrong }).listProducts());
      assert.equal(err.kind, 'unauthorized');
    });

    const refusals: Array<{ name: string; call: (token: string) => Parameters<typeof rawCall>[1]; code: string }> = [
      { name: 'no bearer token', call: () => ({ method: 'GET', path: bibPaths.products }), code: 'INVALID_TOKEN' },
      { name: 'an unknown token', call: () => ({ method: 'GET', path: bibPaths.products, token: 'x'.repeat(43) }), code: 'INVALID_TOKEN' },
      { name: 'no signature', call: (token) => ({ method: 'GET', path: bibPaths.products, token, signingSecret: null }), code: 'BAD_SIGNATURE' },
      { name: 'a signature with another secret', call: (token) => ({ method: 'GET', path: bibPaths.products, token, signingSecret: 'another-signing-secret-entirely' }), code: 'BAD_SIGNATURE' },
      {
        name: 'a signature over another path',
        call: (token) => ({ method: 'GET', path: bibPaths.products, token, signingSecret: null, headers: { 'X-Partner-Signature': sigFor('GET', bibPaths.orders) } }),
        code: 'BAD_SIGNATURE',
      },
    ];
    for (const r of refusals) {
      it(`answers 401 ${r.code} to a call with ${r.name}`, async () => {
        const res = await rawCall(sim, r.call(await tokenFor(sim)));
        assert.equal(res.status, 401);
        assert.equal(res.json.code, r.code);
      });
    }

    it('refuses the client when it signs with the wrong secret', async () => {
      const err = await bibError(clientFor(sim, { credentials: { ...localBibCredentials, signingSecret: 'wrong-signing-secret-0123456789' } }).listProducts());
      assert.equal(err.kind, 'unauthorized');
      assert.equal(err.code, 'BAD_SIGNATURE');
    });
  });

  describe('investors', () => {
    it('creates (201), replays the same record (200) and reads it back', async () => {
      const client = clientFor(sim);
      const input = investorInput();
      const first = await client.createInvestor(input);
      assert.equal(first.replayed, false);
      assert.match(first.value.id, /^BIB-INV-\d{6}$/);
      assert.equal(first.value.clientRef, input.clientRef);
      assert.equal(first.value.status, 'ACTIVE');
      const again = await client.createInvestor(input);
      assert.deepEqual(again, { value: first.value, replayed: true });
      assert.deepEqual(await client.getInvestor(first.value.id), first.value);
      assert.deepEqual(sim.stats().investorsCreatedByClientRef, new Map([[input.clientRef, 1]]));
      assert.equal(sim.stats().investorCreateRequests, 2);
    });

    it('answers 422 IDEMPOTENCY_MISMATCH to another body under the same key', async () => {
      const client = clientFor(sim);
      const input = investorInput();
      await client.createInvestor(input);
      const err = await bibError(client.createInvestor({ ...input, fullName: 'Someone Else' }));
      assert.equal(err.kind, 'rejected');
      assert.equal(err.status, 422);
      assert.equal(err.code, 'IDEMPOTENCY_MISMATCH');
      assert.equal(sim.investors().length, 1);
    });

    const badCreates: Array<{ name: string; body: unknown; key?: string; code: string }> = [
      { name: 'a body that is not JSON', body: '{nope', code: 'VALIDATION_FAILED' },
      { name: 'an invalid identity number', body: investorInput({ identityNumber: '123' }), code: 'VALIDATION_FAILED' },
      { name: 'an unknown field', body: { ...investorInput(), extra: 1 }, code: 'VALIDATION_FAILED' },
      { name: 'no Idempotency-Key', body: investorInput(), key: '', code: 'BAD_IDEMPOTENCY_KEY' },
      { name: 'an Idempotency-Key other than the clientRef', body: investorInput(), key: randomUUID(), code: 'BAD_IDEMPOTENCY_KEY' },
    ];
    for (const c of badCreates) {
      it(`answers 400 ${c.code} to ${c.name}`, async () => {
        const ref = typeof c.body === 'object' && c.body && 'clientRef' in c.body ? String(c.body.clientRef) : randomUUID();
        const key = c.key ?? ref;
        const res = await rawCall(sim, { method: 'POST', path: bibPaths.investors, body: c.body, token: await tokenFor(sim), headers: key ? { 'Idempotency-Key': key } : {} });
        assert.equal(res.status, 400);
        assert.equal(res.json.code, c.code);
        assert.equal(sim.investors().length, 0);
      });
    }

    it('answers 404 NOT_FOUND for an unknown investor', async () => {
      const err = await bibError(clientFor(sim).getInvestor('BIB-INV-999999'));
      assert.equal(err.kind, 'not_found');
      assert.equal(err.code, 'NOT_FOUND');
    });
  });

  describe('orders', () => {
    it('creates an order RECEIVED at version 1, replays it (200) and reads it back', async () => {
      const client = clientFor(sim);
      const investor = (await client.createInvestor(investorInput())).value;
      const input = orderInput(investor.id);
      const first = await client.createOrder(input);
      assert.equal(first.replayed, false);
      assert.match(first.value.id, /^BIB-ORD-\d{6}$/);
      assert.equal(first.value.status, 'RECEIVED');
      assert.equal(first.value.version, 1);
      assert.equal(first.value.reason, null);
      assert.equal(first.value.amount, '1000000.00');
      assert.deepEqual(await client.createOrder(input), { value: first.value, replayed: true });
      assert.deepEqual(await client.getOrder(first.value.id), first.value);
      assert.deepEqual(sim.orderByClientRef(input.clientRef), first.value);
      assert.deepEqual(sim.stats().ordersCreatedByClientRef, new Map([[input.clientRef, 1]]));
    });

    const refusals: Array<{ name: string; order: (investorId: string) => BibOrderCreate; status: number; code: string }> = [
      { name: 'an unknown investor', order: () => orderInput('BIB-INV-999999'), status: 422, code: 'UNKNOWN_INVESTOR' },
      { name: 'an unknown product', order: (i) => orderInput(i, { productCode: 'NOPE' }), status: 422, code: 'UNKNOWN_PRODUCT' },
      { name: 'an inactive product', order: (i) => orderInput(i, { productCode: 'EQF-INDEKS' }), status: 422, code: 'UNKNOWN_PRODUCT' },
      { name: 'an unknown switch target', order: (i) => orderInput(i, { type: 'SWITCHING', productCode: 'EQF-SAHAM', targetProductCode: 'NOPE', amount: null, units: '10' }), status: 422, code: 'UNKNOWN_PRODUCT' },
      { name: 'a subscription below the minimum', order: (i) => orderInput(i, { productCode: 'MMF-KAS', amount: '9999.99' }), status: 422, code: 'BELOW_MINIMUM' },
      { name: 'both an amount and units', order: (i) => orderInput(i, { type: 'REDEMPTION', amount: '10000', units: '1' }), status: 400, code: 'VALIDATION_FAILED' },
      { name: 'a subscription in units', order: (i) => orderInput(i, { amount: null, units: '10' }), status: 400, code: 'VALIDATION_FAILED' },
      { name: 'a switch without a target', order: (i) => orderInput(i, { type: 'SWITCHING', amount: null, units: '10' }), status: 400, code: 'VALIDATION_FAILED' },
    ];
    for (const r of refusals) {
      it(`refuses ${r.name} (${r.status} ${r.code})`, async () => {
        sim.setProducts(seedProducts().map((p) => (p.code === 'EQF-INDEKS' ? { ...p, active: false } : p)));
        const client = clientFor(sim);
        const investor = (await client.createInvestor(investorInput())).value;
        const err = await bibError(client.createOrder(r.order(investor.id)));
        assert.equal(err.status, r.status);
        assert.equal(err.code, r.code);
        assert.equal(sim.orders().length, 0);
      });
    }

    it('accepts a subscription of exactly the minimum', async () => {
      const client = clientFor(sim);
      const investor = (await client.createInvestor(investorInput())).value;
      const r = await client.createOrder(orderInput(investor.id, { productCode: 'FIF-SUKUK', amount: '50000' }));
      assert.equal(r.value.status, 'RECEIVED');
    });

    it('answers 404 NOT_FOUND for an unknown order', async () => {
      assert.equal((await bibError(clientFor(sim).getOrder('BIB-ORD-999999'))).kind, 'not_found');
    });
  });

  describe('orders changed since', () => {
    it('pages through every change once, oldest first, with a keyset cursor', async () => {
      const client = clientFor(sim);
      const investor = (await client.createInvestor(investorInput())).value;
      const start = new Date(Date.now() - 1000).toISOString();
      const ids: string[] = [];
      for (let i = 0; i < 7; i++) ids.push((await client.createOrder(orderInput(investor.id))).value.id);
      sim.progressOrder(ids[1]!, 'PROCESSING');
      sim.progressOrder(ids[4]!, 'COMPLETED');
      const seen: Array<{ id: string; updatedAt: string; version: number }> = [];
      let cursor: string | null = null;
      let pages = 0;
      do {
        const page = await client.listOrdersChangedSince({ since: start, cursor, limit: 3 });
        seen.push(...page.items);
        cursor = page.nextCursor;
        pages++;
      } while (cursor);
      assert.equal(pages, 3);
      assert.deepEqual(new Set(seen.map((o) => o.id)), new Set(ids));
      assert.equal(seen.length, 7);
      const keys = seen.map((o) => `${o.updatedAt} ${o.id}`);
      assert.deepEqual(keys, [...keys].sort());
      // Changed orders come as they are now, placed by their new updatedAt.
      assert.deepEqual(seen.filter((o) => o.version === 2).map((o) => o.id).sort(), [ids[1], ids[4]]);

      const later = await client.listOrdersChangedSince({ since: seen[5]!.updatedAt });
      assert.ok(later.items.some((o) => o.id === ids[4]));
      assert.ok(later.items.every((o) => o.updatedAt >= seen[5]!.updatedAt));
      assert.equal(later.nextCursor, null);
      assert.deepEqual((await client.listOrdersChangedSince({ since: new Date(Date.now() + 60_000).toISOString() })).items, []);
    });

    const badQueries = ['limit=100', 'changedSince=yesterday', 'changedSince=2026-01-01T00:00:00Z&limit=0', 'changedSince=2026-01-01T00:00:00Z&limit=501', 'changedSince=2026-01-01T00:00:00Z&cursor=bm9wZQ'];
    for (const q of badQueries) {
      it(`answers 400 VALIDATION_FAILED to ?${q}`, async () => {
        const res = await rawCall(sim, { method: 'GET', path: `${bibPaths.orders}?${q}`, token: await tokenFor(sim) });
        assert.equal(res.status, 400);
        assert.equal(res.json.code, 'VALIDATION_FAILED');
      });
    }
  });

  describe('products and portfolio', () => {
    it('serves the seed catalogue of the old product table', async () => {
      const list = await clientFor(sim).listProducts();
      const summary = list.items.map((p) => [p.code, p.productHouse, p.type, p.riskLevel, p.minSubscription, p.nav, p.active]);
      assert.deepEqual(summary, [
        ['MMF-KAS', 'Nusantara Asset Management', 'MONEY_MARKET', 1, '10000.00', '1823.4417', true],
        ['FIF-OBLIGASI', 'Nusantara Asset Management', 'FIXED_INCOME', 2, '100000.00', '2456.1032', true],
        ['BAL-SEIMBANG', 'Nusantara Asset Management', 'BALANCED', 3, '100000.00', '3120.7785', true],
        ['EQF-SAHAM', 'Nusantara Asset Management', 'EQUITY', 4, '100000.00', '4987.2210', true],
        ['EQF-SYARIAH', 'Nusantara Asset Management', 'EQUITY', 5, '100000.00', '1345.6620', true],
        ['MMF-PASAR-UANG', 'Garuda Investasi', 'MONEY_MARKET', 1, '10000.00', '1502.9981', true],
        ['FIF-SUKUK', 'Garuda Investasi', 'FIXED_INCOME', 2, '50000.00', '1210.5528', true],
        ['EQF-INDEKS', 'Garuda Investasi', 'EQUITY', 4, '100000.00', '987.3309', true],
      ]);
      for (const p of list.items) bibProduct.parse(p);
    });

    it('computes holdings from seeded units and completed orders, in exact decimals', async () => {
      const client = clientFor(sim);
      const investor = (await client.createInvestor(investorInput())).value;
      sim.setHoldings(investor.id, [
        { productCode: 'EQF-SAHAM', units: '100.5' },
        { productCode: 'FIF-OBLIGASI', units: '10' },
      ]);
      const place = async (o: Partial<BibOrderCreate>, status: 'COMPLETED' | 'REJECTED' | null) => {
        const order = (await client.createOrder(orderInput(investor.id, o))).value;
        if (status) sim.progressOrder(order.id, status);
      };
      await place({ productCode: 'MMF-KAS', amount: '1000000' }, 'COMPLETED');
      await place({ type: 'REDEMPTION', productCode: 'EQF-SAHAM', amount: null, units: '0.5' }, 'COMPLETED');
      await place({ type: 'REDEMPTION', productCode: 'EQF-SAHAM', amount: '50000' }, 'COMPLETED');
      await place({ type: 'SWITCHING', productCode: 'FIF-OBLIGASI', targetProductCode: 'FIF-SUKUK', amount: null, units: '4' }, 'COMPLETED');
      await place({ productCode: 'EQF-INDEKS', amount: '500000' }, 'REJECTED');
      await place({ productCode: 'BAL-SEIMBANG', amount: '200000' }, null);

      const p = await client.getPortfolio(investor.id);
      assert.deepEqual(p.holdings.map((h) => [h.productCode, h.units, h.nav, h.marketValue]), [
        ['EQF-SAHAM', '89.9744', '4987.2210', '448722.22'],
        ['FIF-OBLIGASI', '6.0000', '2456.1032', '14736.62'],
        ['FIF-SUKUK', '8.1156', '1210.5528', '9824.36'],
        ['MMF-KAS', '548.4134', '1823.4417', '999999.86'],
      ]);
      assert.equal(p.totalMarketValue, '1473283.06');
      assert.equal(p.currency, 'IDR');
      assert.equal(p.holdings[0]?.productName, 'Dana Saham Unggulan');
    });

    it('never redeems more than is held, and leaves out empty holdings', async () => {
      const client = clientFor(sim);
      const investor = (await client.createInvestor(investorInput())).value;
      sim.setHoldings(investor.id, [{ productCode: 'MMF-PASAR-UANG', units: '5' }]);
      const order = (await client.createOrder(orderInput(investor.id, { type: 'REDEMPTION', productCode: 'MMF-PASAR-UANG', amount: null, units: '7' }))).value;
      sim.progressOrder(order.id, 'COMPLETED');
      const p = await client.getPortfolio(investor.id);
      assert.deepEqual(p.holdings, []);
      assert.equal(p.totalMarketValue, '0.00');
    });

    it('answers 404 for the portfolio of an unknown investor', async () => {
      assert.equal((await bibError(clientFor(sim).getPortfolio('BIB-INV-999999'))).kind, 'not_found');
    });
  });
});

function sigFor(method: string, path: string): string {
  return signatureHeader(localBibCredentials.signingSecret, requestPayload(method, path, ''));
}
