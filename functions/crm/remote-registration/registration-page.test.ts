import { strict as assert } from 'node:assert';
import { Script } from 'node:vm';
import { recordEvents } from '../../../test/support/auth.js';
import { crm, crmCompany, decideInvestors, individualBody, postInvestor, submitIndividual } from '../../../test/support/crm.js';
import { questionnaire2026v1 } from '../kyc/risk-questionnaire-2026-1.js';
import { kycOptions } from '../kyc/kyc-options.js';
import { draftInvestor, localStorageForSuite, RegistrationBrowser, registrationLink } from '../../../test/support/registration.js';

/** GET /crm/links/{token} for a registration link: the server-rendered KYC form. */

const fieldIds = [
  'fullName', 'nik', 'npwp', 'birthPlace', 'birthDate', 'gender', 'motherMaidenName', 'nationality', 'religion', 'maritalStatus', 'education',
  'occupation', 'employer', 'annualIncome', 'sourceOfFunds', 'investmentObjective', 'email', 'phone', 'addressLine', 'provinceCode', 'cityCode',
  'districtCode', 'postalCode', 'beneficialOwnerSelf', 'beneficialOwnerName', 'beneficialOwnerRelationship', 'fatcaUsPerson', 'usTin', 'bankCode',
  'accountNumber', 'accountHolderName',
];

/** The opening tag of the element with this id. */
const tagOf = (html: string, id: string) => new RegExp(`<(input|select)[^>]* id="${id}"[^>]*>`).exec(html)?.[0];
/** The options of a select, as value → label. */
function optionsOf(html: string, id: string): Map<string, string> {
  const select = new RegExp(`<select[^>]* id="${id}"[^>]*>([\\s\\S]*?)</select>`).exec(html)?.[1] ?? '';
  return new Map([...select.matchAll(/<option value="([^"]*)"[^>]*>([^<]*)<\/option>/g)].map((m) => [m[1]!, m[2]!]));
}

describe('crm: the remote registration page', () => {
  const events = recordEvents();
  const storage = localStorageForSuite();

  async function openLink(over: Record<string, unknown> = {}) {
    const { agent, admin } = await crmCompany();
    const draft = await draftInvestor(agent, over);
    const link = await registrationLink(agent, events, draft.id);
    return { agent, admin, draft, link, browser: new RegistrationBrowser(link.token) };
  }

  it('renders the KYC form with the API’s field names, the choice lists filled, the questionnaire and the uploads', async () => {
    const { browser } = await openLink();
    const res = await browser.open();
    assert.equal(res.status, 200, res.text);
    const html = res.text;
    assert.match(html, /<html lang="id">/);
    assert.match(html, /<form id="registration"/);
    for (const id of fieldIds) {
      const tag = tagOf(html, id);
      assert.ok(tag, `#${id} is missing`);
      assert.ok(tag.includes(` name="${id}"`), `#${id} has the name ${id}`);
      assert.ok(html.includes(`data-error-for="${id}"`), `#${id} has an error slot`);
    }
    assert.match(tagOf(html, 'birthDate')!, /type="date"/);
    for (const key of ['gender', 'religion', 'maritalStatus', 'education', 'occupation', 'annualIncome', 'sourceOfFunds', 'investmentObjective'] as const) {
      const options = optionsOf(html, key);
      assert.deepEqual([...options.keys()], ['', ...kycOptions[key].map((o) => o.value)], key);
      assert.equal(options.get(kycOptions[key][0]!.value), kycOptions[key][0]!.label.id);
    }
    assert.equal(optionsOf(html, 'provinceCode').get('31'), 'DKI Jakarta');
    assert.ok(optionsOf(html, 'bankCode').has('014'), 'the banks of the master data');
    assert.ok(optionsOf(html, 'nationality').size > 200);
    assert.match(html, /<option value="ID" selected>Indonesia<\/option>/);
    assert.deepEqual([...optionsOf(html, 'cityCode').keys()], [''], 'cities load when a province is chosen');
    assert.match(tagOf(html, 'cityCode')!, / disabled/);

    assert.match(html, new RegExp(`<section id="risk" data-version="${questionnaire2026v1.version}"`));
    for (const q of questionnaire2026v1.questions) {
      for (const o of q.options) assert.match(html, new RegExp(`<input type="radio" name="risk-${q.id}" id="risk-${q.id}-${o.value}" value="${o.value}" required>`));
    }
    for (const id of ['ktp', 'selfie']) assert.match(html, new RegExp(`<input id="${id}" name="${id}" type="file" accept="image/jpeg,image/png" required>`));
    for (const marker of ['<button type="button" id="send-code"', '<p id="otp-status"', '<input id="code"', '<button type="submit" id="submit"', '<p id="message"', '<section id="result"']) {
      assert.ok(html.includes(marker), marker);
    }
    assert.match(html, /<section id="result"[^>]* hidden>/);
  });

  it('runs under the strict CSP: its script parses, talks to its origin and the storage origin only', async () => {
    const { browser } = await openLink();
    const res = await browser.open();
    const csp = res.headers['content-security-policy']!;
    assert.match(csp, /^default-src 'none'; script-src 'sha256-[^']+'; style-src 'sha256-[^']+'; /);
    assert.ok(csp.includes(`connect-src 'self' ${new URL(storage.url()).origin};`), csp);
    const script = /<script>([\s\S]*)<\/script>/.exec(res.text)![1]!;
    assert.doesNotThrow(() => new Script(script), 'the page script is valid JavaScript');
    assert.doesNotMatch(res.text, /<script src|<link |https?:\/\/(?!www\.w3\.org)/, 'no external assets');
    assert.doesNotMatch(res.text, / on[a-z]+="/, 'no inline handlers (the CSP would refuse them)');
  });

  it('prefills only the name and contacts, escaped, and speaks English with ?lang=en', async () => {
    const { browser, draft } = await openLink({ fullname: 'Dewi "<b>" O’Neil' });
    const html = (await browser.open()).text;
    assert.ok(html.includes('value="Dewi &#34;&#60;b&#62;&#34; O’Neil"'), 'the name is escaped in the attribute');
    assert.ok(!html.includes('<b>'), 'no markup from data');
    assert.match(tagOf(html, 'email')!, new RegExp(`value="${draft.email!.replace(/[.+]/g, '\\$&')}"`));
    assert.match(tagOf(html, 'phone')!, new RegExp(`value="\\${draft.phone}"`));
    for (const id of ['nik', 'npwp', 'motherMaidenName', 'accountNumber', 'birthDate', 'addressLine']) assert.doesNotMatch(tagOf(html, id)!, / value=/, id);

    const en = (await browser.open('?lang=en')).text;
    assert.match(en, /<html lang="en">/);
    assert.ok(en.includes('Complete your investor registration'));
    assert.ok(en.includes(`>${kycOptions.occupation[0]!.label.en}<`));
    assert.ok(en.includes(questionnaire2026v1.questions[0]!.text.en));
  });

  it('never prints a rejected investor’s NIK, NPWP, account number or mother’s name', async () => {
    const { agent, admin } = await crmCompany();
    const body = individualBody();
    const { investor } = await submitIndividual(agent.accessToken, body);
    await decideInvestors(admin.accessToken, { ids: [investor.id], decision: 'REJECT', reason: 'KTP photo unreadable' }).expect(200);
    const link = await registrationLink(agent, events, investor.id);
    const html = (await new RegistrationBrowser(link.token).open()).text;
    assert.ok(html.includes('Pendaftaran Anda sebelumnya belum dapat disetujui'));
    for (const secret of [body.individual.nik, body.individual.npwp, body.bankAccounts[0]!.accountNumber, body.individual.motherMaidenName, body.individual.nik.slice(-4)]) {
      assert.ok(!html.includes(secret), `the page shows ${secret}`);
    }
    assert.match(tagOf(html, 'email')!, new RegExp(`value="${body.individual.email.replace(/[.+]/g, '\\$&')}"`));
  });

  it('shows the closed page once the investor is submitted or decided', async () => {
    const { agent, admin, draft, link, browser } = await openLink();
    assert.equal((await browser.open()).status, 200);
    const lead = (await crm().get('/crm/leads').set('Authorization', `Bearer ${agent.accessToken}`).expect(200)).body.items.find((l: { investorId: string }) => l.investorId === draft.id);
    await postInvestor(agent.accessToken, individualBody({ leadId: lead.id })).expect(201);
    for (const query of ['', '?lang=en']) {
      const closed = await browser.open(query);
      assert.equal(closed.status, 410);
      assert.ok(closed.text.includes('<section id="closed" data-reason="decided">'), closed.text);
    }
    await decideInvestors(admin.accessToken, { ids: [draft.id], decision: 'APPROVE' }).expect(200);
    assert.equal((await new RegistrationBrowser(link.token).open()).status, 410);
  });

  it('fetches cities and districts from the public locations route', async () => {
    const cities = await crm().get('/crm/locations').query({ level: 'city', parent: '31' }).expect(200);
    assert.ok(cities.body.items.some((c: { code: string }) => c.code === '31.71'));
    const districts = await crm().get('/crm/locations').query({ level: 'district', parent: '31.71' }).expect(200);
    assert.ok(districts.body.items.some((d: { code: string }) => d.code === '31.71.01'));
  });
});
