import { strict as assert } from 'node:assert';
import type { Page } from 'playwright-core';
import { individualBody, riskAnswers } from '../support/crm.js';
import { pngBytes } from '../support/png.js';
import { assertCleanPage, describeInBrowser, screenshot } from './support/browser.js';
import { codeSentToAny, demoTeam, draftInvestor, open, remoteRegistrationLink, type Agent } from './support/scenario.js';

/**
 * Remote registration: the agent converts a lead to a DRAFT investor and emails the registration link; the
 * investor fills in the KYC form on a phone (the address selects load their children as the parent
 * changes), uploads a KTP photo and a selfie, answers the risk questions, confirms with the code and submits.
 * The investor is then SUBMITTED in the admin's review queue, and the link has been used.
 */
describeInBrowser('Investor pages in Chromium: remote registration', (h) => {
  let admin: string;
  let agent: Agent;

  before(async () => {
    ({ admin, agent } = await demoTeam(h.client));
  });

  /** The element's tag and type, and whether it can be edited ('' when absent). */
  async function describeField(page: Page, id: string): Promise<{ tag: string; type: string; editable: boolean } | undefined> {
    const found = (await page.evaluate(`(() => {
      const el = document.getElementById(${JSON.stringify(id)});
      return el ? { tag: el.tagName.toLowerCase(), type: (el.type || '').toLowerCase(), editable: !el.disabled && !el.readOnly } : null;
    })()`)) as { tag: string; type: string; editable: boolean } | null;
    return found ?? undefined;
  }

  /**
   * Sets a form field by id. A select waits for the option (a city or district list loads, and is enabled,
   * after its parent changes); a text field the page filled in from the lead and locked is left as it is.
   */
  async function setField(page: Page, id: string, ...values: string[]): Promise<void> {
    const field = await describeField(page, id);
    assert.ok(field, `the form has no #${id}`);
    if (field.tag === 'select') {
      await page.waitForSelector(values.map((v) => `#${id} option[value="${v}"]`).join(', '), { state: 'attached' });
      for (const v of values) {
        if ((await page.locator(`#${id} option[value="${v}"]`).count()) > 0) {
          await page.selectOption(`#${id}`, v);
          return;
        }
      }
    }
    if (!field.editable) return;
    await page.fill(`#${id}`, values[0]!);
  }

  it('remote-registration: the form with KTP, selfie, risk answers and the code → SUBMITTED in the admin’s queue', async () => {
    const investor = await draftInvestor(h.client, agent);
    const link = await remoteRegistrationLink(h.client, agent, investor);
    const { page, problems } = await h.newPage(await h.newContext());
    assert.equal(await open(page, link), 200);
    await page.locator('form#registration').waitFor();
    await screenshot(page, 'remote-registration', '1-open');

    const kyc = individualBody({ fullName: investor.fullName, gender: 'FEMALE' }).individual;
    const bank = { bankCode: '014', accountNumber: String(Date.now()).slice(-10), accountHolderName: investor.fullName.toUpperCase() };
    const fields: Array<[string, ...string[]]> = [
      ['fullName', kyc.fullName],
      ['nik', kyc.nik],
      ['npwp', kyc.npwp],
      ['birthPlace', kyc.birthPlace],
      ['birthDate', kyc.birthDate],
      ['gender', kyc.gender, 'FEMALE'],
      ['motherMaidenName', kyc.motherMaidenName],
      ['nationality', kyc.nationality],
      ['religion', kyc.religion],
      ['maritalStatus', kyc.maritalStatus],
      ['education', kyc.education],
      ['occupation', kyc.occupation],
      ['employer', kyc.employer],
      ['annualIncome', kyc.annualIncome],
      ['sourceOfFunds', kyc.sourceOfFunds],
      ['investmentObjective', kyc.investmentObjective],
      ['email', investor.email],
      ['phone', investor.phone],
      ['addressLine', kyc.address.line],
      ['provinceCode', kyc.address.provinceCode],
      ['cityCode', kyc.address.cityCode],
      ['districtCode', kyc.address.districtCode],
      ['postalCode', kyc.address.postalCode],
      ['bankCode', bank.bankCode],
      ['accountNumber', bank.accountNumber],
      ['accountHolderName', bank.accountHolderName],
    ];
    for (const [id, ...values] of fields) await setField(page, id, ...values);
    for (const { questionId, value } of riskAnswers('low').answers) await page.check(`input[name="risk-${questionId}"][value="${value}"]`);
    await page.setInputFiles('#ktp', { name: 'ktp.png', mimeType: 'image/png', buffer: pngBytes(320, 200, [40, 110, 180]) });
    await page.setInputFiles('#selfie', { name: 'selfie.png', mimeType: 'image/png', buffer: pngBytes(200, 240, [200, 160, 120]) });
    await screenshot(page, 'remote-registration', '2-filled');

    const since = new Date().toISOString();
    await page.click('#send-code');
    await page.locator('#otp-status').filter({ hasText: /\S/ }).waitFor();
    await page.fill('#code', await codeSentToAny(h.client, [investor.phone, investor.email], since));
    await screenshot(page, 'remote-registration', '3-code-sent');

    await page.click('#submit');
    await page.locator('#result[data-status="SUBMITTED"], #message.err').first().waitFor({ timeout: 30_000 });
    if ((await page.locator('#result[data-status="SUBMITTED"]').count()) === 0) {
      await screenshot(page, 'remote-registration', '4-refused');
      assert.fail(`the form was refused: ${await page.locator('#message').innerText()}`);
    }
    await screenshot(page, 'remote-registration', '4-submitted');
    assertCleanPage(problems);

    const queue = await h.client.call('GET', '/crm/investors?status=SUBMITTED&limit=100', undefined, admin);
    const mine = (queue.body.items as Array<{ id: string; status: string }>).find((i) => i.id === investor.id);
    assert.equal(mine?.status, 'SUBMITTED', JSON.stringify(queue.body));

    const again = await h.newPage(await h.newContext());
    assert.equal(await open(again.page, link), 410);
    await again.page.locator('#closed[data-reason="used"], #closed[data-reason="decided"]').waitFor();
    await screenshot(again.page, 'remote-registration', '5-link-used');
    assertCleanPage(again.problems);
  });
});
