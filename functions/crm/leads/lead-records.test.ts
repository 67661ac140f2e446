import { strict as assert } from 'node:assert';
import { recordEvents } from '../../../test/support/auth.js';
import { createLead, leadApi, leadAt, leadBody, leadTrail, salesTeam, storedLead, type Lead } from '../../../test/support/leads.js';
import { uniqueContact } from '../../../test/support/users.js';

/**
 * GET/PUT/DELETE /crm/leads/{id} through the Functions Framework test server against the real database: who
 * may read, edit and delete a lead, edits and their validation, deletion, and the audit trail of a lead.
 */

describe('CRM lead records (/crm/leads/{id})', () => {
  recordEvents();

  describe('GET, PUT, DELETE /crm/leads/{id}', () => {
    it('a colleague’s lead is 404 to an agent on every route, and the admin’s to read, edit and delete', async () => {
      const { admin, agent, colleague } = await salesTeam();
      const lead = await createLead(colleague.accessToken, leadBody({ fullname: 'Milik Rekan' }));
      const attempts: Array<[string, () => Promise<{ status: number; body: { code?: string } }>]> = [
        ['GET', () => leadApi.get(agent.accessToken, lead.id)],
        ['PUT', () => leadApi.put(agent.accessToken, lead.id, { fullname: 'Diambil Alih' })],
        ['PUT status', () => leadApi.put(agent.accessToken, lead.id, { status: 'LOST' })],
        ['PUT ownerId', () => leadApi.put(agent.accessToken, lead.id, { ownerId: agent.id })],
        ['DELETE', () => leadApi.delete(agent.accessToken, lead.id)],
        ['convert', () => leadApi.convert(agent.accessToken, lead.id)],
      ];
      for (const [name, attempt] of attempts) {
        const res = await attempt();
        assert.equal(res.status, 404, name);
        assert.equal(res.body.code, 'NOT_FOUND', name);
      }
      assert.deepEqual((await leadApi.get(colleague.accessToken, lead.id).expect(200)).body, lead, 'unchanged');

      assert.deepEqual((await leadApi.get(admin.accessToken, lead.id).expect(200)).body, lead);
      const edited = (await leadApi.put(admin.accessToken, lead.id, { notes: 'Dihubungi admin', status: 'CONTACTED' }).expect(200)).body as Lead;
      assert.deepEqual([edited.notes, edited.status, edited.ownerId], ['Dihubungi admin', 'CONTACTED', colleague.id]);
      await leadApi.delete(admin.accessToken, lead.id).expect(204);
      assert.equal(await storedLead(lead.id), undefined);
    });

    it('another company’s lead is 404 to its admin on every route', async () => {
      const { admin } = await salesTeam();
      const theirs = await salesTeam();
      const lead = await createLead(theirs.agent.accessToken);
      const attempts: Array<[string, () => Promise<{ status: number; body: { code?: string } }>]> = [
        ['GET', () => leadApi.get(admin.accessToken, lead.id)],
        ['PUT', () => leadApi.put(admin.accessToken, lead.id, { fullname: 'Diambil Alih' })],
        ['DELETE', () => leadApi.delete(admin.accessToken, lead.id)],
        ['convert', () => leadApi.convert(admin.accessToken, lead.id)],
      ];
      for (const [name, attempt] of attempts) {
        const res = await attempt();
        assert.equal(res.status, 404, name);
        assert.equal(res.body.code, 'NOT_FOUND', name);
      }
      assert.deepEqual((await leadApi.get(theirs.admin.accessToken, lead.id).expect(200)).body, lead, 'unchanged');
    });

    it('an unknown id is 404, an id that is not a positive integer 400', async () => {
      const { agent } = await salesTeam();
      assert.equal((await leadApi.get(agent.accessToken, 999_999_999).expect(404)).body.code, 'NOT_FOUND');
      assert.equal((await leadApi.put(agent.accessToken, 999_999_999, { notes: 'x' }).expect(404)).body.code, 'NOT_FOUND');
      assert.equal((await leadApi.delete(agent.accessToken, 999_999_999).expect(404)).body.code, 'NOT_FOUND');
      for (const id of ['abc', '0', '-3', '1.5']) {
        assert.equal((await leadApi.get(agent.accessToken, id).expect(400)).body.code, 'VALIDATION_FAILED', id);
      }
    });

    it('PUT edits the fields, null clears an optional one, and refuses invalid bodies', async () => {
      const { agent } = await salesTeam();
      const lead = await createLead(agent.accessToken, leadBody({ notes: 'Awal', nextFollowUpAt: '2030-01-01T09:00:00Z' }));
      const contact = uniqueContact();
      const res = await leadApi.put(agent.accessToken, lead.id, { fullname: 'Rudi H.', email: contact.email.toUpperCase(), phone: null, source: null, nextFollowUpAt: null }).expect(200);
      const edited = res.body as Lead;
      assert.deepEqual(
        { ...edited, updatedAt: '' },
        { ...lead, fullname: 'Rudi H.', email: contact.email, phone: null, source: null, nextFollowUpAt: null, updatedAt: '' },
      );
      assert.ok(edited.updatedAt >= lead.updatedAt);
      assert.deepEqual((await leadApi.get(agent.accessToken, lead.id).expect(200)).body, edited);

      const cases: Array<[string, object]> = [
        ['an empty body', {}],
        ['a bad phone', { phone: '0812' }],
        ['a bad email', { email: 'x@' }],
        ['a short name', { fullname: 'R' }],
        ['a null name', { fullname: null }],
        ['an unknown field', { companyId: 1 }],
        ['investorId', { investorId: '5f0c7c1e-0000-4000-8000-000000000000' }],
        ['an unknown status', { status: 'WON' }],
      ];
      for (const [name, body] of cases) {
        const bad = await leadApi.put(agent.accessToken, lead.id, body);
        assert.equal(bad.status, 400, name);
        assert.equal(bad.body.code, 'VALIDATION_FAILED', name);
      }
      assert.deepEqual((await leadApi.get(agent.accessToken, lead.id).expect(200)).body, edited, 'unchanged');
    });
  });

  describe('DELETE /crm/leads/{id}', () => {
    it('deletes a lead that was not converted: 204, then 404', async () => {
      const { agent } = await salesTeam();
      for (const status of ['NEW', 'CONTACTED', 'INTERESTED', 'LOST'] as const) {
        const lead = await leadAt(agent.accessToken, status);
        const res = await leadApi.delete(agent.accessToken, lead.id).expect(204);
        assert.deepEqual([res.text, res.body], ['', {}], status);
        assert.equal((await leadApi.get(agent.accessToken, lead.id).expect(404)).body.code, 'NOT_FOUND', status);
        assert.equal((await leadApi.delete(agent.accessToken, lead.id).expect(404)).body.code, 'NOT_FOUND', status);
        assert.equal(await storedLead(lead.id), undefined, status);
      }
      assert.deepEqual((await leadApi.list(agent.accessToken).expect(200)).body.items, []);
    });

    it('refuses to delete a CONVERTED lead: 409 with its investorId', async () => {
      const { admin, agent } = await salesTeam();
      const lead = await leadAt(agent.accessToken, 'CONVERTED');
      for (const token of [agent.accessToken, admin.accessToken]) {
        const res = await leadApi.delete(token, lead.id).expect(409);
        assert.equal(res.body.code, 'CONFLICT');
        assert.equal(res.body.investorId, lead.investorId);
      }
      assert.deepEqual((await leadApi.get(agent.accessToken, lead.id).expect(200)).body, lead);
    });
  });

  describe('audit trail', () => {
    it('creating, updating and deleting a lead each write a row: entity lead, the caller, its company and address', async () => {
      const { company, admin, agent } = await salesTeam();
      const lead = (await leadApi.create(agent.accessToken, leadBody({ fullname: 'Jejak Audit' }), '198.51.100.31').expect(201)).body as Lead;
      await leadApi.put(agent.accessToken, lead.id, { status: 'CONTACTED', notes: 'Sudah ditelepon' }, '198.51.100.32').expect(200);
      await leadApi.delete(admin.accessToken, lead.id, '198.51.100.33').expect(204);

      const rows = await leadTrail(lead.id);
      assert.deepEqual(
        rows.map((r) => [r.action, r.actorId, r.companyId, r.ip]),
        [
          ['add', agent.id, company.id, '198.51.100.31'],
          ['update', agent.id, company.id, '198.51.100.32'],
          ['delete', admin.id, company.id, '198.51.100.33'],
        ],
      );
      const [add, update, del] = rows as [(typeof rows)[0], (typeof rows)[0], (typeof rows)[0]];
      assert.equal(add.before, null);
      assert.deepEqual([add.after?.id, add.after?.fullname, add.after?.status, add.after?.owner_id, add.after?.created_by], [lead.id, 'Jejak Audit', 'NEW', agent.id, agent.id]);
      assert.deepEqual([update.before?.status, update.after?.status, update.after?.notes], ['NEW', 'CONTACTED', 'Sudah ditelepon']);
      assert.deepEqual([del.before?.status, del.after], ['CONTACTED', null]);
      for (const r of rows) assert.ok(!('updated_at' in (r.after ?? r.before ?? {})), 'updated_at stays out of the trail');
    });

    it('an admin’s change is filed under the admin; a PUT that changes nothing writes no row', async () => {
      const { company, admin, agent } = await salesTeam();
      const lead = await createLead(admin.accessToken, leadBody({ ownerId: agent.id, notes: 'Sama' }));
      await leadApi.put(agent.accessToken, lead.id, { notes: 'Sama', status: 'NEW' }).expect(200);
      await leadApi.put(admin.accessToken, lead.id, { ownerId: agent.id }).expect(200);
      await leadApi.put(admin.accessToken, lead.id, { status: 'LOST' }).expect(200);
      assert.deepEqual(
        (await leadTrail(lead.id)).map((r) => [r.action, r.actorId, r.companyId]),
        [
          ['add', admin.id, company.id],
          ['update', admin.id, company.id],
        ],
      );
    });
  });
});
