import { strict as assert } from 'node:assert';
import { randomInt, randomUUID } from 'node:crypto';
import { bibClient, resetBibClient } from '../../../shared/bib/bib.js';
import { portfolioCacheKey, productsCacheKey } from '../../../shared/bib/catalogue.js';
import { cacheDocId, defaultCacheCollection } from '../../../shared/cache/cache-document.js';
import { processCache } from '../../../shared/cache/cached.js';
import { config } from '../../../shared/config.js';
import { firestore } from '../../../shared/firestore.js';
import { bearer, recordEvents, signIn, type SignedInUser } from '../../../test/support/auth.js';
import { testBib } from '../../../test/support/bib.js';
import { approvedIndividual, crm, crmCompany, fieldsOf, submitIndividual } from '../../../test/support/crm.js';
import { asOwner, instructionTeam, approvedInvestor, resetCatalogue, setCatalogue, subscriptionBody, instructionApi } from '../../../test/support/instructions.js';
import { createCompany } from '../../../test/support/owner.js';
import { seedProducts } from '../../../tools/bib-simulator/catalogue.js';

/** GET /crm/products and GET /crm/investors/{id}/portfolio: Bib's data through the Firestore cache, against the simulator. */

const products = (token: string, query: Record<string, string> = {}) => crm().get('/crm/products').set(bearer(token)).query(query);
const portfolio = (token: string, id: string) => crm().get(`/crm/investors/${id}/portfolio`).set(bearer(token));

/** Moves a cached copy back in time, as if Bib had answered `seconds` earlier. */
async function backdate(key: string, seconds: number): Promise<void> {
  const ref = (await firestore()).collection(defaultCacheCollection).doc(cacheDocId(key));
  const fetchedAt = (await ref.get()).data()!.fetchedAt.toMillis() as number;
  await ref.update({ fetchedAt: new Date(fetchedAt - seconds * 1000) });
}

/** Past the stale window (so a failed load shows) but within the maximum age of a copy served when Bib is down. */
const pastStaleWindow = (ttl: number) => ttl + config().BIB_CACHE_STALE_SECONDS + 60;

function assertCacheHeaders(res: { headers: Record<string, string> }, xCache: string, where: string): void {
  assert.equal(res.headers['x-cache'], xCache, where);
  assert.match(res.headers['age'] ?? '', /^\d+$/, where);
  assert.equal(res.headers['cache-control'], 'private, max-age=0', where);
}

describe('crm: Bib’s products and portfolios through the cache', () => {
  recordEvents();
  let agent: SignedInUser;
  let admin: SignedInUser;

  before(async () => {
    ({ agent, admin } = await crmCompany());
  });
  beforeEach(async () => {
    await resetCatalogue();
  });
  afterEach(async () => {
    await processCache().idle();
    await resetCatalogue();
    // A fresh client: failures a test provoked must not leave the next one facing an open circuit.
    resetBibClient();
  });

  describe('GET /crm/products', () => {
    it('serves the catalogue to agents and admins: MISS from Bib, then HIT from the cache', async () => {
      const first = await products(agent.accessToken).expect(200);
      assertCacheHeaders(first, 'MISS', 'first read');
      assert.equal(first.headers['age'], '0');
      assert.equal(first.headers['x-bib-stale'], undefined);
      assert.deepEqual(first.body, { items: seedProducts() });
      const second = await products(admin.accessToken).expect(200);
      assertCacheHeaders(second, 'HIT', 'second read');
      assert.deepEqual(second.body, first.body);
    });

    it('filters by type and by active', async () => {
      const closed = { ...seedProducts()[1]!, code: 'FIF-LAMA', name: 'Dana Obligasi Lama', active: false };
      await setCatalogue([closed]);
      const codes = async (query: Record<string, string>) => ((await products(agent.accessToken, query).expect(200)).body.items as Array<{ code: string }>).map((p) => p.code);
      const seed = seedProducts();
      const cases: Array<[Record<string, string>, string[]]> = [
        [{}, [...seed.map((p) => p.code), 'FIF-LAMA']],
        [{ type: 'EQUITY' }, ['EQF-SAHAM', 'EQF-SYARIAH', 'EQF-INDEKS']],
        [{ type: 'FIXED_INCOME' }, ['FIF-OBLIGASI', 'FIF-SUKUK', 'FIF-LAMA']],
        [{ active: 'true' }, seed.map((p) => p.code)],
        [{ active: 'false' }, ['FIF-LAMA']],
        [{ type: 'FIXED_INCOME', active: 'true' }, ['FIF-OBLIGASI', 'FIF-SUKUK']],
        [{ type: 'BALANCED', active: 'false' }, []],
      ];
      for (const [query, expected] of cases) assert.deepEqual(await codes(query), expected, JSON.stringify(query));
    });

    it('refuses unknown filters and values (400 on the field) and callers without a token (401)', async () => {
      const cases: Array<[Record<string, string>, string]> = [
        [{ type: 'BOND' }, 'query.type'],
        [{ active: 'yes' }, 'query.active'],
        [{ cursor: 'abc' }, 'query.cursor'],
      ];
      for (const [query, field] of cases) {
        const res = await products(agent.accessToken, query).expect(400);
        assert.equal(res.body.code, 'VALIDATION_FAILED');
        assert.deepEqual(fieldsOf(res.body), [field], JSON.stringify(query));
      }
      assert.equal((await crm().get('/crm/products').expect(401)).body.code, 'UNAUTHENTICATED');
    });

    it('20 concurrent requests for a cold catalogue reach Bib once', async () => {
      await bibClient().listProducts(); // the token, fetched before counting
      const before = testBib().stats().requests;
      const answers = await Promise.all(Array.from({ length: 20 }, () => products(agent.accessToken)));
      assert.ok(answers.every((r) => r.status === 200 && r.body.items.length === 8));
      assert.equal(testBib().stats().requests - before, 1);
    });

    it('past its TTL: STALE at once, refreshed once in the background, then HIT with Bib’s new catalogue', async () => {
      await products(agent.accessToken).expect(200);
      await backdate(productsCacheKey, config().BIB_PRODUCTS_TTL_SECONDS + 5);
      testBib().setProducts(seedProducts().map((p) => (p.code === 'MMF-KAS' ? { ...p, nav: '1900.0000' } : p)));
      const stale = await products(agent.accessToken).expect(200);
      assertCacheHeaders(stale, 'STALE', 'stale');
      assert.ok(Number(stale.headers['age']) >= config().BIB_PRODUCTS_TTL_SECONDS);
      assert.equal(stale.headers['x-bib-stale'], undefined, 'Bib has not failed');
      assert.equal(stale.body.items[0].nav, '1823.4417', 'the stale copy');
      await processCache().idle();
      const fresh = await products(agent.accessToken).expect(200);
      assertCacheHeaders(fresh, 'HIT', 'refreshed');
      assert.equal(fresh.body.items[0].nav, '1900.0000');
    });

    it('Bib down: an older copy with X-Bib-Stale and a Warning; no copy at all: 503, and instructions cannot be made', async () => {
      await products(agent.accessToken).expect(200);
      await backdate(productsCacheKey, pastStaleWindow(config().BIB_PRODUCTS_TTL_SECONDS));
      testBib().setFaults({ down: true });
      const old = await products(agent.accessToken).expect(200);
      assertCacheHeaders(old, 'STALE', 'Bib down');
      assert.equal(old.headers['x-bib-stale'], 'true');
      assert.equal(old.headers['warning'], '110 - "Response is stale"');
      assert.equal(old.body.items.length, 8);

      await processCache().forget(productsCacheKey);
      const none = await products(admin.accessToken).expect(503);
      assert.equal(none.body.code, 'DEPENDENCY_UNAVAILABLE');
      assert.equal(none.headers['x-cache'], undefined);

      const team = await instructionTeam();
      const investor = await approvedInvestor(team.agent, team.admin);
      const refused = await instructionApi.create(team.agent.accessToken, subscriptionBody(investor.id)).expect(503);
      assert.equal(refused.body.code, 'DEPENDENCY_UNAVAILABLE');
      const [row] = await asOwner<{ n: number }>(`select count(*)::int as n from instruction where investor_id = $1::uuid`, [investor.id]);
      assert.equal(row!.n, 0);
    });
  });

  describe('GET /crm/investors/{id}/portfolio', () => {
    /** An approved investor of the agent, opened at Bib with these holdings and linked (external_id). */
    async function investorAtBib(holdings: Array<{ productCode: string; units: string }>) {
      const { investor } = await approvedIndividual(agent.accessToken, admin.accessToken);
      const { value } = await bibClient().createInvestor({
        clientRef: investor.id,
        companyId: investor.companyId,
        agentRef: String(investor.agentId),
        type: 'INDIVIDUAL',
        fullName: 'Budi Santoso',
        email: null,
        phone: null,
        identityNumber: `3171${randomInt(100_000_000_000, 999_999_999_999)}`,
        birthDate: null,
        riskProfile: null,
        bankAccounts: [],
      });
      testBib().setHoldings(value.id, holdings);
      await asOwner(`update investor set external_id = $2::text where id = $1::uuid`, [investor.id, value.id]);
      return { id: investor.id, bibId: value.id };
    }

    it('answers the agent and the company’s admin with Bib’s holdings: MISS, then HIT', async () => {
      const investor = await investorAtBib([
        { productCode: 'MMF-KAS', units: '1000.0000' },
        { productCode: 'EQF-SAHAM', units: '10.5000' },
      ]);
      const first = await portfolio(agent.accessToken, investor.id).expect(200);
      assertCacheHeaders(first, 'MISS', 'first read');
      assert.equal(first.body.investorId, investor.id);
      assert.equal(first.body.bibInvestorId, investor.bibId);
      assert.deepEqual(
        first.body.holdings.map((h: { productCode: string; units: string; marketValue: string }) => [h.productCode, h.units, h.marketValue]),
        [
          ['EQF-SAHAM', '10.5000', '52365.82'],
          ['MMF-KAS', '1000.0000', '1823441.70'],
        ],
      );
      assert.equal(first.body.totalMarketValue, '1875807.52');
      const second = await portfolio(admin.accessToken, investor.id).expect(200);
      assertCacheHeaders(second, 'HIT', 'admin');
      assert.deepEqual(second.body, first.body);
    });

    it('404 for an investor the caller cannot see: a colleague’s, another company’s, an unknown one; 400 for a bad id', async () => {
      const investor = await investorAtBib([]);
      const colleague = await signIn({ companyId: agent.companyId });
      const otherCompany = await createCompany();
      const foreignAgent = await signIn({ companyId: otherCompany.id });
      const foreignAdmin = await signIn({ companyId: otherCompany.id, role: 'ADMIN' });
      for (const [who, token, id] of [
        ['a colleague of the same company', colleague.accessToken, investor.id],
        ['an agent of another company', foreignAgent.accessToken, investor.id],
        ['an admin of another company', foreignAdmin.accessToken, investor.id],
        ['an unknown investor', admin.accessToken, randomUUID()],
      ] as const) {
        const res = await portfolio(token, id).expect(404);
        assert.equal(res.body.code, 'NOT_FOUND', who);
      }
      assert.equal((await portfolio(admin.accessToken, 'not-a-uuid').expect(400)).body.code, 'VALIDATION_FAILED');
    });

    it('409 for an investor not at Bib yet, and for a Bib id Bib does not know', async () => {
      const { investor } = await submitIndividual(agent.accessToken);
      const notYet = await portfolio(agent.accessToken, investor.id).expect(409);
      assert.equal(notYet.body.code, 'CONFLICT');
      assert.match(notYet.body.detail, /not at Bib yet/);
      const { investor: linked } = await approvedIndividual(agent.accessToken, admin.accessToken);
      await asOwner(`update investor set external_id = 'BIB-UNKNOWN-1' where id = $1::uuid`, [linked.id]);
      const unknown = await portfolio(admin.accessToken, linked.id).expect(409);
      assert.equal(unknown.body.code, 'CONFLICT');
      assert.match(unknown.body.detail, /BIB-UNKNOWN-1/);
    });

    it('Bib down: an older copy with X-Bib-Stale; no copy: 503', async () => {
      const investor = await investorAtBib([{ productCode: 'FIF-SUKUK', units: '50.0000' }]);
      await portfolio(agent.accessToken, investor.id).expect(200);
      await backdate(portfolioCacheKey(investor.bibId), pastStaleWindow(config().BIB_PORTFOLIO_TTL_SECONDS));
      testBib().setFaults({ down: true });
      const old = await portfolio(agent.accessToken, investor.id).expect(200);
      assertCacheHeaders(old, 'STALE', 'Bib down');
      assert.equal(old.headers['x-bib-stale'], 'true');
      assert.equal(old.body.holdings[0].productCode, 'FIF-SUKUK');

      await processCache().forget(portfolioCacheKey(investor.bibId));
      const none = await portfolio(agent.accessToken, investor.id).expect(503);
      assert.equal(none.body.code, 'DEPENDENCY_UNAVAILABLE');
    });
  });
});
