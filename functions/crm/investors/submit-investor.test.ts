import { strict as assert } from 'node:assert';
import { recordEvents, signIn } from '../../../test/support/auth.js';
import { createCompany } from '../../../test/support/owner.js';
import {
  crm,
  crmCompany,
  decideInvestors,
  fieldsOf,
  individualBody,
  institutionalBody,
  nikFor,
  postInvestor,
  riskAnswers,
  submitIndividual,
} from '../../../test/support/crm.js';

/** POST /crm/investors: an agent submits an individual's or an institution's KYC, through the real database. */

type Body = ReturnType<typeof individualBody>;
type InstBody = ReturnType<typeof institutionalBody>;

const masked16 = (digits: string) => `************${digits.slice(-4)}`;
const thisYear = new Date().getUTCFullYear();

describe('crm: POST /crm/investors (submit KYC)', () => {
  it('submits an individual: SUBMITTED, NIK and account masked, risk profile scored from the answers', async () => {
    const { company, agent } = await crmCompany();
    const body = individualBody({ fullName: 'Budi Santoso', holderName: 'BUDI SANTOSO' });
    const res = await postInvestor(agent.accessToken, body).expect(201);
    const account = body.bankAccounts[0]!;
    assert.equal(res.headers.location, `/crm/investors/${res.body.id}`);
    assert.equal(res.body.type, 'INDIVIDUAL');
    assert.equal(res.body.status, 'SUBMITTED');
    assert.equal(res.body.fullName, 'Budi Santoso');
    assert.equal(res.body.nikMasked, masked16(body.individual.nik));
    assert.equal(res.body.npwpMasked, null);
    assert.equal(res.body.email, body.individual.email);
    assert.equal(res.body.phone, body.individual.phone);
    assert.equal(res.body.riskProfile.category, 'CONSERVATIVE');
    assert.equal(res.body.riskProfile.questionnaireVersion, body.riskProfile.questionnaireVersion);
    assert.equal(res.body.agentId, agent.id);
    assert.equal(res.body.companyId, company.id);
    assert.equal(res.body.leadId, null);
    assert.equal(res.body.syncStatus, 'NOT_READY');
    assert.equal(res.body.decidedAt, null);
    assert.ok(res.body.submittedAt);
    assert.deepEqual(res.body.bankAccounts, [
      {
        id: res.body.bankAccounts[0].id,
        bankCode: account.bankCode,
        accountNumberMasked: `******${account.accountNumber.slice(-4)}`,
        accountHolderName: 'BUDI SANTOSO',
        isPrimary: true,
        verified: false,
        needsReview: false,
      },
    ]);
    assert.ok(!JSON.stringify(res.body).includes(body.individual.nik), 'the full NIK is never answered');
    assert.ok(!JSON.stringify(res.body).includes(account.accountNumber), 'the full account number is never answered');
  });

  it('submits an institution: NPWP masked, no NIK, AGGRESSIVE from high answers', async () => {
    const { agent } = await crmCompany();
    const body = institutionalBody({ name: 'PT Maju Bersama Tbk' });
    const res = await postInvestor(agent.accessToken, body).expect(201);
    assert.equal(res.body.type, 'INSTITUTIONAL');
    assert.equal(res.body.status, 'SUBMITTED');
    assert.equal(res.body.fullName, 'PT Maju Bersama Tbk');
    assert.equal(res.body.nikMasked, null);
    assert.equal(res.body.npwpMasked, `***********${body.institutional.npwp.slice(-4)}`);
    assert.equal(res.body.riskProfile.category, 'AGGRESSIVE');
    assert.equal(res.body.email, body.institutional.contactPerson.email);
    assert.equal(res.body.bankAccounts[0].needsReview, false, 'the account is in the institution’s name');
    assert.ok(!JSON.stringify(res.body).includes(body.institutional.npwp));
  });

  it('scores an individual with high answers AGGRESSIVE', async () => {
    const { agent } = await crmCompany();
    const res = await postInvestor(agent.accessToken, { ...individualBody(), riskProfile: riskAnswers('high') }).expect(201);
    assert.equal(res.body.riskProfile.category, 'AGGRESSIVE');
  });

  it('flags an account for review when the holder is not the investor, titles and case aside', async () => {
    const { agent } = await crmCompany();
    const cases: Array<[holder: string, needsReview: boolean]> = [
      ['BUDI SANTOSO', false],
      ['Budi Santoso', false],
      ['Bpk. Budi Santoso, S.E.', false],
      ['Andi Wijaya', true],
    ];
    for (const [holder, needsReview] of cases) {
      const res = await postInvestor(agent.accessToken, individualBody({ fullName: 'Budi Santoso', holderName: holder })).expect(201);
      assert.equal(res.body.bankAccounts[0].needsReview, needsReview, holder);
      assert.equal(res.body.bankAccounts[0].accountHolderName, holder);
    }
  });

  it('refuses invalid bodies with 400 naming the field', async () => {
    const { agent } = await crmCompany();
    const ind = (edit: (b: Body) => void): Body => {
      const b = structuredClone(individualBody({ birthDate: '1985-04-12', gender: 'MALE' }));
      edit(b);
      return b;
    };
    const inst = (edit: (b: InstBody) => void): InstBody => {
      const b = structuredClone(institutionalBody());
      edit(b);
      return b;
    };
    const under17 = `${thisYear - 10}-03-04`;
    const cases: Array<[name: string, body: object, field: string]> = [
      ['NIK of another birth date', ind((b) => (b.individual.nik = nikFor('1985-04-13', 'MALE'))), 'body.individual.nik'],
      ['NIK of the other gender', ind((b) => (b.individual.nik = nikFor('1985-04-12', 'FEMALE'))), 'body.individual.nik'],
      ['NIK of another province', ind((b) => (b.individual.nik = nikFor('1985-04-12', 'MALE', '32.73.01'))), 'body.individual.nik'],
      ['under 17', ind((b) => Object.assign(b.individual, { birthDate: under17, nik: nikFor(under17, 'MALE') })), 'body.individual.birthDate'],
      ['unknown district that nests', ind((b) => Object.assign(b.individual.address, { districtCode: '31.71.99' })), 'body.individual.address.districtCode'],
      ['city not in the province', ind((b) => Object.assign(b.individual.address, { cityCode: '32.73' })), 'body.individual.address.cityCode'],
      ['unknown bank', ind((b) => (b.bankAccounts[0]!.bankCode = '999')), 'body.bankAccounts.0.bankCode'],
      [
        'two primary accounts',
        ind((b) => b.bankAccounts.push({ ...b.bankAccounts[0]!, accountNumber: `${b.bankAccounts[0]!.accountNumber}1` })),
        'body.bankAccounts',
      ],
      ['no primary account', ind((b) => (b.bankAccounts[0]!.isPrimary = false)), 'body.bankAccounts'],
      ['unknown questionnaire version', ind((b) => (b.riskProfile.questionnaireVersion = '1999.1')), 'body.riskProfile.questionnaireVersion'],
      ['a question not answered', ind((b) => b.riskProfile.answers.pop()), 'body.riskProfile.answers'],
      ['FATCA without US TIN', ind((b) => (b.individual.fatcaUsPerson = true)), 'body.individual.usTin'],
      ['institution without authorized persons', inst((b) => (b.institutional.authorizedPersons = [])), 'body.institutional.authorizedPersons'],
      ['unknown field', ind((b) => Object.assign(b.individual, { hobby: 'golf' })), 'body.individual.hobby'],
      ['unknown top-level field', ind((b) => Object.assign(b, { vip: true })), 'body.vip'],
    ];
    for (const [name, body, field] of cases) {
      const res = await postInvestor(agent.accessToken, body);
      assert.equal(res.status, 400, `${name}: ${JSON.stringify(res.body)}`);
      assert.equal(res.body.code, 'VALIDATION_FAILED', name);
      assert.ok(fieldsOf(res.body).includes(field), `${name}: expected ${field} in ${JSON.stringify(res.body.errors)}`);
    }
  });

  it('is refused to an admin (no investor:write) and to a caller without a token', async () => {
    const { admin } = await crmCompany();
    assert.equal((await postInvestor(admin.accessToken, individualBody()).expect(403)).body.code, 'FORBIDDEN');
    assert.equal((await crm().post('/crm/investors').send(individualBody()).expect(401)).body.code, 'UNAUTHENTICATED');
  });
});

describe('crm: one live investor per NIK per company', () => {
  recordEvents();

  it('answers the same agent 409 with the existing id, another agent 409 without it', async () => {
    const { company, agent } = await crmCompany();
    const other = await signIn({ companyId: company.id });
    const first = individualBody();
    const { investor } = await submitIndividual(agent.accessToken, first);

    const again = { ...individualBody(), individual: { ...individualBody().individual, nik: first.individual.nik, birthDate: first.individual.birthDate } };
    const mine = await postInvestor(agent.accessToken, again).expect(409);
    assert.equal(mine.body.code, 'CONFLICT');
    assert.equal(mine.body.existingId, investor.id);

    const theirs = await postInvestor(other.accessToken, again).expect(409);
    assert.equal(theirs.body.code, 'CONFLICT');
    assert.ok(!('existingId' in theirs.body), 'another agent does not learn the id');
  });

  it('accepts the same NIK in another company', async () => {
    const { agent } = await crmCompany();
    const elsewhere = await signIn({ companyId: (await createCompany()).id });
    const body = individualBody();
    await submitIndividual(agent.accessToken, body);
    const res = await postInvestor(elsewhere.accessToken, { ...body, individual: { ...body.individual, email: `x${body.individual.email}` } }).expect(201);
    assert.equal(res.body.status, 'SUBMITTED');
  });

  it('accepts the NIK again once the first investor was rejected', async () => {
    const { agent, admin } = await crmCompany();
    const body = individualBody();
    const { investor } = await submitIndividual(agent.accessToken, body);
    await decideInvestors(admin.accessToken, { ids: [investor.id], decision: 'REJECT', reason: 'KTP photo unreadable' }).expect(200);
    const res = await postInvestor(agent.accessToken, body).expect(201);
    assert.notEqual(res.body.id, investor.id);
    // And it is live again: a third submission is refused, naming the new one.
    assert.equal((await postInvestor(agent.accessToken, body).expect(409)).body.existingId, res.body.id);
  });

  it('lets only one of two simultaneous submissions of a NIK through', async () => {
    const { agent } = await crmCompany();
    const body = individualBody();
    const answers = await Promise.all([postInvestor(agent.accessToken, body), postInvestor(agent.accessToken, body)]);
    assert.deepEqual(answers.map((r) => r.status).sort(), [201, 409], JSON.stringify(answers.map((r) => r.body)));
    assert.equal(answers.find((r) => r.status === 409)!.body.code, 'CONFLICT');
  });

  it('applies to an institution’s NPWP the same way', async () => {
    const { agent } = await crmCompany();
    const body = institutionalBody();
    const { body: res } = await postInvestor(agent.accessToken, body).expect(201);
    assert.equal((await postInvestor(agent.accessToken, body).expect(409)).body.existingId, res.id);
  });
});
