import { strict as assert } from 'node:assert';
import { encodeCursor } from '../../../shared/http/pagination.js';
import { recordEvents, signIn } from '../../../test/support/auth.js';
import { crm } from '../../../test/support/crm.js';
import { validLicence } from '../../../test/support/idty.js';
import { byIdDesc, createLead, idsOf, leadApi, leadAt, leadBody, leadCount, salesTeam, storedLead, type Lead } from '../../../test/support/leads.js';
import { createCompany } from '../../../test/support/owner.js';
import { createUser, uniqueContact } from '../../../test/support/users.js';

/**
 * POST and GET /crm/leads through the Functions Framework test server against the real database: who owns a
 * new lead, validation, and what each caller lists (filters, search, pages). One lead's routes and its audit
 * trail are in lead-records.test.ts; the pipeline, reassignment and conversion in lead-pipeline.test.ts.
 */

const leadKeys = ['companyId', 'createdAt', 'email', 'fullname', 'id', 'investorId', 'nextFollowUpAt', 'notes', 'ownerId', 'phone', 'source', 'status', 'updatedAt'];
const iso = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/;

describe('CRM leads (/crm/leads)', () => {
  recordEvents();

  describe('POST /crm/leads', () => {
    it('an agent creates a NEW lead it owns in its home company: 201, Location, the fields round-trip', async () => {
      const { company, agent } = await salesTeam();
      const contact = uniqueContact();
      const body = {
        fullname: '  Rudi Hartono ',
        phone: contact.phone,
        email: contact.email.toUpperCase(),
        source: 'Pameran Reksa Dana',
        notes: 'Tertarik reksa dana pasar uang',
        nextFollowUpAt: '2030-03-01T10:00:00+07:00',
      };
      const res = await leadApi.create(agent.accessToken, body).expect(201);
      const lead = res.body as Lead;
      assert.deepEqual(Object.keys(lead).sort(), leadKeys);
      assert.equal(res.headers.location, `/crm/leads/${lead.id}`);
      assert.deepEqual(
        { ...lead, id: 0, createdAt: '', updatedAt: '' },
        {
          id: 0,
          companyId: company.id,
          ownerId: agent.id,
          fullname: 'Rudi Hartono',
          phone: contact.phone,
          email: contact.email,
          source: 'Pameran Reksa Dana',
          notes: 'Tertarik reksa dana pasar uang',
          status: 'NEW',
          investorId: null,
          nextFollowUpAt: '2030-03-01T03:00:00.000Z',
          createdAt: '',
          updatedAt: '',
        },
      );
      assert.match(lead.createdAt, iso);
      assert.match(lead.updatedAt, iso);
      assert.deepEqual((await leadApi.get(agent.accessToken, lead.id).expect(200)).body, lead);
      assert.deepEqual(await storedLead(lead.id), { status: 'NEW', ownerId: agent.id, companyId: company.id, investorId: null });
    });

    it('stores omitted and null optional fields as null', async () => {
      const { agent } = await salesTeam();
      const optional = ['phone', 'email', 'source', 'notes', 'nextFollowUpAt'] as const;
      const cases: Array<[string, Record<string, unknown>]> = [
        ['omitted', { fullname: 'Dewi Lestari' }],
        ['null', { fullname: 'Dewi Lestari', ...Object.fromEntries(optional.map((k) => [k, null])) }],
      ];
      for (const [name, body] of cases) {
        const lead = (await leadApi.create(agent.accessToken, body).expect(201)).body as Lead;
        assert.deepEqual(
          optional.map((k) => lead[k]),
          optional.map(() => null),
          name,
        );
        assert.equal(lead.status, 'NEW', name);
      }
    });

    it('an agent may name itself as owner but no one else: 403 FORBIDDEN', async () => {
      const { company, agent, colleague, admin } = await salesTeam();
      const stranger = await createUser({ companyId: (await createCompany()).id });
      assert.equal((await leadApi.create(agent.accessToken, leadBody({ ownerId: agent.id })).expect(201)).body.ownerId, agent.id);
      for (const [name, ownerId] of [
        ['a colleague', colleague.id],
        ['its admin', admin.id],
        ['an agent of another company', stranger.id],
        ['nobody', 999_999_999],
      ] as const) {
        const res = await leadApi.create(agent.accessToken, leadBody({ ownerId }));
        assert.equal(res.status, 403, name);
        assert.equal(res.body.code, 'FORBIDDEN', name);
      }
      assert.equal(idsOf((await leadApi.list(admin.accessToken).expect(200)).body).length, 1, `only the agent's own lead in company ${company.id}`);
    });

    it('an admin must name the owning agent: 400 on body.ownerId', async () => {
      const { admin } = await salesTeam();
      const res = await leadApi.create(admin.accessToken, leadBody()).expect(400);
      assert.equal(res.body.code, 'VALIDATION_FAILED');
      assert.deepEqual(res.body.errors.map((e: { field: string }) => e.field), ['body.ownerId']);
    });

    it('an admin creates a lead for an active agent of its company, in that agent’s company', async () => {
      const { company, admin, agent } = await salesTeam();
      const licensed = await createUser({ companyId: company.id, licence: validLicence });
      for (const owner of [agent, licensed]) {
        const lead = (await leadApi.create(admin.accessToken, leadBody({ ownerId: owner.id })).expect(201)).body as Lead;
        assert.deepEqual([lead.ownerId, lead.companyId, lead.status], [owner.id, company.id, 'NEW']);
      }
      // The agent sees the lead an admin gave it.
      assert.equal(idsOf((await leadApi.list(agent.accessToken).expect(200)).body).length, 1);

      // An admin of two companies: the lead lives in the owning agent's company.
      const second = await createCompany();
      const both = await signIn({ companyId: company.id, role: 'ADMIN', extraCompanyIds: [second.id] });
      const there = await createUser({ companyId: second.id });
      const lead = (await leadApi.create(both.accessToken, leadBody({ ownerId: there.id })).expect(201)).body as Lead;
      assert.deepEqual([lead.ownerId, lead.companyId], [there.id, second.id]);
    });

    it('an admin cannot give a lead to an agent of another company, an admin, an inactive or an unknown user: 404', async () => {
      // Another tenant's agent is answered like one that does not exist, and so is any id that is no active agent.
      const { company, admin } = await salesTeam();
      const other = await createCompany();
      const cases: Array<[string, number]> = [
        ['an agent of another company', (await createUser({ companyId: other.id })).id],
        ['an admin', (await createUser({ companyId: company.id, role: 'ADMIN' })).id],
        ['the admin itself', admin.id],
        ['an inactive agent', (await createUser({ companyId: company.id, status: 'INACTIVE' })).id],
        ['an agent pending approval', (await createUser({ companyId: company.id, status: 'PENDING_APPROVAL' })).id],
        ['an unknown user', 999_999_999],
      ];
      for (const [name, ownerId] of cases) {
        const res = await leadApi.create(admin.accessToken, leadBody({ ownerId }));
        assert.equal(res.status, 404, name);
        assert.equal(res.body.code, 'NOT_FOUND', name);
      }
      assert.deepEqual((await leadApi.list(admin.accessToken).expect(200)).body.items, []);
      assert.equal(await leadCount(other.id), 0);
    });

    it('refuses invalid bodies with 400 VALIDATION_FAILED naming the field, and writes nothing', async () => {
      const { agent } = await salesTeam();
      const cases: Array<[string, Record<string, unknown>, string]> = [
        ['a local phone number', leadBody({ phone: '081234567890' }), 'body.phone'],
        ['a phone number with spaces', leadBody({ phone: '+62 812 3456 7890' }), 'body.phone'],
        ['a phone number without +', leadBody({ phone: '6281234567890' }), 'body.phone'],
        ['a bad email', leadBody({ email: 'rudi@' }), 'body.email'],
        ['an email without @', leadBody({ email: 'rudi.example.test' }), 'body.email'],
        ['an unknown field', leadBody({ status: 'INTERESTED' }), 'body.status'],
        ['an unknown field (companyId)', leadBody({ companyId: 1 }), 'body.companyId'],
        ['a one-letter name', leadBody({ fullname: 'R' }), 'body.fullname'],
        ['a name of blanks around one letter', leadBody({ fullname: '   R   ' }), 'body.fullname'],
        ['no name', { ...leadBody(), fullname: undefined }, 'body.fullname'],
        ['a name of 201 characters', leadBody({ fullname: 'a'.repeat(201) }), 'body.fullname'],
        ['an empty source', leadBody({ source: ' ' }), 'body.source'],
        ['notes of 2001 characters', leadBody({ notes: 'x'.repeat(2001) }), 'body.notes'],
        ['a follow-up time without offset', leadBody({ nextFollowUpAt: '2030-03-01T10:00:00' }), 'body.nextFollowUpAt'],
        ['a follow-up date only', leadBody({ nextFollowUpAt: '2030-03-01' }), 'body.nextFollowUpAt'],
        ['an ownerId as string', leadBody({ ownerId: String(agent.id) }), 'body.ownerId'],
        ['a negative ownerId', leadBody({ ownerId: -1 }), 'body.ownerId'],
      ];
      for (const [name, body, field] of cases) {
        const res = await leadApi.create(agent.accessToken, body);
        assert.equal(res.status, 400, name);
        assert.equal(res.body.code, 'VALIDATION_FAILED', name);
        assert.deepEqual(res.body.errors.map((e: { field: string }) => e.field), [field], name);
      }
      assert.deepEqual((await leadApi.list(agent.accessToken).expect(200)).body.items, []);
    });

    it('requires a signed-in caller: 401', async () => {
      const res = await crm().post('/crm/leads').send(leadBody()).expect(401);
      assert.equal(res.body.code, 'UNAUTHENTICATED');
    });
  });

  describe('GET /crm/leads', () => {
    it('an agent lists only its own leads, newest first, whatever ownerId it names', async () => {
      const { admin, agent, colleague } = await salesTeam();
      const mine = [(await createLead(agent.accessToken)).id, (await createLead(admin.accessToken, leadBody({ ownerId: agent.id }))).id];
      const theirs = (await createLead(colleague.accessToken)).id;
      for (const query of [{}, { ownerId: colleague.id }, { ownerId: agent.id }] as Array<Record<string, number>>) {
        const res = await leadApi.list(agent.accessToken, query).expect(200);
        assert.deepEqual(idsOf(res.body), byIdDesc(mine), JSON.stringify(query));
        assert.equal(res.body.nextCursor, null);
      }
      assert.deepEqual(idsOf((await leadApi.list(colleague.accessToken).expect(200)).body), [theirs]);
    });

    it('an admin lists its company’s leads, filtered by ownerId and status', async () => {
      const { admin, agent, colleague } = await salesTeam();
      const a = { fresh: await leadAt(agent.accessToken, 'NEW'), interested: await leadAt(agent.accessToken, 'INTERESTED'), lost: await leadAt(agent.accessToken, 'LOST') };
      const c = { fresh: await leadAt(colleague.accessToken, 'NEW'), converted: await leadAt(colleague.accessToken, 'CONVERTED') };
      const cases: Array<[Record<string, string | number>, Lead[]]> = [
        [{}, [a.fresh, a.interested, a.lost, c.fresh, c.converted]],
        [{ ownerId: agent.id }, [a.fresh, a.interested, a.lost]],
        [{ ownerId: colleague.id }, [c.fresh, c.converted]],
        [{ ownerId: admin.id }, []],
        [{ status: 'NEW' }, [a.fresh, c.fresh]],
        [{ status: 'CONVERTED' }, [c.converted]],
        [{ status: 'CONTACTED' }, []],
        [{ status: 'NEW', ownerId: colleague.id }, [c.fresh]],
        [{ status: 'LOST', ownerId: colleague.id }, []],
      ];
      for (const [query, expected] of cases) {
        const res = await leadApi.list(admin.accessToken, query).expect(200);
        assert.deepEqual(idsOf(res.body), byIdDesc(expected.map((l) => l.id)), JSON.stringify(query));
      }
      // Items are <lead>, as GET /crm/leads/{id} answers them.
      const listed = (await leadApi.list(admin.accessToken, { status: 'CONVERTED' }).expect(200)).body.items[0];
      assert.deepEqual(listed, (await leadApi.get(admin.accessToken, c.converted.id).expect(200)).body);
      for (const query of [{ status: 'WON' }, { ownerId: 'me' }, { ownerId: 0 }, { sort: 'name' }] as Array<Record<string, string | number>>) {
        assert.equal((await leadApi.list(admin.accessToken, query).expect(400)).body.code, 'VALIDATION_FAILED', JSON.stringify(query));
      }
    });

    it('searches q in the name (any case), the email and the phone, taking % and _ literally', async () => {
      const { admin, agent } = await salesTeam();
      const lead = async (fullname: string, contact: { email?: string | null; phone?: string | null } = {}) =>
        (await createLead(agent.accessToken, { fullname, email: null, phone: null, ...contact })).id;
      const siti = await lead('Siti Nurhaliza');
      const sitiUpper = await lead('SITI AMINAH');
      const percent = await lead('Diskon 100% Nyata');
      const noPercent = await lead('Diskon 1000 Nyata');
      const underscore = await lead('Andi_Wijaya');
      const space = await lead('Andi Wijaya');
      const backslash = await lead('Folder C:\\Data');
      const contact = uniqueContact();
      const byContact = await lead('Bambang Pamungkas', contact);
      const local = contact.email.split('@')[0]!;

      const cases: Array<[string, number[]]> = [
        ['siti', [siti, sitiUpper]],
        ['NURHALIZA', [siti]],
        ['100%', [percent]],
        ['Diskon 100', [percent, noPercent]],
        ['%', [percent]],
        ['i_W', [underscore]],
        ['_', [underscore]],
        ['Andi', [underscore, space]],
        ['\\', [backslash]],
        ['C:\\D', [backslash]],
        [local.toUpperCase(), [byContact]],
        [contact.email, [byContact]],
        [contact.phone.slice(3), [byContact]],
        [contact.phone, [byContact]],
        ['tidak ada yang cocok', []],
      ];
      for (const [q, expected] of cases) {
        for (const token of [agent.accessToken, admin.accessToken]) {
          const res = await leadApi.list(token, { q }).expect(200);
          assert.deepEqual(idsOf(res.body), byIdDesc(expected), `q=${q}`);
        }
      }
      assert.equal((await leadApi.list(agent.accessToken, { q: '   ' }).expect(400)).body.code, 'VALIDATION_FAILED');
      assert.equal((await leadApi.list(agent.accessToken, { q: 'x'.repeat(101) }).expect(400)).body.code, 'VALIDATION_FAILED');
    });

    it('pages with limit and cursor: every lead exactly once, newest first, nextCursor null at the end', async () => {
      const { admin, agent } = await salesTeam();
      const ids: number[] = [];
      for (let i = 0; i < 5; i++) ids.push((await createLead(agent.accessToken, leadBody({ fullname: `Prospek ${i}` }))).id);
      for (const token of [agent.accessToken, admin.accessToken]) {
        const pages: number[][] = [];
        let cursor: string | undefined;
        do {
          const res = await leadApi.list(token, { limit: 2, ...(cursor ? { cursor } : {}) }).expect(200);
          assert.deepEqual(Object.keys(res.body).sort(), ['items', 'nextCursor']);
          pages.push(idsOf(res.body));
          cursor = res.body.nextCursor ?? undefined;
          assert.ok(pages.length <= 5, 'the walk ends');
        } while (cursor);
        assert.deepEqual(pages.map((p) => p.length), [2, 2, 1]);
        assert.deepEqual(pages.flat(), byIdDesc(ids));
      }
      // A page that ends exactly at the last lead says so.
      const four = await leadApi.list(agent.accessToken, { limit: 4 }).expect(200);
      const last = await leadApi.list(agent.accessToken, { limit: 1, cursor: four.body.nextCursor }).expect(200);
      assert.deepEqual([idsOf(last.body), last.body.nextCursor], [[Math.min(...ids)], null]);
      assert.equal((await leadApi.list(agent.accessToken, { limit: 5 }).expect(200)).body.nextCursor, null);
    });

    it('refuses a cursor it did not make and a limit outside 1..100 with 400', async () => {
      const { agent } = await salesTeam();
      const bad: Array<Record<string, string | number>> = [
        { cursor: 'not-a-cursor' },
        { cursor: encodeCursor(['abc']) },
        { cursor: encodeCursor([-5]) },
        { cursor: encodeCursor([1, 2]) },
        { cursor: Buffer.from('{"id":1}').toString('base64url') },
        { limit: 0 },
        { limit: 101 },
        { limit: 'ten' },
      ];
      for (const query of bad) {
        const res = await leadApi.list(agent.accessToken, query);
        assert.equal(res.status, 400, JSON.stringify(query));
        assert.equal(res.body.code, 'VALIDATION_FAILED', JSON.stringify(query));
      }
    });

    it('never lists another company’s leads; an admin of two companies sees both, merged newest first', async () => {
      const mine = await salesTeam();
      const theirs = await salesTeam();
      const ours = [(await createLead(mine.agent.accessToken)).id];
      const other = [(await createLead(theirs.agent.accessToken, leadBody({ fullname: 'Siti Lain' }))).id];
      ours.push((await createLead(mine.colleague.accessToken, leadBody({ fullname: 'Siti Kami' }))).id);
      other.push((await createLead(theirs.colleague.accessToken)).id);

      const cases: Array<[Record<string, string | number>, number[]]> = [
        [{}, ours],
        [{ ownerId: theirs.agent.id }, []],
        [{ q: 'Siti' }, [ours[1]!]],
        [{ status: 'NEW' }, ours],
      ];
      for (const [query, expected] of cases) {
        assert.deepEqual(idsOf((await leadApi.list(mine.admin.accessToken, query).expect(200)).body), byIdDesc(expected), JSON.stringify(query));
      }
      const both = await signIn({ companyId: mine.company.id, role: 'ADMIN', extraCompanyIds: [theirs.company.id] });
      const all = byIdDesc([...ours, ...other]);
      assert.deepEqual(idsOf((await leadApi.list(both.accessToken).expect(200)).body), all);
      const paged: number[] = [];
      let cursor: string | undefined;
      do {
        const res = await leadApi.list(both.accessToken, { limit: 3, ...(cursor ? { cursor } : {}) }).expect(200);
        paged.push(...idsOf(res.body));
        cursor = res.body.nextCursor ?? undefined;
      } while (cursor);
      assert.deepEqual(paged, all);
    });
  });
});
