import { strict as assert } from 'node:assert';
import { randomBytes, randomUUID } from 'node:crypto';
import { bearer, recordEvents, signIn } from '../../../test/support/auth.js';
import { createCompany } from '../../../test/support/owner.js';
import { approvedIndividual, crm, crmCompany, fieldsOf, getInvestor, submitIndividual } from '../../../test/support/crm.js';

/** PUT /crm/investor/{id}/externalId and POST /crm/investor/sync-bib: the hand link to Bib and the sync request. */

const link = (token: string, id: string, externalId: string) => crm().put(`/crm/investor/${id}/externalId`).set(bearer(token)).send({ externalId });
const requestSync = (token: string, body?: object) => {
  const req = crm().post('/crm/investor/sync-bib').set(bearer(token));
  return body === undefined ? req : req.send(body);
};
const bibId = () => `BIB-${randomBytes(4).toString('hex').toUpperCase()}`;

describe('crm: Bib link', () => {
  const events = recordEvents();
  const syncRequests = () => events.messages.filter((m) => m.topic === 'bib.sync.requested');

  describe('PUT /crm/investor/{id}/externalId', () => {
    it('links an approved investor: externalId set, SYNCED', async () => {
      const { agent, admin } = await crmCompany();
      const { investor } = await approvedIndividual(agent.accessToken, admin.accessToken);
      const externalId = bibId();
      const res = await link(admin.accessToken, investor.id, externalId).expect(200);
      assert.equal(res.body.id, investor.id);
      assert.equal(res.body.externalId, externalId);
      assert.equal(res.body.syncStatus, 'SYNCED');
      assert.equal(res.body.status, 'APPROVED');
      assert.equal((await getInvestor(agent.accessToken, investor.id).expect(200)).body.externalId, externalId);
      // Linking again to the same id is harmless.
      assert.equal((await link(admin.accessToken, investor.id, externalId).expect(200)).body.externalId, externalId);
    });

    it('refuses an investor that is not approved, an id another investor of the company has, an agent, another company', async () => {
      const { agent, admin } = await crmCompany();
      const submitted = (await submitIndividual(agent.accessToken)).investor;
      const first = (await approvedIndividual(agent.accessToken, admin.accessToken)).investor;
      const second = (await approvedIndividual(agent.accessToken, admin.accessToken)).investor;
      const taken = bibId();
      await link(admin.accessToken, first.id, taken).expect(200);

      assert.equal((await link(admin.accessToken, submitted.id, bibId()).expect(409)).body.code, 'CONFLICT');
      assert.equal((await link(admin.accessToken, second.id, taken).expect(409)).body.code, 'CONFLICT');
      const after = (await getInvestor(admin.accessToken, second.id).expect(200)).body;
      assert.equal(after.externalId, null);
      assert.equal(after.syncStatus, 'PENDING');
      assert.equal((await link(agent.accessToken, second.id, bibId()).expect(403)).body.code, 'FORBIDDEN');

      const stranger = await signIn({ companyId: (await createCompany()).id, role: 'ADMIN' });
      assert.equal((await link(stranger.accessToken, second.id, bibId()).expect(404)).body.code, 'NOT_FOUND');
      // Another company may use the same Bib id for its own investor.
      const elsewhere = await signIn({ companyId: stranger.companyId });
      const theirs = (await approvedIndividual(elsewhere.accessToken, stranger.accessToken)).investor;
      await link(stranger.accessToken, theirs.id, taken).expect(200);
    });

    it('refuses a malformed external id', async () => {
      const { agent, admin } = await crmCompany();
      const { investor } = await approvedIndividual(agent.accessToken, admin.accessToken);
      for (const externalId of ['', '-leading-dash', 'has space', 'x'.repeat(65), 'semi;colon']) {
        const res = await link(admin.accessToken, investor.id, externalId).expect(400);
        assert.deepEqual(fieldsOf(res.body), ['body.externalId'], externalId);
      }
    });
  });

  describe('POST /crm/investor/sync-bib', () => {
    it('queues everything due: the company’s approved investors not yet at Bib', async () => {
      const { company, agent, admin } = await crmCompany();
      await approvedIndividual(agent.accessToken, admin.accessToken);
      await approvedIndividual(agent.accessToken, admin.accessToken);
      const linked = (await approvedIndividual(agent.accessToken, admin.accessToken)).investor;
      await link(admin.accessToken, linked.id, bibId()).expect(200);
      await submitIndividual(agent.accessToken);
      // Another company's due investors are not counted.
      const other = await crmCompany();
      await approvedIndividual(other.agent.accessToken, other.admin.accessToken);

      const before = syncRequests().length;
      for (const body of [{}, undefined]) {
        const res = await requestSync(admin.accessToken, body).expect(202);
        assert.deepEqual(res.body, { queued: 2 }, JSON.stringify(body));
      }
      const sent = syncRequests().slice(before);
      assert.equal(sent.length, 2);
      for (const m of sent) assert.deepEqual(m.data, { scope: 'company', companyId: company.id });
    });

    it('says which company a sync of everything due is for', async () => {
      // queued counts the caller's company only, so the consumer must be told which company asked: without
      // it, one company's admin starts a sync of every tenant.
      const { company, agent, admin } = await crmCompany();
      await approvedIndividual(agent.accessToken, admin.accessToken);
      const before = syncRequests().length;
      assert.deepEqual((await requestSync(admin.accessToken, {}).expect(202)).body, { queued: 1 });
      const [sent] = syncRequests().slice(before);
      assert.equal(sent!.attributes.companyId, String(company.id), 'bib.sync.requested carries the company');
    });

    it('queues named approved investors', async () => {
      const { agent, admin } = await crmCompany();
      const a = (await approvedIndividual(agent.accessToken, admin.accessToken)).investor;
      const b = (await approvedIndividual(agent.accessToken, admin.accessToken)).investor;
      const before = syncRequests().length;
      assert.deepEqual((await requestSync(admin.accessToken, { investorIds: [a.id] }).expect(202)).body, { queued: 1 });
      assert.deepEqual((await requestSync(admin.accessToken, { investorIds: [a.id, b.id, a.id] }).expect(202)).body, { queued: 2 });
      assert.deepEqual(
        syncRequests().slice(before).map((m) => m.data),
        [
          { scope: 'investors', investorIds: [a.id] },
          { scope: 'investors', investorIds: [a.id, b.id] },
        ],
      );
    });

    it('refuses a submitted investor (409), an unknown or foreign one (404), an agent (403), and queues nothing', async () => {
      const { agent, admin } = await crmCompany();
      const approved = (await approvedIndividual(agent.accessToken, admin.accessToken)).investor;
      const submitted = (await submitIndividual(agent.accessToken)).investor;
      const outsider = await signIn({ companyId: (await createCompany()).id });
      const foreign = (await submitIndividual(outsider.accessToken)).investor;
      const before = syncRequests().length;

      const conflict = await requestSync(admin.accessToken, { investorIds: [approved.id, submitted.id] }).expect(409);
      assert.equal(conflict.body.code, 'CONFLICT');
      assert.deepEqual(conflict.body.ids, [submitted.id]);
      for (const id of [foreign.id, randomUUID()]) {
        const missing = await requestSync(admin.accessToken, { investorIds: [approved.id, id] }).expect(404);
        assert.equal(missing.body.code, 'NOT_FOUND');
        assert.deepEqual(missing.body.ids, [id]);
      }
      assert.equal((await requestSync(agent.accessToken, {}).expect(403)).body.code, 'FORBIDDEN');
      for (const body of [{ investorIds: [] }, { investorIds: ['x'] }, { scope: 'all' }]) {
        assert.equal((await requestSync(admin.accessToken, body).expect(400)).body.code, 'VALIDATION_FAILED', JSON.stringify(body));
      }
      assert.equal(syncRequests().length, before);
    });
  });
});
