import { strict as assert } from 'node:assert';
import { randomUUID } from 'node:crypto';
import { encodeCursor } from '../../../shared/http/pagination.js';
import { bearer, recordEvents, signIn } from '../../../test/support/auth.js';
import { createCompany } from '../../../test/support/owner.js';
import {
  crm,
  crmCompany,
  decideInvestors,
  fieldsOf,
  getInvestor,
  individualBody,
  institutionalBody,
  submitIndividual,
  submitInstitutional,
} from '../../../test/support/crm.js';

/** GET /crm/investors and GET /crm/investors/{id}: who sees what, filters, search and keyset pagination. */

const list = (token: string, query: Record<string, string | number> = {}) => crm().get('/crm/investors').query(query).set(bearer(token));
const idsOf = (body: { items: Array<{ id: string }> }) => body.items.map((i) => i.id);
const sorted = (ids: string[]) => [...ids].sort();

describe('crm: GET /crm/investors', () => {
  recordEvents();

  it('shows an agent only its own investors and an admin the company’s, never another company’s', async () => {
    const { company, agent, admin } = await crmCompany();
    const colleague = await signIn({ companyId: company.id });
    const outsider = await signIn({ companyId: (await createCompany()).id });
    const mine = [(await submitIndividual(agent.accessToken)).investor.id, (await submitInstitutional(agent.accessToken)).investor.id];
    const theirs = [(await submitIndividual(colleague.accessToken)).investor.id];
    const foreign = (await submitIndividual(outsider.accessToken)).investor.id;

    const own = (await list(agent.accessToken).expect(200)).body;
    assert.deepEqual(idsOf(own), [...mine].reverse(), 'newest first');
    assert.equal(own.nextCursor, null);
    assert.deepEqual(idsOf((await list(colleague.accessToken).expect(200)).body), theirs);
    // An agent's agentId filter cannot widen what it sees.
    assert.deepEqual(idsOf((await list(agent.accessToken, { agentId: colleague.id }).expect(200)).body), mine.toReversed());

    const all = (await list(admin.accessToken).expect(200)).body;
    assert.deepEqual(idsOf(all), [...theirs, ...mine.toReversed()]);
    assert.ok(!idsOf(all).includes(foreign));
    const first = all.items.find((i: { id: string }) => i.id === mine[0]);
    assert.match(first.nikMasked, /^\*{12}\d{4}$/);
    assert.equal(first.bankAccounts.length, 1);
  });

  it('filters by status, type and agentId', async () => {
    const { company, agent, admin } = await crmCompany();
    const colleague = await signIn({ companyId: company.id });
    const a1 = (await submitIndividual(agent.accessToken)).investor.id;
    const a2 = (await submitInstitutional(agent.accessToken)).investor.id;
    const c1 = (await submitIndividual(colleague.accessToken)).investor.id;
    const c2 = (await submitIndividual(colleague.accessToken)).investor.id;
    await decideInvestors(admin.accessToken, { ids: [a1, c1], decision: 'APPROVE' }).expect(200);
    await decideInvestors(admin.accessToken, { ids: [c2], decision: 'REJECT', reason: 'Incomplete KYC' }).expect(200);

    const cases: Array<[Record<string, string | number>, string[]]> = [
      [{ status: 'APPROVED' }, [a1, c1]],
      [{ status: 'SUBMITTED' }, [a2]],
      [{ status: 'REJECTED' }, [c2]],
      [{ status: 'DRAFT' }, []],
      [{ type: 'INSTITUTIONAL' }, [a2]],
      [{ type: 'INDIVIDUAL' }, [a1, c1, c2]],
      [{ agentId: agent.id }, [a1, a2]],
      [{ agentId: colleague.id, status: 'APPROVED' }, [c1]],
      [{ agentId: agent.id, type: 'INDIVIDUAL', status: 'SUBMITTED' }, []],
    ];
    for (const [query, expected] of cases) {
      assert.deepEqual(sorted(idsOf((await list(admin.accessToken, query).expect(200)).body)), sorted(expected), JSON.stringify(query));
    }
    const bad: Array<Record<string, string | number>> = [{ status: 'PENDING' }, { type: 'PERSON' }, { agentId: 'x' }, { limit: 0 }, { limit: 101 }, { sort: 'name' }];
    for (const query of bad) {
      assert.equal((await list(admin.accessToken, query).expect(400)).body.code, 'VALIDATION_FAILED', JSON.stringify(query));
    }
  });

  it('searches by name (any case), email, phone, a whole NIK and an NPWP', async () => {
    const { agent, admin } = await crmCompany();
    const budi = individualBody({ fullName: 'Budi Santoso' });
    const citra = individualBody({ fullName: 'Citra Lestari', gender: 'FEMALE' });
    const inst = institutionalBody({ name: 'PT Sinar Harapan' });
    const ids = {
      budi: (await submitIndividual(agent.accessToken, budi)).investor.id,
      citra: (await submitIndividual(agent.accessToken, citra)).investor.id,
      inst: (await submitInstitutional(agent.accessToken, inst)).investor.id,
    };
    const npwp = inst.institutional.npwp;
    const cases: Array<[q: string, expected: string[]]> = [
      ['budi', [ids.budi]],
      ['SANTOSO', [ids.budi]],
      ['lEsTaRi', [ids.citra]],
      ['sinar', [ids.inst]],
      [citra.individual.email, [ids.citra]],
      [citra.individual.email.toUpperCase(), [ids.citra]],
      [budi.individual.phone, [ids.budi]],
      [budi.individual.phone.slice(3), [ids.budi]],
      [budi.individual.nik, [ids.budi]],
      [`${citra.individual.nik.slice(0, 6)} ${citra.individual.nik.slice(6, 12)} ${citra.individual.nik.slice(12)}`, [ids.citra]],
      [npwp, [ids.inst]],
      [`${npwp.slice(0, 2)}.${npwp.slice(2, 5)}.${npwp.slice(5, 8)}.${npwp.slice(8, 9)}-${npwp.slice(9, 12)}.${npwp.slice(12)}`, [ids.inst]],
      // A NIK's first digits are not a search for the NIK: only whole numbers are looked up.
      [budi.individual.nik.slice(0, 10), []],
      ['Andi', []],
      ['%', []],
    ];
    for (const [q, expected] of cases) {
      assert.deepEqual(sorted(idsOf((await list(admin.accessToken, { q }).expect(200)).body)), sorted(expected), q);
    }
    // The agent's own search works the same way.
    assert.deepEqual(idsOf((await list(agent.accessToken, { q: budi.individual.nik }).expect(200)).body), [ids.budi]);
  });

  it('finds an individual by the NPWP on their KYC', async () => {
    // The search documents "a whole NIK/NPWP"; an individual's NPWP is stored (npwp_hash) but only the
    // investor's id_number_hash (NIK for individuals) is searched.
    const { agent, admin } = await crmCompany();
    const body = individualBody();
    const { investor } = await submitIndividual(agent.accessToken, body);
    assert.deepEqual(idsOf((await list(admin.accessToken, { q: body.individual.npwp }).expect(200)).body), [investor.id]);
  });

  it('pages newest first with limit and cursor, each investor exactly once', async () => {
    const { agent, admin } = await crmCompany();
    const created: string[] = [];
    for (let i = 0; i < 5; i++) created.push((await submitIndividual(agent.accessToken)).investor.id);
    for (const token of [admin.accessToken, agent.accessToken]) {
      const seen: string[] = [];
      const sizes: number[] = [];
      let cursor: string | undefined;
      do {
        const page = (await list(token, { limit: 2, ...(cursor ? { cursor } : {}) }).expect(200)).body;
        seen.push(...idsOf(page));
        sizes.push(page.items.length);
        cursor = page.nextCursor ?? undefined;
      } while (cursor);
      assert.deepEqual(sizes, [2, 2, 1]);
      assert.deepEqual(seen, created.toReversed());
    }
  });

  it('refuses a cursor it did not make', async () => {
    const { admin } = await crmCompany();
    for (const cursor of ['garbage', encodeCursor([1, 2]), encodeCursor(['2026-01-01 00:00:00+00', 'not-a-uuid']), Buffer.from('{').toString('base64url')]) {
      const res = await list(admin.accessToken, { cursor }).expect(400);
      assert.equal(res.body.code, 'VALIDATION_FAILED', cursor);
      assert.deepEqual(fieldsOf(res.body), ['query.cursor']);
    }
  });
});

describe('crm: GET /crm/investors/{id}', () => {
  it('answers the owning agent and the company’s admin, 404 to another agent and another company', async () => {
    const { company, agent, admin } = await crmCompany();
    const colleague = await signIn({ companyId: company.id });
    const strangerAdmin = await signIn({ companyId: (await createCompany()).id, role: 'ADMIN' });
    const strangerAgent = await signIn({ companyId: strangerAdmin.companyId });
    const { investor, body } = await submitIndividual(agent.accessToken);

    const own = (await getInvestor(agent.accessToken, investor.id).expect(200)).body;
    assert.equal(own.id, investor.id);
    assert.equal(own.nikMasked, `************${body.individual.nik.slice(-4)}`);
    assert.deepEqual((await getInvestor(admin.accessToken, investor.id).expect(200)).body, own);
    for (const [who, token] of [['colleague', colleague], ['other company’s admin', strangerAdmin], ['other company’s agent', strangerAgent]] as const) {
      assert.equal((await getInvestor(token.accessToken, investor.id).expect(404)).body.code, 'NOT_FOUND', who);
    }
    assert.equal((await getInvestor(admin.accessToken, randomUUID()).expect(404)).body.code, 'NOT_FOUND');
    assert.deepEqual(fieldsOf((await getInvestor(admin.accessToken, 'not-a-uuid').expect(400)).body), ['params.id']);
  });
});
