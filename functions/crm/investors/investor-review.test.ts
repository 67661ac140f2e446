import { strict as assert } from 'node:assert';
import { randomUUID } from 'node:crypto';
import { bearer, recordEvents, signIn } from '../../../test/support/auth.js';
import { createCompany } from '../../../test/support/owner.js';
import { crm, crmCompany, crmRows, decideInvestors, fieldsOf, getInvestor, individualBody, submitIndividual, submitInstitutional } from '../../../test/support/crm.js';

/** PATCH /crm/investors: an admin approves or rejects submitted investors, all or none; each agent gets a push. */

type Push = { userIds: number[]; type: string; title: string; body: string; data: Record<string, string> };

const statusOf = async (id: string) => (await crmRows<{ status: string }>(`select status from investor where id = $1::uuid`, [id]))[0]?.status;

describe('crm: PATCH /crm/investors (review)', () => {
  const events = recordEvents();
  const pushesFor = (investorId: string) =>
    events.messages.filter((m) => m.topic === 'push.requested' && (m.data as Push).data.investorId === investorId).map((m) => m.data as Push);

  it('approves one investor: APPROVED, decided, due for the Bib sync, accounts verified; the agent gets a push', async () => {
    const { company, agent, admin } = await crmCompany();
    const { investor } = await submitIndividual(agent.accessToken, individualBody({ fullName: 'Budi Santoso', holderName: 'Andi Wijaya' }));
    const res = await decideInvestors(admin.accessToken, { ids: [investor.id], decision: 'APPROVE' }).expect(200);
    assert.equal(res.body.items.length, 1);
    const [approved] = res.body.items;
    assert.equal(approved.id, investor.id);
    assert.equal(approved.status, 'APPROVED');
    assert.ok(approved.decidedAt && Math.abs(Date.parse(approved.decidedAt) - Date.now()) < 60_000);
    assert.equal(approved.syncStatus, 'PENDING');
    assert.equal(approved.rejectedReason, null);
    assert.deepEqual(approved.bankAccounts.map((a: { verified: boolean; needsReview: boolean }) => [a.verified, a.needsReview]), [[true, true]]);
    assert.deepEqual((await getInvestor(agent.accessToken, investor.id).expect(200)).body, approved);

    const [push, ...more] = pushesFor(investor.id);
    assert.equal(more.length, 0);
    assert.deepEqual(push!.userIds, [agent.id]);
    assert.equal(push!.type, 'INVESTOR_APPROVED');
    assert.deepEqual(push!.data, { investorId: investor.id, status: 'APPROVED' });
    const message = events.messages.find((m) => m.topic === 'push.requested' && (m.data as Push).data.investorId === investor.id);
    assert.equal(message!.attributes.companyId, String(company.id));

    const [decided] = await crmRows<{ decided_by: string }>(`select decided_by from investor where id = $1::uuid`, [investor.id]);
    assert.equal(Number(decided!.decided_by), admin.id);
    const audit = await crmRows<{ actor_id: string; prev_entity_value: { status: string }; new_entity_value: { status: string } }>(
      `select actor_id, prev_entity_value, new_entity_value from auth_user_action_log where entity = 'investor' and entity_id = $1::text and action_name = 'update'`,
      [investor.id],
    );
    assert.equal(audit.length, 1);
    assert.equal(Number(audit[0]!.actor_id), admin.id);
    assert.equal(audit[0]!.prev_entity_value.status, 'SUBMITTED');
    assert.equal(audit[0]!.new_entity_value.status, 'APPROVED');
  });

  it('approves many at once, in the order asked, each agent told of its own', async () => {
    const { company, agent, admin } = await crmCompany();
    const colleague = await signIn({ companyId: company.id });
    const ids = [
      (await submitIndividual(agent.accessToken)).investor.id,
      (await submitInstitutional(colleague.accessToken)).investor.id,
      (await submitIndividual(agent.accessToken)).investor.id,
    ];
    const res = await decideInvestors(admin.accessToken, { ids: [...ids, ids[0]], decision: 'APPROVE' }).expect(200);
    assert.deepEqual(res.body.items.map((i: { id: string }) => i.id), ids, 'a repeated id is decided once');
    for (const item of res.body.items) {
      assert.equal(item.status, 'APPROVED');
      assert.equal(item.syncStatus, 'PENDING');
      assert.ok(item.bankAccounts.every((a: { verified: boolean }) => a.verified));
    }
    assert.deepEqual(ids.map((id) => pushesFor(id).map((p) => [p.userIds, p.type])), [
      [[[agent.id], 'INVESTOR_APPROVED']],
      [[[colleague.id], 'INVESTOR_APPROVED']],
      [[[agent.id], 'INVESTOR_APPROVED']],
    ]);
  });

  it('rejects with a reason: REJECTED, the reason kept and pushed, accounts left unverified', async () => {
    const { agent, admin } = await crmCompany();
    const { investor } = await submitIndividual(agent.accessToken, individualBody({ fullName: 'Budi Santoso' }));
    const res = await decideInvestors(admin.accessToken, { ids: [investor.id], decision: 'REJECT', reason: '  KTP photo unreadable  ' }).expect(200);
    const [rejected] = res.body.items;
    assert.equal(rejected.status, 'REJECTED');
    assert.equal(rejected.rejectedReason, 'KTP photo unreadable');
    assert.ok(rejected.decidedAt);
    assert.equal(rejected.syncStatus, 'NOT_READY');
    assert.equal(rejected.bankAccounts[0].verified, false);
    const [push] = pushesFor(investor.id);
    assert.equal(push!.type, 'INVESTOR_REJECTED');
    assert.deepEqual(push!.userIds, [agent.id]);
    assert.match(push!.body, /KTP photo unreadable/);
  });

  it('refuses bad bodies: a rejection without reason, a reason with an approval, no ids, a bad id or decision', async () => {
    const { agent, admin } = await crmCompany();
    const { investor } = await submitIndividual(agent.accessToken);
    const cases: Array<[object, string]> = [
      [{ ids: [investor.id], decision: 'REJECT' }, 'body.reason'],
      [{ ids: [investor.id], decision: 'REJECT', reason: ' x ' }, 'body.reason'],
      [{ ids: [investor.id], decision: 'APPROVE', reason: 'Looks fine' }, 'body.reason'],
      [{ ids: [], decision: 'APPROVE' }, 'body.ids'],
      [{ ids: ['nope'], decision: 'APPROVE' }, 'body.ids.0'],
      [{ ids: [investor.id], decision: 'MAYBE' }, 'body.decision'],
      [{ ids: [investor.id], decision: 'APPROVE', note: 'x' }, 'body.note'],
    ];
    for (const [body, field] of cases) {
      const res = await decideInvestors(admin.accessToken, body).expect(400);
      assert.equal(res.body.code, 'VALIDATION_FAILED', JSON.stringify(body));
      assert.ok(fieldsOf(res.body).includes(field), `${JSON.stringify(body)}: ${JSON.stringify(res.body.errors)}`);
    }
    assert.equal(await statusOf(investor.id), 'SUBMITTED');
  });

  it('decides all or none: an investor no longer SUBMITTED makes it 409 naming it, and nothing changes', async () => {
    const { agent, admin } = await crmCompany();
    const submitted = (await submitIndividual(agent.accessToken)).investor.id;
    const approved = (await submitIndividual(agent.accessToken)).investor.id;
    await decideInvestors(admin.accessToken, { ids: [approved], decision: 'APPROVE' }).expect(200);
    const before = events.messages.length;
    for (const decision of [{ decision: 'APPROVE' }, { decision: 'REJECT', reason: 'Duplicate investor' }]) {
      const res = await decideInvestors(admin.accessToken, { ids: [submitted, approved], ...decision }).expect(409);
      assert.equal(res.body.code, 'CONFLICT');
      assert.deepEqual(res.body.ids, [approved]);
    }
    assert.equal(await statusOf(submitted), 'SUBMITTED');
    assert.equal(await statusOf(approved), 'APPROVED');
    assert.equal(events.messages.length, before, 'no push for a refused decision');
  });

  it('answers 404 naming unknown and other companies’ ids, and changes nothing', async () => {
    const { agent, admin } = await crmCompany();
    const outsider = await signIn({ companyId: (await createCompany()).id });
    const mine = (await submitIndividual(agent.accessToken)).investor.id;
    const foreign = (await submitIndividual(outsider.accessToken)).investor.id;
    const unknown = randomUUID();
    const res = await decideInvestors(admin.accessToken, { ids: [mine, foreign, unknown], decision: 'APPROVE' }).expect(404);
    assert.equal(res.body.code, 'NOT_FOUND');
    assert.deepEqual([...res.body.ids].sort(), [foreign, unknown].sort());
    assert.equal(await statusOf(mine), 'SUBMITTED');
    assert.equal(await statusOf(foreign), 'SUBMITTED');
  });

  it('decides an investor once when two admins decide it at the same time', async () => {
    const { company, agent, admin } = await crmCompany();
    const other = await signIn({ companyId: company.id, role: 'ADMIN' });
    const { investor } = await submitIndividual(agent.accessToken);
    const answers = await Promise.all([
      decideInvestors(admin.accessToken, { ids: [investor.id], decision: 'APPROVE' }),
      decideInvestors(other.accessToken, { ids: [investor.id], decision: 'REJECT', reason: 'Duplicate investor' }),
    ]);
    assert.deepEqual(answers.map((r) => r.status).sort(), [200, 409]);
    const winner = answers.find((r) => r.status === 200)!.body.items[0].status;
    assert.equal(await statusOf(investor.id), winner);
    assert.equal(pushesFor(investor.id).length, 1);
  });

  it('is refused to an agent (no investor:approve)', async () => {
    const { agent } = await crmCompany();
    const { investor } = await submitIndividual(agent.accessToken);
    assert.equal((await decideInvestors(agent.accessToken, { ids: [investor.id], decision: 'APPROVE' }).expect(403)).body.code, 'FORBIDDEN');
    assert.equal(await statusOf(investor.id), 'SUBMITTED');
  });

  it('does not decide a DRAFT investor', async () => {
    const { agent, admin } = await crmCompany();
    const lead = (await crm().post('/crm/leads').set(bearer(agent.accessToken)).send({ fullname: 'Budi Santoso' }).expect(201)).body.id;
    for (const status of ['CONTACTED', 'INTERESTED']) await crm().put(`/crm/leads/${lead}`).set(bearer(agent.accessToken)).send({ status }).expect(200);
    const draft = (await crm().post(`/crm/leads/${lead}/convert`).set(bearer(agent.accessToken)).send({}).expect(201)).body.investor.id;
    assert.deepEqual((await decideInvestors(admin.accessToken, { ids: [draft], decision: 'APPROVE' }).expect(409)).body.ids, [draft]);
  });
});
