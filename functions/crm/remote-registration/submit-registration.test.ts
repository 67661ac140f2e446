import { strict as assert } from 'node:assert';
import { bearer, recordEvents } from '../../../test/support/auth.js';
import { crm, crmRows, fieldsOf, individualBody, nikFor, revealPii } from '../../../test/support/crm.js';
import {
  assertNothingSpent,
  investorStatus,
  localStorageForSuite,
  ottOf,
  readyToSubmit,
  RegistrationBrowser,
  registrationBody,
  tokenUsedAt,
} from '../../../test/support/registration.js';
import { identityHash } from '../investors/pii.js';

/** POST /crm/links/{token}/registration: the investor submits the KYC with the step-up code. */

describe('crm: submitting a remote registration', () => {
  const events = recordEvents();
  localStorageForSuite();
  const ready = (o: { upload?: boolean } = {}) => readyToSubmit(events, o);

  it('submits the KYC: SUBMITTED for the admin, KYC rows written, the agent told, the link spent', async () => {
    const s = await ready();
    const base = individualBody({ fullName: 'Sari Wulandari', holderName: 'SARI WULANDARI' });
    const res = await s.browser.post('registration', registrationBody(s.code, base)).expect(200);
    assert.deepEqual(res.body, { status: 'SUBMITTED' });

    const [investor] = await crmRows<Record<string, unknown>>(
      `select status, agent_id, full_name, email, phone, id_number_hash, id_number_last4, submitted_at, decided_at, risk_category, lead_id
         from investor where id = $1::uuid`,
      [s.draft.id],
    );
    assert.equal(investor!.status, 'SUBMITTED');
    assert.equal(Number(investor!.agent_id), s.agent.id, 'the investor stays the agent’s');
    assert.equal(investor!.full_name, 'Sari Wulandari');
    assert.equal(investor!.email, base.individual.email);
    assert.equal(investor!.phone, base.individual.phone);
    assert.equal(investor!.id_number_hash, await identityHash.nik(base.individual.nik));
    assert.equal(investor!.id_number_last4, base.individual.nik.slice(-4));
    assert.ok(investor!.submitted_at);
    assert.equal(investor!.decided_at, null);
    assert.equal(investor!.risk_category, 'CONSERVATIVE');
    assert.ok(investor!.lead_id, 'still the converted lead’s investor');
    const [ind] = await crmRows<{ nik_hash: string; birth_date: string; province_code: string }>(
      `select nik_hash, birth_date::text, province_code from investor_individual where investor_id = $1::uuid`,
      [s.draft.id],
    );
    assert.deepEqual(ind, { nik_hash: await identityHash.nik(base.individual.nik), birth_date: base.individual.birthDate, province_code: '31' });
    const accounts = await crmRows<{ account_number_hash: string; is_primary: boolean; needs_review: boolean }>(
      `select account_number_hash, is_primary, needs_review from investor_bank_account where investor_id = $1::uuid`,
      [s.draft.id],
    );
    assert.deepEqual(accounts, [{ account_number_hash: await identityHash.accountNumber('014', base.bankAccounts[0]!.accountNumber), is_primary: true, needs_review: false }]);
    const documents = await crmRows<{ kind: string; status: string }>(`select kind, status from investor_document where investor_id = $1::uuid order by kind`, [s.draft.id]);
    assert.deepEqual(documents, [{ kind: 'KTP', status: 'UPLOADED' }, { kind: 'SELFIE', status: 'UPLOADED' }]);

    const push = events.messages.filter((m) => m.topic === 'push.requested' && (m.data as { data: { investorId?: string } }).data.investorId === s.draft.id);
    assert.equal(push.length, 1);
    assert.deepEqual((push[0]!.data as { userIds: number[] }).userIds, [s.agent.id]);
    assert.equal((push[0]!.data as { type: string }).type, 'INVESTOR_SUBMITTED');

    assert.ok(await tokenUsedAt(s.link.tokenId), 'the link is spent');
    assert.ok((await ottOf(s.ottId)).used_at, 'the code is spent');
    const [trail] = await crmRows<{ actor_id: string | null; same_ip: boolean; after: { status: string } }>(
      `select actor_id, user_ip = $2::inet as same_ip, new_entity_value as after from auth_user_action_log
        where entity = 'investor' and entity_id = $1::text and action_name = 'update' order by id desc limit 1`,
      [s.draft.id, s.browser.ip],
    );
    assert.deepEqual(trail, { actor_id: null, same_ip: true, after: trail!.after }, 'no user, the investor’s address');
    assert.equal(trail!.after.status, 'SUBMITTED');

    // The link is done: the page and the API answer 410.
    const page = await s.browser.open();
    assert.equal(page.status, 410);
    assert.ok(page.text.includes('data-reason="used"'));
    assert.equal((await s.browser.post('registration', registrationBody(s.code, base)).expect(410)).body.code, 'LINK_USED');
    // In the admin's review queue, with the NIK the investor typed.
    const queue = (await crm().get('/crm/investors').query({ status: 'SUBMITTED' }).set(bearer(s.admin.accessToken)).expect(200)).body.items;
    assert.ok(queue.some((i: { id: string }) => i.id === s.draft.id));
    assert.equal((await revealPii(s.admin.accessToken, s.draft.id).expect(200)).body.nik, base.individual.nik);
  });

  it('refuses every invalid body with 400 before the code is spent, then accepts the corrected one with the same code', async () => {
    const s = await ready();
    const base = individualBody();
    const good = registrationBody(s.code, base);
    const ind = base.individual;
    const cases: Array<[string, object, string]> = [
      ['no code', { ...good, code: undefined }, 'body.code'],
      ['a code of letters', { ...good, code: 'abcdef' }, 'body.code'],
      ['a malformed NIK', { ...good, individual: { ...ind, nik: '123' } }, 'body.individual.nik'],
      ['no mother’s name', { ...good, individual: { ...ind, motherMaidenName: undefined } }, 'body.individual.motherMaidenName'],
      ['an unknown option', { ...good, individual: { ...ind, occupation: '99' } }, 'body.individual.occupation'],
      ['an unknown field', { ...good, individual: { ...ind, agentId: 1 } }, 'body.individual.agentId'],
      ['a field of the agent’s body', { ...good, type: 'INDIVIDUAL' }, 'body.type'],
      ['no bank account', { ...good, bankAccounts: [] }, 'body.bankAccounts'],
      ['a minor', { ...good, individual: { ...ind, birthDate: '2015-01-01', nik: nikFor('2015-01-01', 'MALE') } }, 'body.individual.birthDate'],
      ['a NIK of another birth date', { ...good, individual: { ...ind, nik: nikFor('1970-02-03', 'MALE') } }, 'body.individual.nik'],
      ['a city outside the province', { ...good, individual: { ...ind, address: { ...ind.address, cityCode: '32.73', districtCode: '32.73.01' } } }, 'body.individual.address.cityCode'],
      ['no primary account', { ...good, bankAccounts: [{ ...base.bankAccounts[0]!, isPrimary: false }] }, 'body.bankAccounts'],
      ['an unknown questionnaire', { ...good, riskProfile: { ...good.riskProfile, questionnaireVersion: '1999.1' } }, 'body.riskProfile.questionnaireVersion'],
      ['an unanswered question', { ...good, riskProfile: { ...good.riskProfile, answers: good.riskProfile.answers.slice(1) } }, 'body.riskProfile.answers'],
      ['an unknown district', { ...good, individual: { ...ind, address: { ...ind.address, districtCode: '31.71.99' } } }, 'body.individual.address.districtCode'],
      ['an unknown bank', { ...good, bankAccounts: [{ ...base.bankAccounts[0]!, bankCode: '999' }] }, 'body.bankAccounts.0.bankCode'],
      ['an unknown country', { ...good, individual: { ...ind, nationality: 'XK' } }, 'body.individual.nationality'],
    ];
    for (const [what, body, field] of cases) {
      const res = await s.browser.post('registration', body);
      assert.equal(res.status, 400, `${what}: ${res.status} ${JSON.stringify(res.body)}`);
      assert.equal(res.body.code, 'VALIDATION_FAILED', what);
      assert.ok(fieldsOf(res.body).includes(field), `${what}: ${JSON.stringify(res.body.errors)}`);
    }
    await assertNothingSpent(s);
    await s.browser.post('registration', good).expect(200);
  });

  it('counts a wrong code, refuses a code asked for in another browser, and takes the right one after', async () => {
    const s = await ready();
    const wrong = s.code === '000000' ? '111111' : '000000';
    const res = await s.browser.post('registration', registrationBody(wrong)).expect(400);
    assert.equal(res.body.code, 'OTP_INVALID');
    assert.equal(res.body.attemptsLeft, 4);
    assert.deepEqual(await ottOf(s.ottId), { attempts: 1, used_at: null });

    // The right code from a browser that did not ask for it: the link was forwarded.
    const other = new RegistrationBrowser(s.link.token);
    assert.equal((await other.open()).status, 200);
    assert.equal((await other.post('registration', registrationBody(s.code)).expect(410)).body.code, 'OTP_EXPIRED');
    assert.deepEqual(await ottOf(s.ottId), { attempts: 1, used_at: null }, 'no try counted against the investor’s code');
    assert.equal(await investorStatus(s.draft.id), 'DRAFT');
    await s.browser.post('registration', registrationBody(s.code)).expect(200);
  });

  it('asks for the KTP and the selfie (422) before spending the code', async () => {
    const s = await ready({ upload: false });
    const missing = await s.browser.post('registration', registrationBody(s.code)).expect(422);
    assert.equal(missing.body.code, 'BUSINESS_RULE');
    assert.deepEqual(missing.body.missingDocuments, ['KTP', 'SELFIE']);
    // A grant without the upload is no document; the KTP alone is not enough.
    await s.browser.post('documents', { kind: 'SELFIE', contentType: 'image/png', size: 100 }).expect(201);
    await s.browser.upload(['KTP']);
    assert.deepEqual((await s.browser.post('registration', registrationBody(s.code)).expect(422)).body.missingDocuments, ['SELFIE']);
    await assertNothingSpent(s);
    await s.browser.upload(['SELFIE']);
    await s.browser.post('registration', registrationBody(s.code)).expect(200);
  });

  it('needs the page’s session and CSRF token', async () => {
    const s = await ready();
    assert.equal((await s.browser.post('registration', registrationBody(s.code), { cookies: true, csrf: true }).expect(403)).body.code, 'FORBIDDEN');
    assert.equal((await s.browser.post('registration', registrationBody(s.code), { csrf: true }).expect(403)).body.code, 'CSRF_FAILED');
    await assertNothingSpent(s);
  });
});
