import { strict as assert } from 'node:assert';
import { randomUUID } from 'node:crypto';
import { hashOpaqueToken } from '../../../shared/auth/opaque-token.js';
import { config } from '../../../shared/config.js';
import { recordEvents, signIn } from '../../../test/support/auth.js';
import { createCompany } from '../../../test/support/owner.js';
import { crm, crmCompany, crmRows, decideInvestors, submitIndividual } from '../../../test/support/crm.js';
import { leadApi, leadAt } from '../../../test/support/leads.js';
import { draftInvestor, emailedLink, RegistrationBrowser, startLink } from '../../../test/support/registration.js';

/** POST /crm/investors/{id}/remote-registration: the agent emails an investor the registration link. */

const hours = (n: number) => n * 3600_000;
const near = (iso: string, at: number) => Math.abs(Date.parse(iso) - at) < 60_000;

type TokenRow = { id: string; token_hash: string; purpose: string; expires_at: Date; used_at: Date | null; revoked_at: Date | null; created_by: string | null };
const tokensOf = (investorId: string) =>
  crmRows<TokenRow>(`select id, token_hash, purpose, expires_at, used_at, revoked_at, created_by from investor_token where investor_id = $1::uuid order by id`, [investorId]);

describe('crm: starting a remote registration', () => {
  const events = recordEvents();

  it('emails a DRAFT investor a single-use link whose token only the email knows', async () => {
    const { company, agent } = await crmCompany();
    const draft = await draftInvestor(agent, { fullname: 'Rina Kartika' });
    const res = await startLink(agent.accessToken, draft.id).expect(202);
    assert.deepEqual(Object.keys(res.body).sort(), ['expiresAt', 'investorId']);
    assert.equal(res.body.investorId, draft.id);
    assert.ok(near(res.body.expiresAt, Date.now() + hours(24)), res.body.expiresAt);

    const link = await emailedLink(events, draft.id);
    assert.equal(link.url, `${new URL(`/crm/links/${link.token}`, config().PUBLIC_BASE_URL).toString()}`);
    assert.equal(link.data.template, 'INVESTOR_REMOTE_REGISTRATION');
    assert.equal(link.data.to, draft.email);
    assert.deepEqual(link.data.entity, { type: 'investor', id: draft.id });
    assert.deepEqual(link.data.variables, { investorName: 'Rina Kartika', agentName: agent.fullname, companyName: company.name, expiresAt: res.body.expiresAt });
    assert.ok(!JSON.stringify(link.data).includes(link.token), 'the token travels encrypted only');

    const [row, ...more] = await tokensOf(draft.id);
    assert.equal(more.length, 0);
    assert.equal(row!.token_hash, hashOpaqueToken(link.token));
    assert.equal(row!.purpose, 'REMOTE_REGISTRATION');
    assert.equal(row!.expires_at.toISOString(), res.body.expiresAt);
    assert.equal(Number(row!.created_by), agent.id);
    assert.equal(row!.used_at, null);
    assert.equal(row!.revoked_at, null);
    assert.equal((await new RegistrationBrowser(link.token).open()).status, 200);
  });

  it('lets the link live as long as the company says (investor_link_ttl_hours)', async () => {
    const { company, agent } = await crmCompany();
    await crmRows(`update auth_company set investor_link_ttl_hours = 72 where id = $1::bigint`, [company.id]);
    const draft = await draftInvestor(agent);
    const res = await startLink(agent.accessToken, draft.id).expect(202);
    assert.ok(near(res.body.expiresAt, Date.now() + hours(72)), res.body.expiresAt);
  });

  it('sends a REJECTED investor a link to correct the KYC', async () => {
    const { agent, admin } = await crmCompany();
    const { investor } = await submitIndividual(agent.accessToken);
    await decideInvestors(admin.accessToken, { ids: [investor.id], decision: 'REJECT', reason: 'KTP photo unreadable' }).expect(200);
    await startLink(agent.accessToken, investor.id).expect(202);
    assert.equal((await emailedLink(events, investor.id)).data.template, 'INVESTOR_REMOTE_REGISTRATION');
  });

  it('answers 404 for another agent’s, another company’s or an unknown investor, 403 to an admin', async () => {
    const { company, agent, admin } = await crmCompany();
    const draft = await draftInvestor(agent);
    const colleague = await signIn({ companyId: company.id });
    const outsider = await signIn({ companyId: (await createCompany()).id });
    for (const [who, token, id] of [
      ['colleague', colleague.accessToken, draft.id],
      ['other company', outsider.accessToken, draft.id],
      ['unknown investor', agent.accessToken, randomUUID()],
    ] as const) {
      assert.equal((await startLink(token, id).expect(404)).body.code, 'NOT_FOUND', who);
    }
    assert.equal((await startLink(admin.accessToken, draft.id).expect(403)).body.code, 'FORBIDDEN');
    assert.deepEqual((await crm().post('/crm/investors/not-a-uuid/remote-registration').set('Authorization', `Bearer ${agent.accessToken}`).expect(400)).body.errors[0].field, 'params.id');
    assert.equal((await tokensOf(draft.id)).length, 0);
  });

  it('refuses an institution (422), a submitted or approved investor (409) and an investor without email (422)', async () => {
    const { agent, admin } = await crmCompany();
    const lead = await leadAt(agent.accessToken, 'INTERESTED');
    const institution = (await leadApi.convert(agent.accessToken, lead.id, { type: 'INSTITUTIONAL' }).expect(201)).body.investor;
    const refused = await startLink(agent.accessToken, institution.id).expect(422);
    assert.equal(refused.body.code, 'BUSINESS_RULE');

    const { investor: submitted } = await submitIndividual(agent.accessToken);
    const conflict = await startLink(agent.accessToken, submitted.id).expect(409);
    assert.equal(conflict.body.code, 'CONFLICT');
    assert.equal(conflict.body.investorStatus, 'SUBMITTED');
    await decideInvestors(admin.accessToken, { ids: [submitted.id], decision: 'APPROVE' }).expect(200);
    assert.equal((await startLink(agent.accessToken, submitted.id).expect(409)).body.investorStatus, 'APPROVED');

    const noEmail = await draftInvestor(agent, { email: undefined });
    assert.equal(noEmail.email, undefined);
    assert.equal((await startLink(agent.accessToken, noEmail.id).expect(422)).body.code, 'BUSINESS_RULE');
    for (const id of [institution.id, submitted.id, noEmail.id]) assert.equal((await tokensOf(id)).length, 0, id);
    assert.ok(!events.messages.some((m) => [institution.id, submitted.id, noEmail.id].includes((m.data as { entity?: { id: string } }).entity?.id ?? '')));
  });

  it('revokes the earlier link when sending a new one: the old page says it was replaced', async () => {
    const { agent } = await crmCompany();
    const draft = await draftInvestor(agent);
    await startLink(agent.accessToken, draft.id).expect(202);
    const first = await emailedLink(events, draft.id);
    await startLink(agent.accessToken, draft.id).expect(202);
    const second = await emailedLink(events, draft.id);
    assert.notEqual(first.token, second.token);

    const [old, fresh] = await tokensOf(draft.id);
    assert.ok(old!.revoked_at, 'the first link is revoked');
    assert.equal(fresh!.revoked_at, null);
    const oldPage = await new RegistrationBrowser(first.token).open();
    assert.equal(oldPage.status, 410);
    assert.ok(oldPage.text.includes('data-reason="revoked"'));
    const browser = new RegistrationBrowser(first.token);
    const fresher = new RegistrationBrowser(second.token);
    await fresher.open();
    browser.cookies.set('rmtools_link', fresher.cookies.get('rmtools_link')!);
    browser.cookies.set('rmtools_csrf', fresher.cookies.get('rmtools_csrf')!);
    browser.csrf = fresher.csrf;
    assert.equal((await browser.post('otp', {}).expect(410)).body.code, 'LINK_EXPIRED');
    assert.equal((await fresher.open()).status, 200);
  });

  it('sends at most 5 links per investor an hour', async () => {
    const { agent } = await crmCompany();
    const draft = await draftInvestor(agent);
    for (let i = 0; i < 5; i++) await startLink(agent.accessToken, draft.id).expect(202);
    const limited = await startLink(agent.accessToken, draft.id).expect(429);
    assert.equal(limited.body.code, 'RATE_LIMITED');
    assert.ok(Number(limited.headers['retry-after']) > 0);
    const rows = await tokensOf(draft.id);
    assert.equal(rows.length, 5);
    assert.equal(rows.filter((r) => r.revoked_at === null).length, 1, 'the refused request revoked nothing');
    // Another investor of the same agent has its own allowance.
    await startLink(agent.accessToken, (await draftInvestor(agent)).id).expect(202);
  });
});
