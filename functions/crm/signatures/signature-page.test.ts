import { strict as assert } from 'node:assert';
import { withTransaction } from '../../../shared/db/tx.js';
import { recordEvents } from '../../../test/support/auth.js';
import { crm, crmRows } from '../../../test/support/crm.js';
import { closeLink, linkTeam, pendingInstruction, type LinkTeam } from '../../../test/support/instruction-links.js';
import { suitabilityStatement } from '../instructions/suitability-statement.js';
import { loadSignatureDocument } from './signature-document.js';

/** GET /crm/links/{token} of a signature link: the instruction as it will be signed, and the signing controls. */
describe('signatures: the signing page', () => {
  recordEvents();
  let team: LinkTeam;
  before(async () => {
    team = await linkTeam();
  });

  const page = (token: string, lang?: 'en') => crm().get(`/crm/links/${token}${lang ? '?lang=en' : ''}`);
  const hashOf = async (id: string) => (await withTransaction({ companyIds: [team.company.id] }, (tx) => loadSignatureDocument(tx, id)))!.hash;
  const ids = (html: string) => [...html.matchAll(/ id="([^"]+)"/g)].map((m) => m[1]);

  it('shows the instruction, its fingerprint and every control of the contract, in Indonesian', async () => {
    const link = await pendingInstruction(team, { amount: '1500000.00', feePct: '1.50' });
    const res = await page(link.token).expect(200);
    const html = res.text;
    assert.match(html, /<html lang="id">/);
    for (const id of ['instruction', 'document-hash', 'send-code', 'otp-status', 'code', 'signature-pad', 'clear-signature', 'approve', 'reject-reason', 'reject', 'message']) {
      assert.ok(ids(html).includes(id), `#${id}`);
    }
    assert.ok(!ids(html).includes('suitability') && !ids(html).includes('ack'), 'no risk statement for a suitable product');
    assert.ok(html.includes(`<p id="document-hash" class="hash">${await hashOf(link.id)}</p>`));
    const section = /<section id="instruction"[\s\S]*?<\/section>/.exec(html)![0];
    for (const text of ['<dl>', 'Budi Santoso', 'Pembelian', 'Dana Kas Likuid (MMF-KAS)', 'Rp 1.500.000,00', '1,50% (perkiraan Rp 22.500,00)', 'Konservatif', 'Test User', 'WIB']) {
      assert.ok(section.includes(text), text);
    }
    assert.match(html, /<input id="code" name="code" type="text" inputmode="numeric" autocomplete="one-time-code" pattern="\[0-9\]\{6\}"/);
    assert.ok(!ids(html).includes('result'), 'the script adds #result once a decision is recorded');
    assert.ok(html.includes("res.id='result';res.setAttribute('data-status',b.status)"));
    assert.match(html, /<canvas id="signature-pad"/);
    assert.match(html, /#signature-pad\{[^}]*touch-action:none/);
    assert.match(html, /addEventListener\('pointerdown'/);
    assert.ok(html.includes("toDataURL('image/png')"));
  });

  it('speaks English with ?lang=en', async () => {
    const link = await pendingInstruction(team, { amount: '1500000.00', feePct: '1.50' });
    const html = (await page(link.token, 'en').expect(200)).text;
    assert.match(html, /<html lang="en">/);
    for (const text of ['Subscription', 'Rp 1,500,000.00', '1.50% (about Rp 22,500.00)', 'Conservative', 'Approve and sign', 'Send code']) assert.ok(html.includes(text), text);
  });

  it('asks for the risk statement’s acknowledgement when the product is above the profile', async () => {
    const acknowledgement = { statement: { id: suitabilityStatement.id, en: suitabilityStatement.en }, version: suitabilityStatement.version, recordedBy: team.agent.id, recordedAt: new Date().toISOString() };
    const link = await pendingInstruction(team, {
      productCode: 'EQF-SAHAM',
      suitability: { productRiskLevel: 4, investorRiskProfile: 'CONSERVATIVE', maxRiskLevel: 2, suitable: false, acknowledgement },
    });
    for (const [lang, statement] of [[undefined, suitabilityStatement.id], ['en', suitabilityStatement.en]] as const) {
      const html = (await page(link.token, lang).expect(200)).text;
      const section = /<section id="suitability">[\s\S]*?<\/section>/.exec(html)?.[0] ?? '';
      assert.ok(section.includes(statement), lang ?? 'id');
      assert.match(section, /<input type="checkbox" id="ack" required>/);
    }
  });

  it('shows a redemption’s account by bank and last four digits, and a switch’s target product', async () => {
    const [account] = await crmRows<{ account_number_last4: string }>(`select account_number_last4 from investor_bank_account where id = $1::bigint`, [team.investor.bankAccountId]);
    const redemption = await pendingInstruction(team, { type: 'REDEMPTION', amount: null, units: '10.5000', bankAccountId: team.investor.bankAccountId });
    const html = (await page(redemption.token).expect(200)).text;
    assert.ok(html.includes(`PT Bank Central Asia Tbk •••• ${account!.account_number_last4}`));
    assert.ok(html.includes('<dd>10,5000</dd>'));
    const switching = await pendingInstruction(team, { type: 'SWITCHING', productCode: 'BAL-SEIMBANG', targetProductCode: 'EQF-SAHAM' });
    assert.match((await page(switching.token).expect(200)).text, /Dari produk<\/dt><dd>Dana Seimbang Dinamis[\s\S]*Ke produk<\/dt><dd>Dana Saham Unggulan/);
  });

  it('escapes every value it shows', async () => {
    const own = await linkTeam();
    const evil = '<img src=x onerror=alert(1)>"\'&';
    await crmRows(`update investor set full_name = $2::text where id = $1::uuid`, [own.investor.id, evil]);
    await crmRows(`update auth_user set fullname = $2::text where id = $1::bigint`, [own.agent.id, evil]);
    const html = (await page((await pendingInstruction(own)).token).expect(200)).text;
    assert.ok(!html.includes('<img'), 'no markup from data');
    assert.equal(html.split('&#60;img src=x onerror=alert(1)&#62;&#34;&#39;&#38;').length - 1, 2);
  });

  it('shows the closed page of a cancelled, expired or decided instruction', async () => {
    const cases: Array<[string, string, 'open' | 'revoked' | 'expired']> = [
      [`status = 'CANCELLED', cancelled_at = now()`, 'cancelled', 'open'],
      // As the RM's cancel leaves it: the link revoked too. The investor reads "cancelled", not "replaced".
      [`status = 'CANCELLED', cancelled_at = now()`, 'cancelled', 'revoked'],
      [`status = 'EXPIRED'`, 'expired', 'open'],
      [`status = 'EXPIRED', link_expires_at = now()`, 'expired', 'expired'],
      [`status = 'SIGNED', signed_at = now()`, 'decided', 'open'],
      [`status = 'REJECTED_BY_INVESTOR', investor_reason = 'no'`, 'decided', 'revoked'],
    ];
    for (const [set, reason, linkState] of cases) {
      const link = await pendingInstruction(team);
      await crmRows(`update instruction set ${set} where id = $1::uuid`, [link.id]);
      if (linkState !== 'open') await closeLink(link.tokenId, linkState);
      const res = await page(link.token);
      assert.equal(res.status, 410, `${set} ${linkState}`);
      assert.ok(res.text.includes(`data-reason="${reason}"`), `${set} ${linkState}: ${/data-reason="(\w+)"/.exec(res.text)?.[1]}`);
      assert.equal(res.headers['set-cookie'], undefined);
    }
    // A link replaced by a newer one of a pending instruction stays "replaced".
    const replaced = await pendingInstruction(team);
    await closeLink(replaced.tokenId, 'revoked');
    assert.ok((await page(replaced.token).expect(410)).text.includes('data-reason="revoked"'));
  });
});
