import { strict as assert } from 'node:assert';
import type { Page } from 'playwright-core';
import { assertCleanPage, describeInBrowser, screenshot } from './support/browser.js';
import {
  approvedInvestor,
  codeSentToAny,
  drawSignature,
  emailedLink,
  expireInstructionLink,
  instructionStatus,
  instructionWithLink,
  demoTeam,
  open,
  waitForNotification,
  type Agent,
  type Investor,
} from './support/scenario.js';

/**
 * The signing page of an instruction link, as the investor uses it on a phone: the link from the email in
 * the local sink, the code by SMS (read from the sink), a signature drawn with the pointer, then approve or
 * reject. The decision reaches the instruction and the RM's inbox; a used, expired or forwarded link refuses.
 */
describeInBrowser('Investor pages in Chromium: signing an instruction', (h) => {
  let admin: string;
  let agent: Agent;

  before(async () => {
    ({ admin, agent } = await demoTeam(h.client));
  });

  async function pendingInstruction(): Promise<{ investor: Investor; id: string; link: string }> {
    const investor = await approvedInvestor(h.client, agent, admin);
    const { instruction, link } = await instructionWithLink(h.client, agent, investor);
    return { investor, id: instruction.id as string, link };
  }

  /** Opens the signing page and checks what it shows before anything is done. */
  async function openSigningPage(page: Page, link: string): Promise<void> {
    assert.equal(await open(page, link), 200);
    await page.locator('#instruction').waitFor();
    assert.equal(await page.getAttribute('html', 'lang'), 'id');
    assert.match(await page.locator('#instruction').innerText(), /Dana Kas Likuid|MMF-KAS/);
    assert.match(await page.locator('#document-hash').innerText(), /[0-9a-f]{64}/i);
    assert.equal(await page.locator('#ack').count(), 0, 'no risk acknowledgement for a product that suits the investor');
  }

  /** Presses "send code", waits for the page to say where it went, and reads the code from the sink. */
  async function requestCode(page: Page, investor: Investor): Promise<string> {
    const since = new Date().toISOString();
    await page.click('#send-code');
    await page.locator('#otp-status').filter({ hasText: /\S/ }).waitFor();
    assert.doesNotMatch(await page.locator('#otp-status').getAttribute('class') ?? '', /\berr\b/, await page.locator('#otp-status').innerText());
    return codeSentToAny(h.client, [investor.phone, investor.email], since);
  }

  it('sign-approve: the emailed link, the SMS code, a drawn signature, approve → SIGNED, and the RM is notified', async () => {
    const { investor, id, link } = await pendingInstruction();
    const { page, problems } = await h.newPage(await h.newContext());
    await openSigningPage(page, link);
    await screenshot(page, 'sign-approve', '1-open');

    const code = await requestCode(page, investor);
    await screenshot(page, 'sign-approve', '2-code-sent');
    await page.fill('#code', code);
    // No signature yet, then one drawn and cleared: the page asks for it and sends nothing.
    await page.click('#approve');
    await page.locator('#message.err').filter({ hasText: /tanda tangan/i }).waitFor();
    await drawSignature(page);
    await page.click('#clear-signature');
    await page.click('#approve');
    await page.locator('#message.err').filter({ hasText: /tanda tangan/i }).waitFor();
    assert.equal(await page.locator('#result').count(), 0);
    await drawSignature(page);
    await screenshot(page, 'sign-approve', '3-signed');

    await page.click('#approve');
    await page.locator('#result[data-status="SIGNED"]').waitFor();
    await screenshot(page, 'sign-approve', '4-approved');
    assertCleanPage(problems);

    assert.equal(await instructionStatus(h.client, agent, id), 'SIGNED');
    const note = await waitForNotification(h.client, agent, 'INSTRUCTION_SIGNED');
    assert.match(JSON.stringify(note), new RegExp(id));

    // The link works once: opened again, it says so.
    const again = await h.newPage(await h.newContext());
    assert.equal(await open(again.page, link), 410);
    await again.page.locator('#closed[data-reason="used"], #closed[data-reason="decided"]').waitFor();
    await screenshot(again.page, 'sign-approve', '5-link-used');
    assertCleanPage(again.problems);
  });

  it('sign-reject: the investor, in English, rejects with a reason → REJECTED_BY_INVESTOR, the reason recorded, the RM notified', async () => {
    const { investor, id, link } = await pendingInstruction();
    const { page, problems } = await h.newPage(await h.newContext());
    await openSigningPage(page, link);
    // This investor reads English: the switch keeps the link and the browser's session.
    await page.click('#lang-switch');
    await page.locator('html[lang="en"] #instruction').waitFor();
    assert.match(await page.locator('h1').first().innerText(), /Approve your transaction/);
    await screenshot(page, 'sign-reject', '1-open-en');

    const code = await requestCode(page, investor);
    await page.fill('#code', code);
    const reason = 'I do not recognise this transaction';
    await page.fill('#reject-reason', reason);
    await screenshot(page, 'sign-reject', '2-reason');
    await page.click('#reject');
    await page.locator('#result[data-status="REJECTED_BY_INVESTOR"]').waitFor();
    await screenshot(page, 'sign-reject', '3-rejected');
    assertCleanPage(problems);

    const res = await h.client.call('GET', `/crm/instructions/${id}`, undefined, agent.token);
    assert.equal(res.body.status, 'REJECTED_BY_INVESTOR');
    assert.equal(res.body.investorReason, reason);
    await waitForNotification(h.client, agent, 'INSTRUCTION_REJECTED_BY_INVESTOR');
  });

  it('sign-risk-ack: a product above the investor’s profile needs the risk statement ticked before approving', async () => {
    const investor = await approvedInvestor(h.client, agent, admin); // the cautious answers: CONSERVATIVE
    const since = new Date().toISOString();
    const created = await h.client.call(
      'POST',
      '/crm/instructions',
      { investorId: investor.id, type: 'SUBSCRIPTION', productCode: 'EQF-SAHAM', amount: '1000000', riskAcknowledged: true },
      agent.token,
    );
    assert.equal(created.status, 201, JSON.stringify(created.body));
    const link = await emailedLink(h.client, investor.email, since);
    const { page, problems } = await h.newPage(await h.newContext());
    assert.equal(await open(page, link), 200);
    await page.locator('#suitability #ack').waitFor();
    assert.match(await page.locator('#instruction').innerText(), /EQF-SAHAM/);
    await screenshot(page, 'sign-risk-ack', '1-open');

    await page.fill('#code', await requestCode(page, investor));
    await drawSignature(page);
    await page.click('#approve');
    await page.locator('#message.err').filter({ hasText: /\S/ }).waitFor();
    assert.equal(await page.locator('#result').count(), 0, 'approved without the risk statement ticked');
    await screenshot(page, 'sign-risk-ack', '2-needs-ack');

    await page.check('#ack');
    await page.click('#approve');
    await page.locator('#result[data-status="SIGNED"]').waitFor();
    await screenshot(page, 'sign-risk-ack', '3-approved');
    assertCleanPage(problems);
    assert.equal(await instructionStatus(h.client, agent, created.body.id as string), 'SIGNED');
  });

  it('expired link: the page says the link expired (410), in Indonesian and English', async () => {
    const { id, link } = await pendingInstruction();
    await expireInstructionLink(id);
    const { page, problems } = await h.newPage(await h.newContext());
    assert.equal(await open(page, link), 410);
    await page.locator('#closed[data-reason="expired"]').waitFor();
    assert.match(await page.locator('#closed h1').innerText(), /kedaluwarsa/i);
    await screenshot(page, 'expired-link', '1-id');
    await page.click('#lang-switch');
    await page.locator('html[lang="en"] #closed[data-reason="expired"]').waitFor();
    await screenshot(page, 'expired-link', '2-en');
    assertCleanPage(problems);
  });

  it('forwarded link: a browser without the session cookie cannot use the code sent to the first one, which still can', async () => {
    const { investor, id, link } = await pendingInstruction();
    const a = await h.newPage(await h.newContext());
    await openSigningPage(a.page, link);
    const code = await requestCode(a.page, investor);
    await screenshot(a.page, 'forwarded-link', '1-first-browser-code-sent');

    // The same link forwarded to someone else: a fresh browser, none of the first one's cookies.
    const b = await h.newPage(await h.newContext());
    await openSigningPage(b.page, link);
    await b.page.fill('#code', code);
    await drawSignature(b.page);
    await b.page.click('#approve');
    await b.page.locator('#message.err').filter({ hasText: /\S/ }).waitFor();
    assert.equal(await b.page.locator('#result').count(), 0, 'the forwarded browser got a result');
    await screenshot(b.page, 'forwarded-link', '2-second-browser-refused');
    assert.equal(await instructionStatus(h.client, agent, id), 'PENDING_SIGNATURE');

    // The investor, in the browser that asked for the code, still signs with it.
    await a.page.fill('#code', code);
    await drawSignature(a.page);
    await a.page.click('#approve');
    await a.page.locator('#result[data-status="SIGNED"]').waitFor();
    await screenshot(a.page, 'forwarded-link', '3-first-browser-signed');
    assert.equal(await instructionStatus(h.client, agent, id), 'SIGNED');
    assertCleanPage(a.problems);
    // The refusal is the server's answer to the forwarded browser's approve (4xx), nothing else.
    assertCleanPage(b.problems, /^(POST|PUT|PATCH) \/crm\/[^ ]+ → 4\d\d$/);
    assert.ok(b.problems.httpErrors.length > 0, 'the approve reached the server and was refused there');
  });
});
