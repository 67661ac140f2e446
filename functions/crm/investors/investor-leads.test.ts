import { strict as assert } from 'node:assert';
import { bearer, signIn } from '../../../test/support/auth.js';
import { uniqueContact } from '../../../test/support/users.js';
import { crm, crmCompany, crmRows, getInvestor, individualBody, institutionalBody, postInvestor } from '../../../test/support/crm.js';

/** The lead path: a lead moved to INTERESTED, converted to a DRAFT investor, completed by POST /crm/investors {leadId}. */

const createLead = (token: string, body: object = { fullname: 'Budi Santoso', ...uniqueContact() }) => crm().post('/crm/leads').set(bearer(token)).send(body);
const updateLead = (token: string, id: number, body: object) => crm().put(`/crm/leads/${id}`).set(bearer(token)).send(body);
const getLead = (token: string, id: number) => crm().get(`/crm/leads/${id}`).set(bearer(token));
const convert = (token: string, id: number, body: object = {}) => crm().post(`/crm/leads/${id}/convert`).set(bearer(token)).send(body);

/** A lead of the agent's moved to the given stage. */
async function leadAt(token: string, status: 'NEW' | 'CONTACTED' | 'INTERESTED'): Promise<number> {
  const id = (await createLead(token).expect(201)).body.id as number;
  for (const next of ['CONTACTED', 'INTERESTED'] as const) {
    if (status === 'NEW' || (status === 'CONTACTED' && next === 'INTERESTED')) break;
    assert.equal((await updateLead(token, id, { status: next }).expect(200)).body.status, next);
  }
  return id;
}

describe('crm: investors from leads', () => {
  it('converts an interested lead to a DRAFT investor which POST /crm/investors {leadId} completes', async () => {
    const { agent } = await crmCompany();
    const leadId = await leadAt(agent.accessToken, 'INTERESTED');
    const converted = await convert(agent.accessToken, leadId).expect(201);
    assert.equal(converted.body.lead.status, 'CONVERTED');
    const draft = converted.body.investor;
    assert.equal(draft.status, 'DRAFT');
    assert.equal(draft.leadId, leadId);
    assert.equal(draft.nikMasked, null);
    assert.equal(converted.body.lead.investorId, draft.id);
    assert.equal((await getInvestor(agent.accessToken, draft.id).expect(200)).body.status, 'DRAFT');

    const body = individualBody({ leadId });
    const res = await postInvestor(agent.accessToken, body).expect(201);
    assert.equal(res.body.id, draft.id, 'the draft is completed, not a second investor made');
    assert.equal(res.body.status, 'SUBMITTED');
    assert.equal(res.body.leadId, leadId);
    assert.equal(res.body.nikMasked, `************${body.individual.nik.slice(-4)}`);
    assert.equal(res.body.email, body.individual.email);
    assert.equal(res.body.bankAccounts.length, 1);
    const lead = (await getLead(agent.accessToken, leadId).expect(200)).body;
    assert.equal(lead.status, 'CONVERTED');
    assert.equal(lead.investorId, draft.id);
    const [count] = await crmRows<{ n: number }>(`select count(*)::int as n from investor where lead_id = $1::bigint`, [leadId]);
    assert.equal(count!.n, 1);
  });

  it('completes an institutional draft with an institutional body', async () => {
    const { agent } = await crmCompany();
    const leadId = await leadAt(agent.accessToken, 'INTERESTED');
    const draft = (await convert(agent.accessToken, leadId, { type: 'INSTITUTIONAL' }).expect(201)).body.investor;
    const res = await postInvestor(agent.accessToken, { ...institutionalBody(), leadId }).expect(201);
    assert.equal(res.body.id, draft.id);
    assert.equal(res.body.type, 'INSTITUTIONAL');
    assert.equal(res.body.status, 'SUBMITTED');
  });

  it('converts an interested lead that was not converted yet while submitting', async () => {
    const { agent } = await crmCompany();
    const leadId = await leadAt(agent.accessToken, 'INTERESTED');
    const res = await postInvestor(agent.accessToken, individualBody({ leadId })).expect(201);
    assert.equal(res.body.status, 'SUBMITTED');
    assert.equal(res.body.leadId, leadId);
    const lead = (await getLead(agent.accessToken, leadId).expect(200)).body;
    assert.equal(lead.status, 'CONVERTED');
    assert.equal(lead.investorId, res.body.id);
  });

  it('refuses a lead that is not interested yet, and changes nothing', async () => {
    const { agent } = await crmCompany();
    for (const status of ['NEW', 'CONTACTED'] as const) {
      const leadId = await leadAt(agent.accessToken, status);
      const res = await postInvestor(agent.accessToken, individualBody({ leadId })).expect(409);
      assert.equal(res.body.code, 'CONFLICT', status);
      assert.equal((await getLead(agent.accessToken, leadId).expect(200)).body.status, status);
      const rows = await crmRows(`select 1 from investor where lead_id = $1::bigint`, [leadId]);
      assert.equal(rows.length, 0, `${status}: no investor was made`);
    }
  });

  it('refuses to complete a lead’s investor twice, both after a draft and after a direct conversion', async () => {
    const { agent } = await crmCompany();
    const viaDraft = await leadAt(agent.accessToken, 'INTERESTED');
    const draft = (await convert(agent.accessToken, viaDraft).expect(201)).body.investor;
    await postInvestor(agent.accessToken, individualBody({ leadId: viaDraft })).expect(201);
    const twice = await postInvestor(agent.accessToken, individualBody({ leadId: viaDraft })).expect(409);
    assert.equal(twice.body.code, 'CONFLICT');
    assert.equal(twice.body.investorId, draft.id);

    const direct = await leadAt(agent.accessToken, 'INTERESTED');
    const first = (await postInvestor(agent.accessToken, individualBody({ leadId: direct })).expect(201)).body;
    assert.equal((await postInvestor(agent.accessToken, individualBody({ leadId: direct })).expect(409)).body.investorId, first.id);
  });

  it('leaves the lead and its draft as they were when the submission is refused', async () => {
    const { agent } = await crmCompany();
    const taken = individualBody();
    await postInvestor(agent.accessToken, taken).expect(201);
    const duplicate = (leadId: number) => ({ ...individualBody({ leadId }), individual: { ...taken.individual } });

    const interested = await leadAt(agent.accessToken, 'INTERESTED');
    await postInvestor(agent.accessToken, duplicate(interested)).expect(409);
    assert.equal((await getLead(agent.accessToken, interested).expect(200)).body.status, 'INTERESTED');
    assert.equal((await crmRows(`select 1 from investor where lead_id = $1::bigint`, [interested])).length, 0);

    const converted = await leadAt(agent.accessToken, 'INTERESTED');
    const draft = (await convert(agent.accessToken, converted).expect(201)).body.investor;
    await postInvestor(agent.accessToken, duplicate(converted)).expect(409);
    const after = (await getInvestor(agent.accessToken, draft.id).expect(200)).body;
    assert.equal(after.status, 'DRAFT');
    assert.deepEqual(after.bankAccounts, []);
    assert.equal((await crmRows(`select 1 from investor_individual where investor_id = $1::uuid`, [draft.id])).length, 0);
  });

  it('answers 404 for a lead of another agent or an unknown lead', async () => {
    const { company, agent } = await crmCompany();
    const other = await signIn({ companyId: company.id });
    const theirs = await leadAt(other.accessToken, 'INTERESTED');
    assert.equal((await postInvestor(agent.accessToken, individualBody({ leadId: theirs })).expect(404)).body.code, 'NOT_FOUND');
    assert.equal((await postInvestor(agent.accessToken, individualBody({ leadId: 2_000_000_000 })).expect(404)).body.code, 'NOT_FOUND');
    assert.equal((await getLead(other.accessToken, theirs).expect(200)).body.status, 'INTERESTED');
  });
});
