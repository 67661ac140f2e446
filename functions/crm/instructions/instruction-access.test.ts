import { strict as assert } from 'node:assert';
import { bearer, recordEvents, signIn } from '../../../test/support/auth.js';
import { crm, individualBody } from '../../../test/support/crm.js';
import { createCompany } from '../../../test/support/owner.js';
import { approvedInvestor, asOwner, createInstruction, instructionApi, instructionTeam, subscriptionBody } from '../../../test/support/instructions.js';

/** POST /crm/instructions: the RM's licence, the investor's owner, status and email, and the callers refused. */

const hour = 3_600_000;

describe('crm: POST /crm/instructions, who may create for whom', () => {
  recordEvents();

  it('needs a WAPERD licence that has not expired: 422 LICENCE_REQUIRED, nothing written', async () => {
    const company = await createCompany();
    const admin = await signIn({ companyId: company.id, role: 'ADMIN' });
    const cases: Array<[string, { number: string; expiresOn: string } | undefined]> = [
      ['no licence', undefined],
      ['a licence that expired', { number: 'WPR-456/OJK/2019', expiresOn: '2020-01-01' }],
      ['a licence that expired yesterday in Jakarta', { number: 'WPR-789/OJK/2021', expiresOn: jakartaDate(-1) }],
    ];
    for (const [name, licence] of cases) {
      const agent = await signIn({ companyId: company.id, licence });
      const investor = await approvedInvestor(agent, admin);
      const res = await instructionApi.create(agent.accessToken, subscriptionBody(investor.id));
      assert.equal(res.status, 422, name);
      assert.equal(res.body.code, 'LICENCE_REQUIRED', name);
    }
    // Valid through the last day of the licence.
    const lastDay = await signIn({ companyId: company.id, licence: { number: 'WPR-321/OJK/2022', expiresOn: jakartaDate(0) } });
    await createInstruction(lastDay.accessToken, subscriptionBody((await approvedInvestor(lastDay, admin)).id));
    assert.deepEqual(await asOwner(`select id from instruction where company_id = $1::bigint and agent_id <> $2::bigint`, [company.id, lastDay.id]), []);
  });

  it('answers 404 for an investor the agent does not own: a colleague’s, another company’s, an unknown one', async () => {
    const { company, agent, admin } = await instructionTeam();
    const colleague = await signIn({ companyId: company.id, licence: { number: 'WPR-1', expiresOn: '2099-01-01' } });
    const other = await instructionTeam();
    const cases: Array<[string, string]> = [
      ['a colleague’s', (await approvedInvestor(colleague, admin)).id],
      ['another company’s', (await approvedInvestor(other.agent, other.admin)).id],
      ['an unknown one', '00000000-0000-4000-8000-000000000000'],
    ];
    for (const [name, investorId] of cases) {
      const res = await instructionApi.create(agent.accessToken, subscriptionBody(investorId));
      assert.equal(res.status, 404, name);
      assert.equal(res.body.code, 'NOT_FOUND', name);
    }
    assert.deepEqual(await asOwner(`select id from instruction where company_id in ($1::bigint, $2::bigint)`, [company.id, other.company.id]), []);
  });

  it('is only for APPROVED investors with an email: 422 BUSINESS_RULE naming the investor’s status', async () => {
    const { agent, admin } = await instructionTeam();
    const submitted = (await crm().post('/crm/investors').set(bearer(agent.accessToken)).send(individualBody()).expect(201)).body.id as string;
    const rejected = (await approvedInvestor(agent, admin)).id;
    await asOwner(`update investor set status = 'REJECTED', rejected_reason = 'KTP tidak terbaca' where id = $1::uuid`, [rejected]);
    for (const [id, status] of [[submitted, 'SUBMITTED'], [rejected, 'REJECTED']] as const) {
      const res = await instructionApi.create(agent.accessToken, subscriptionBody(id)).expect(422);
      assert.deepEqual([res.body.code, res.body.investorStatus], ['BUSINESS_RULE', status]);
    }
    const noEmail = (await approvedInvestor(agent, admin)).id;
    await asOwner(`update investor set email = null where id = $1::uuid`, [noEmail]);
    const res = await instructionApi.create(agent.accessToken, subscriptionBody(noEmail)).expect(422);
    assert.equal(res.body.code, 'BUSINESS_RULE');
    assert.match(res.body.detail, /email/);
    assert.deepEqual(await asOwner(`select id from instruction where investor_id = any ($1::uuid[])`, [[submitted, rejected, noEmail]]), []);
  });

  it('is for RM agents only: an admin gets 403', async () => {
    const { agent, admin } = await instructionTeam();
    const investor = await approvedInvestor(agent, admin);
    assert.equal((await instructionApi.create(admin.accessToken, subscriptionBody(investor.id)).expect(403)).body.code, 'FORBIDDEN');
    assert.equal((await crm().post('/crm/instructions').send(subscriptionBody(investor.id)).expect(401)).body.code, 'UNAUTHENTICATED');
  });
});

/** Today plus `days` as a date in Jakarta (YYYY-MM-DD), where licences expire. */
function jakartaDate(days: number): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Jakarta' }).format(new Date(Date.now() + days * 24 * hour));
}
