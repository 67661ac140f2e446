import { strict as assert } from 'node:assert';
import { bearer, recordEvents, signIn } from '../../../test/support/auth.js';
import { crm, crmCompany, crmRows, decideInvestors, individualBody, submitIndividual } from '../../../test/support/crm.js';
import {
  assertNothingSpent,
  localStorageForSuite,
  ottOf,
  readyToSubmit,
  RegistrationBrowser,
  registrationBody,
  registrationLink,
  tokenUsedAt,
} from '../../../test/support/registration.js';
import { identityHash } from '../investors/pii.js';

/**
 * POST /crm/links/{token}/registration against the investor's state: an identity held by another investor, an
 * investor submitted by the agent meanwhile, and a rejected investor who corrects the KYC.
 */
describe('crm: remote registration against the investor’s state', () => {
  const events = recordEvents();
  localStorageForSuite();
  const ready = () => readyToSubmit(events);

  it('refuses an identity another investor of the company holds (409, naming no one) and keeps the code', async () => {
    const s = await ready();
    const colleague = await signIn({ companyId: s.company.id });
    const { body: taken } = await submitIndividual(colleague.accessToken);
    // The colleague's investor's identity, typed on this investor's page.
    const res = await s.browser.post('registration', registrationBody(s.code, taken)).expect(409);
    assert.equal(res.body.code, 'CONFLICT');
    assert.equal(res.body.existingId, undefined, 'another agent’s investor stays unnamed');
    await assertNothingSpent(s);
  });

  it('lets a REJECTED investor correct the KYC: new data, the old rows gone, the decision cleared', async () => {
    const { agent, admin } = await crmCompany();
    const first = individualBody({ fullName: 'Joko Susilo' });
    const { investor } = await submitIndividual(agent.accessToken, first);
    await decideInvestors(admin.accessToken, { ids: [investor.id], decision: 'REJECT', reason: 'The NIK does not match the KTP' }).expect(200);
    const oldAccounts = await crmRows<{ id: string }>(`select id from investor_bank_account where investor_id = $1::uuid`, [investor.id]);
    const link = await registrationLink(agent, events, investor.id);
    const browser = new RegistrationBrowser(link.token);
    await browser.open();
    await browser.upload();
    const { code } = await browser.code(link.tokenId);

    const fixed = individualBody({ fullName: 'Joko Susilo Wibowo', gender: 'FEMALE' });
    await browser.post('registration', registrationBody(code, fixed)).expect(200);
    const [row] = await crmRows<Record<string, unknown>>(
      `select status, full_name, id_number_hash, decided_at, decided_by, rejected_reason, agent_id from investor where id = $1::uuid`,
      [investor.id],
    );
    assert.deepEqual(row, {
      status: 'SUBMITTED', full_name: 'Joko Susilo Wibowo', id_number_hash: await identityHash.nik(fixed.individual.nik),
      decided_at: null, decided_by: null, rejected_reason: null, agent_id: row!.agent_id,
    });
    assert.equal(Number(row!.agent_id), agent.id);
    const [ind, ...extra] = await crmRows<{ nik_hash: string; gender: string }>(`select nik_hash, gender from investor_individual where investor_id = $1::uuid`, [investor.id]);
    assert.equal(extra.length, 0);
    assert.deepEqual(ind, { nik_hash: await identityHash.nik(fixed.individual.nik), gender: '2' });
    const accounts = await crmRows<{ id: string; account_number_hash: string }>(`select id, account_number_hash from investor_bank_account where investor_id = $1::uuid`, [investor.id]);
    assert.equal(accounts.length, 1);
    assert.ok(!oldAccounts.some((a) => a.id === accounts[0]!.id), 'the old account row is gone');
    assert.equal(accounts[0]!.account_number_hash, await identityHash.accountNumber('014', fixed.bankAccounts[0]!.accountNumber));
    const deleted = await crmRows(`select 1 from auth_user_action_log where entity = 'investor_bank_account' and entity_id = $1::text and action_name = 'delete'`, [oldAccounts[0]!.id]);
    assert.equal(deleted.length, 1, 'the removal is in the audit trail');
    // The admin reviews it again.
    await decideInvestors(admin.accessToken, { ids: [investor.id], decision: 'APPROVE' }).expect(200);
  });

  it('refuses (409) and keeps the code when the agent submitted the investor meanwhile', async () => {
    const s = await ready();
    const [lead] = await crmRows<{ id: string }>(`select id from lead where investor_id = $1::uuid`, [s.draft.id]);
    await crm().post('/crm/investors').set(bearer(s.agent.accessToken)).send(individualBody({ leadId: Number(lead!.id) })).expect(201);
    const res = await s.browser.post('registration', registrationBody(s.code)).expect(409);
    assert.equal(res.body.code, 'CONFLICT');
    assert.equal(res.body.investorStatus, 'SUBMITTED');
    assert.deepEqual(await ottOf(s.ottId), { attempts: 0, used_at: null });
    assert.equal(await tokenUsedAt(s.link.tokenId), null);
  });
});
