import { strict as assert } from 'node:assert';
import { bearer, recordEvents, signIn } from '../../../test/support/auth.js';
import { crm } from '../../../test/support/crm.js';
import {
  createLead,
  idsOf,
  investorsOfLead,
  leadApi,
  leadAt,
  leadBody,
  leadStatuses,
  leadTrail,
  salesTeam,
  storedLead,
  type Lead,
  type LeadStatus,
} from '../../../test/support/leads.js';
import { createCompany } from '../../../test/support/owner.js';
import { createUser, uniqueContact } from '../../../test/support/users.js';

/**
 * The lead pipeline through the Functions Framework test server against the real database: every status
 * transition by PUT /crm/leads/{id}, what a closed lead still accepts, reassignment by an admin, and
 * POST /crm/leads/{id}/convert with the DRAFT investor it makes.
 */

const investorKeys = [
  'agentId',
  'bankAccounts',
  'companyId',
  'createdAt',
  'decidedAt',
  'email',
  'externalId',
  'fullName',
  'id',
  'leadId',
  'nikMasked',
  'npwpMasked',
  'phone',
  'rejectedReason',
  'riskProfile',
  'status',
  'submittedAt',
  'sync',
  'syncStatus',
  'type',
  'updatedAt',
];

/** The pipeline's next stages, as a refused move lists them (allowed). */
const pipeline: Record<LeadStatus, LeadStatus[]> = {
  NEW: ['CONTACTED', 'LOST'],
  CONTACTED: ['INTERESTED', 'LOST'],
  INTERESTED: ['CONVERTED', 'LOST'],
  CONVERTED: [],
  LOST: [],
};

/** The PUT transitions that succeed, besides keeping the status. */
const forward = new Set(['NEW>CONTACTED', 'CONTACTED>INTERESTED', 'NEW>LOST', 'CONTACTED>LOST', 'INTERESTED>LOST']);

async function oneAgent() {
  const company = await createCompany();
  return { company, agent: await signIn({ companyId: company.id, role: 'RM_AGENT' }) };
}

const getInvestor = (token: string, id: string) => crm().get(`/crm/investors/${id}`).set(bearer(token));

describe('CRM lead pipeline (/crm/leads)', () => {
  recordEvents();

  describe('PUT /crm/leads/{id} {status}: every transition', () => {
    for (const from of leadStatuses) {
      for (const to of leadStatuses) {
        const outcome = from === to ? 'keeps the status (200)' : forward.has(`${from}>${to}`) ? 'moves (200)' : from === 'INTERESTED' && to === 'CONVERTED' ? '409, pointing at convert' : '409 CONFLICT';
        it(`${from} → ${to}: ${outcome}`, async () => {
          const { agent } = await oneAgent();
          const lead = await leadAt(agent.accessToken, from);
          const res = await leadApi.put(agent.accessToken, lead.id, { status: to });
          if (from === to || forward.has(`${from}>${to}`)) {
            assert.equal(res.status, 200, JSON.stringify(res.body));
            assert.deepEqual({ ...res.body, updatedAt: '' }, { ...lead, status: to, updatedAt: '' });
            assert.equal((await storedLead(lead.id))?.status, to);
            return;
          }
          assert.equal(res.status, 409, JSON.stringify(res.body));
          assert.equal(res.body.code, 'CONFLICT');
          if (from === 'INTERESTED' && to === 'CONVERTED') assert.match(res.body.detail, /POST \/crm\/leads\/\{id\}\/convert/);
          else assert.deepEqual(res.body.allowed, pipeline[from], 'the moves the lead has');
          assert.deepEqual((await leadApi.get(agent.accessToken, lead.id).expect(200)).body, lead, 'unchanged');
          assert.deepEqual(await investorsOfLead(lead.id), from === 'CONVERTED' ? [lead.investorId] : [], 'no investor made');
        });
      }
    }
  });

  describe('closed leads (LOST, CONVERTED)', () => {
    for (const status of ['LOST', 'CONVERTED'] as const) {
      it(`a ${status} lead takes new notes and a follow-up date, and nothing else (409)`, async () => {
        const { admin, agent, colleague } = await salesTeam();
        let lead = await leadAt(agent.accessToken, status, leadBody({ notes: 'Awal' }));
        const accepted: Array<['agent' | 'admin', object, Partial<Lead>]> = [
          ['agent', { notes: 'Tidak jadi, coba lagi tahun depan' }, { notes: 'Tidak jadi, coba lagi tahun depan' }],
          ['agent', { nextFollowUpAt: '2031-01-05T09:00:00+07:00' }, { nextFollowUpAt: '2031-01-05T02:00:00.000Z' }],
          ['admin', { notes: null, nextFollowUpAt: null }, { notes: null, nextFollowUpAt: null }],
          ['agent', { notes: 'Catatan', status }, { notes: 'Catatan' }],
          ['admin', { notes: 'Catatan admin', ownerId: agent.id }, { notes: 'Catatan admin' }],
        ];
        for (const [who, body, changes] of accepted) {
          const res = await leadApi.put(who === 'admin' ? admin.accessToken : agent.accessToken, lead.id, body);
          assert.equal(res.status, 200, `${JSON.stringify(body)}: ${JSON.stringify(res.body)}`);
          assert.deepEqual({ ...res.body, updatedAt: '' }, { ...lead, ...changes, updatedAt: '' }, JSON.stringify(body));
          lead = res.body;
        }
        const refused: Array<[string, string, object]> = [
          ['agent', 'a new name', { fullname: 'Nama Baru' }],
          ['agent', 'a new phone', { phone: uniqueContact().phone }],
          ['agent', 'no phone', { phone: null }],
          ['agent', 'a new email', { email: uniqueContact().email }],
          ['agent', 'a new source', { source: 'Instagram' }],
          ['agent', 'notes with a new name', { notes: 'Ikut berubah?', fullname: 'Nama Baru' }],
          ['agent', 'back to NEW', { status: 'NEW' }],
          ['agent', 'notes with a move to CONTACTED', { notes: 'Ikut berubah?', status: 'CONTACTED' }],
          ['admin', 'another owner', { ownerId: colleague.id }],
          ['admin', 'notes with another owner', { notes: 'Ikut berubah?', ownerId: colleague.id }],
        ];
        for (const [who, name, body] of refused) {
          const res = await leadApi.put(who === 'admin' ? admin.accessToken : agent.accessToken, lead.id, body);
          assert.equal(res.status, 409, name);
          assert.equal(res.body.code, 'CONFLICT', name);
        }
        assert.deepEqual((await leadApi.get(agent.accessToken, lead.id).expect(200)).body, lead, 'unchanged');
      });
    }
  });

  it('a refusal names the lead’s current status (leadStatus): the problem’s own status member is the HTTP status', async () => {
    // The routes send the lead's status as the problem member `status`, which RFC 9457 reserves for the HTTP
    // status: toProblem writes 409 over it and the client never learns the lead's stage.
    const { agent } = await oneAgent();
    const lost = await leadAt(agent.accessToken, 'LOST');
    const contacted = await leadAt(agent.accessToken, 'CONTACTED');
    const interested = await leadAt(agent.accessToken, 'INTERESTED');
    const refusals: Array<[string, () => Promise<{ status: number; body: Record<string, unknown> }>, LeadStatus]> = [
      ['a move back', () => leadApi.put(agent.accessToken, contacted.id, { status: 'NEW' }), 'CONTACTED'],
      ['CONVERTED by PUT', () => leadApi.put(agent.accessToken, interested.id, { status: 'CONVERTED' }), 'INTERESTED'],
      ['an edit of a closed lead', () => leadApi.put(agent.accessToken, lost.id, { fullname: 'Nama Baru' }), 'LOST'],
      ['converting a lead that is not INTERESTED', () => leadApi.convert(agent.accessToken, contacted.id), 'CONTACTED'],
    ];
    for (const [name, refusal, leadStatus] of refusals) {
      const res = await refusal();
      assert.deepEqual([res.status, res.body.code, res.body.status], [409, 'CONFLICT', 409], name);
      assert.equal(res.body.leadStatus, leadStatus, name);
    }
  });

  describe('reassignment (PUT /crm/leads/{id} {ownerId})', () => {
    it('an admin hands a lead to another agent of the company: the old owner loses it, the new one has it', async () => {
      const { company, admin, agent, colleague } = await salesTeam();
      const lead = await leadAt(agent.accessToken, 'INTERESTED');
      const res = await leadApi.put(admin.accessToken, lead.id, { ownerId: colleague.id, notes: 'Dialihkan' }).expect(200);
      assert.deepEqual({ ...res.body, updatedAt: '' }, { ...lead, ownerId: colleague.id, notes: 'Dialihkan', updatedAt: '' });
      assert.deepEqual(await storedLead(lead.id), { status: 'INTERESTED', ownerId: colleague.id, companyId: company.id, investorId: null });

      assert.equal((await leadApi.get(agent.accessToken, lead.id).expect(404)).body.code, 'NOT_FOUND');
      assert.deepEqual((await leadApi.list(agent.accessToken).expect(200)).body.items, []);
      assert.deepEqual((await leadApi.get(colleague.accessToken, lead.id).expect(200)).body, res.body);
      assert.deepEqual(idsOf((await leadApi.list(colleague.accessToken).expect(200)).body), [lead.id]);
      assert.deepEqual(idsOf((await leadApi.list(admin.accessToken, { ownerId: colleague.id }).expect(200)).body), [lead.id]);

      // The new owner works the lead; its investor is the new owner's.
      const converted = await leadApi.convert(colleague.accessToken, lead.id).expect(201);
      assert.equal(converted.body.investor.agentId, colleague.id);
      assert.equal((await leadApi.convert(agent.accessToken, lead.id).expect(404)).body.code, 'NOT_FOUND');
    });

    it('an admin cannot hand a lead to an agent of another company, an admin or an inactive agent (404), nor across its companies (400)', async () => {
      const { company, admin, agent } = await salesTeam();
      const lead = await createLead(agent.accessToken);
      const cases: Array<[string, number]> = [
        ['an agent of another company', (await createUser({ companyId: (await createCompany()).id })).id],
        ['an admin', (await createUser({ companyId: company.id, role: 'ADMIN' })).id],
        ['the admin itself', admin.id],
        ['an inactive agent', (await createUser({ companyId: company.id, status: 'INACTIVE' })).id],
        ['an unknown user', 999_999_999],
      ];
      for (const [name, ownerId] of cases) {
        const res = await leadApi.put(admin.accessToken, lead.id, { ownerId });
        assert.equal(res.status, 404, name);
        assert.equal(res.body.code, 'NOT_FOUND', name);
      }
      // An admin of two companies names an agent of its other company: the lead stays in its company.
      const second = await createCompany();
      const both = await signIn({ companyId: company.id, role: 'ADMIN', extraCompanyIds: [second.id] });
      const there = await createUser({ companyId: second.id });
      const res = await leadApi.put(both.accessToken, lead.id, { ownerId: there.id }).expect(400);
      assert.equal(res.body.code, 'VALIDATION_FAILED');
      assert.deepEqual(res.body.errors.map((e: { field: string }) => e.field), ['body.ownerId']);

      assert.deepEqual((await leadApi.get(agent.accessToken, lead.id).expect(200)).body, lead, 'unchanged');
      assert.deepEqual(await storedLead(lead.id), { status: 'NEW', ownerId: agent.id, companyId: company.id, investorId: null });
    });

    it('an agent cannot hand its lead on (403); naming itself changes nothing', async () => {
      const { admin, agent, colleague } = await salesTeam();
      const lead = await createLead(agent.accessToken);
      for (const [name, ownerId] of [
        ['a colleague', colleague.id],
        ['the admin', admin.id],
      ] as const) {
        const res = await leadApi.put(agent.accessToken, lead.id, { ownerId, notes: 'Titip' });
        assert.equal(res.status, 403, name);
        assert.equal(res.body.code, 'FORBIDDEN', name);
      }
      assert.deepEqual((await leadApi.get(agent.accessToken, lead.id).expect(200)).body, lead, 'unchanged');
      assert.equal((await leadApi.put(agent.accessToken, lead.id, { ownerId: agent.id }).expect(200)).body.ownerId, agent.id);
      assert.equal((await leadApi.get(colleague.accessToken, lead.id).expect(404)).body.code, 'NOT_FOUND');
    });
  });

  describe('POST /crm/leads/{id}/convert', () => {
    it('converts an INTERESTED lead: 201 with the CONVERTED lead and a DRAFT investor carrying its name and contacts', async () => {
      const { company, admin, agent, colleague } = await salesTeam();
      const contact = uniqueContact();
      const lead = await leadAt(agent.accessToken, 'INTERESTED', { fullname: 'Rina Marlina', ...contact, notes: 'Siap investasi' });
      const res = await leadApi.convert(agent.accessToken, lead.id).expect(201);
      assert.deepEqual(Object.keys(res.body).sort(), ['investor', 'lead']);
      const { investor } = res.body;
      assert.equal(res.headers.location, `/crm/investors/${investor.id}`);
      assert.deepEqual(Object.keys(investor).sort(), investorKeys);
      assert.deepEqual({ ...res.body.lead, updatedAt: '' }, { ...lead, status: 'CONVERTED', investorId: investor.id, updatedAt: '' });
      assert.deepEqual(
        { ...investor, id: '', createdAt: '', updatedAt: '' },
        {
          id: '',
          type: 'INDIVIDUAL',
          status: 'DRAFT',
          fullName: 'Rina Marlina',
          email: contact.email,
          phone: contact.phone,
          nikMasked: null,
          npwpMasked: null,
          riskProfile: null,
          bankAccounts: [],
          leadId: lead.id,
          rejectedReason: null,
          externalId: null,
          syncStatus: 'NOT_READY',
          sync: { attempts: 0, lastError: null, nextAttemptAt: null, syncedAt: null },
          agentId: agent.id,
          companyId: company.id,
          submittedAt: null,
          decidedAt: null,
          createdAt: '',
          updatedAt: '',
        },
      );
      assert.match(investor.id, /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);

      assert.deepEqual((await leadApi.get(agent.accessToken, lead.id).expect(200)).body, res.body.lead);
      assert.deepEqual(await storedLead(lead.id), { status: 'CONVERTED', ownerId: agent.id, companyId: company.id, investorId: investor.id });
      assert.deepEqual(await investorsOfLead(lead.id), [investor.id]);
      // The owner and its admin see the investor, a colleague does not.
      assert.deepEqual((await getInvestor(agent.accessToken, investor.id).expect(200)).body, investor);
      assert.deepEqual((await getInvestor(admin.accessToken, investor.id).expect(200)).body, investor);
      assert.equal((await getInvestor(colleague.accessToken, investor.id).expect(404)).body.code, 'NOT_FOUND');
      // The conversion is in the lead's trail, by the agent.
      const last = (await leadTrail(lead.id)).at(-1)!;
      assert.deepEqual([last.action, last.actorId, last.after?.status, last.after?.investor_id], ['update', agent.id, 'CONVERTED', investor.id]);
    });

    for (const status of ['NEW', 'CONTACTED', 'LOST', 'CONVERTED'] as const) {
      it(`refuses a ${status} lead: 409, and makes no investor`, async () => {
        const { agent } = await oneAgent();
        const lead = await leadAt(agent.accessToken, status);
        const res = await leadApi.convert(agent.accessToken, lead.id).expect(409);
        assert.equal(res.body.code, 'CONFLICT');
        assert.equal(res.body.investorId, lead.investorId);
        assert.deepEqual((await leadApi.get(agent.accessToken, lead.id).expect(200)).body, lead, 'unchanged');
        assert.deepEqual(await investorsOfLead(lead.id), status === 'CONVERTED' ? [lead.investorId] : []);
      });
    }

    it('converting twice, even at once, makes one investor: the other call is 409', async () => {
      const { agent } = await oneAgent();
      const lead = await leadAt(agent.accessToken, 'INTERESTED');
      const first = await leadApi.convert(agent.accessToken, lead.id).expect(201);
      const again = await leadApi.convert(agent.accessToken, lead.id).expect(409);
      assert.deepEqual([again.body.code, again.body.investorId], ['CONFLICT', first.body.investor.id]);

      const racing = await leadAt(agent.accessToken, 'INTERESTED');
      const answers = await Promise.all([leadApi.convert(agent.accessToken, racing.id), leadApi.convert(agent.accessToken, racing.id)]);
      assert.deepEqual(answers.map((r) => r.status).sort(), [201, 409]);
      const winner = answers.find((r) => r.status === 201)!;
      assert.deepEqual(await investorsOfLead(racing.id), [winner.body.investor.id]);
    });

    it('an admin converts an agent’s lead: the investor is the owning agent’s', async () => {
      const { admin, agent } = await salesTeam();
      const lead = await leadAt(admin.accessToken, 'INTERESTED', leadBody({ ownerId: agent.id }));
      const { investor } = (await leadApi.convert(admin.accessToken, lead.id).expect(201)).body;
      assert.equal(investor.agentId, agent.id);
      assert.deepEqual((await getInvestor(agent.accessToken, investor.id).expect(200)).body, investor);
      assert.equal((await leadTrail(lead.id)).at(-1)?.actorId, admin.id);
    });

    it('the body chooses the investor type (INDIVIDUAL without one), and nothing else', async () => {
      const { agent } = await oneAgent();
      const cases: Array<[string, object | undefined, string]> = [
        ['no body', undefined, 'INDIVIDUAL'],
        ['an empty body', {}, 'INDIVIDUAL'],
        ['INDIVIDUAL', { type: 'INDIVIDUAL' }, 'INDIVIDUAL'],
        ['INSTITUTIONAL', { type: 'INSTITUTIONAL' }, 'INSTITUTIONAL'],
      ];
      for (const [name, body, type] of cases) {
        const lead = await leadAt(agent.accessToken, 'INTERESTED', leadBody({ fullname: 'PT Maju Bersama' }));
        const res = await leadApi.convert(agent.accessToken, lead.id, body);
        assert.equal(res.status, 201, `${name}: ${JSON.stringify(res.body)}`);
        assert.deepEqual([res.body.investor.type, res.body.investor.status, res.body.investor.nikMasked, res.body.investor.npwpMasked], [type, 'DRAFT', null, null], name);
      }
      const lead = await leadAt(agent.accessToken, 'INTERESTED');
      for (const [name, body] of [
        ['an unknown type', { type: 'CORPORATE' }],
        ['an unknown field', { type: 'INDIVIDUAL', agentId: 1 }],
        ['a null type', { type: null }],
      ] as const) {
        const res = await leadApi.convert(agent.accessToken, lead.id, body);
        assert.equal(res.status, 400, name);
        assert.equal(res.body.code, 'VALIDATION_FAILED', name);
      }
      assert.equal((await leadApi.get(agent.accessToken, lead.id).expect(200)).body.status, 'INTERESTED');
    });

    it('a lead without email or phone makes an investor without them', async () => {
      const { agent } = await oneAgent();
      const lead = await leadAt(agent.accessToken, 'INTERESTED', { fullname: 'Tanpa Kontak' });
      const { investor } = (await leadApi.convert(agent.accessToken, lead.id).expect(201)).body;
      assert.deepEqual([investor.fullName, investor.email, investor.phone], ['Tanpa Kontak', null, null]);
    });
  });
});
