import { strict as assert } from 'node:assert';
import { newOpaqueToken } from '../../../shared/auth/opaque-token.js';
import { setObjectStorage, type ObjectStorage } from '../../../shared/storage/object-storage.js';
import { recordEvents } from '../../../test/support/auth.js';
import { crm, crmRows, fieldsOf } from '../../../test/support/crm.js';
import { browserWithCode, closeLink, LinkBrowser, linkTeam, newLink, pendingInstruction, useLocalStorage, withNewInvestor, type LinkTeam } from '../../../test/support/instruction-links.js';
import { pngBytes, pngDataUrl } from '../../../test/support/png.js';
import { linkSessionCookie } from '../links/link-session.js';

/** What PATCH /crm/instructions/signature refuses, and that a refusal leaves the instruction pending. */
describe('signatures: refused decisions', () => {
  recordEvents();
  const store = useLocalStorage();
  let team: LinkTeam;
  before(async () => {
    team = await linkTeam();
  });

  const approve = (token: string, code: string, over: object = {}) => ({ token, code, decision: 'APPROVE', signature: pngDataUrl(), ...over });
  const wrong = (code: string) => (code === '000000' ? '111111' : '000000');
  const state = async (link: { id: string; tokenId: number }) => {
    const [row] = await crmRows<{ status: string; used: boolean; evidence: boolean }>(
      `select i.status, t.used_at is not null as used, exists (select 1 from instruction_signature s where s.instruction_id = i.id) as evidence
         from instruction i join instruction_token t on t.instruction_id = i.id where t.id = $1::bigint`,
      [link.tokenId],
    );
    return row;
  };
  const untouched = { status: 'PENDING_SIGNATURE', used: false, evidence: false };

  it('counts wrong codes: attemptsLeft down to 1, then OTP_LOCKED, and the right code no longer works', async () => {
    const link = await pendingInstruction(await withNewInvestor(team));
    const { browser, code, ottId } = await browserWithCode(link);
    for (const attemptsLeft of [4, 3, 2, 1]) {
      const res = await browser.decide(approve(link.token, wrong(code))).expect(400);
      assert.deepEqual([res.body.code, res.body.attemptsLeft], ['OTP_INVALID', attemptsLeft]);
    }
    assert.equal((await browser.decide(approve(link.token, wrong(code))).expect(429)).body.code, 'OTP_LOCKED');
    assert.equal((await browser.decide(approve(link.token, code)).expect(429)).body.code, 'OTP_LOCKED');
    const [ott] = await crmRows<{ attempts: number; used_at: Date | null }>(`select attempts, used_at from auth_ott where id = $1::uuid`, [ottId]);
    assert.deepEqual(ott, { attempts: 5, used_at: null });
    assert.deepEqual(await state(link), untouched);
  });

  it('refuses the code sent to another browser (a forwarded link) without touching it; it still works where it was sent', async () => {
    const link = await pendingInstruction(await withNewInvestor(team));
    const { browser, code, ottId } = await browserWithCode(link);
    const forwarded = new LinkBrowser();
    await forwarded.open(link.token);
    for (let i = 0; i < 6; i++) {
      // This browser asked for no code: nothing to check against, and no try counted against the investor's.
      const res = await forwarded.decide(approve(link.token, code)).expect(410);
      assert.equal(res.body.code, 'OTP_EXPIRED');
    }
    const [ott] = await crmRows<{ attempts: number; used_at: Date | null }>(`select attempts, used_at from auth_ott where id = $1::uuid`, [ottId]);
    assert.deepEqual(ott, { attempts: 0, used_at: null });
    assert.deepEqual(await state(link), untouched);
    await browser.decide(approve(link.token, code)).expect(200);
  });

  it('answers 410 for a used, expired or replaced link, and for the link of a cancelled instruction', async () => {
    const cases: Array<['used' | 'expired' | 'revoked', string, string?]> = [['used', 'LINK_USED'], ['expired', 'LINK_EXPIRED'], ['revoked', 'LINK_EXPIRED']];
    for (const [closed, errorCode] of cases) {
      const link = await pendingInstruction(await withNewInvestor(team));
      const { browser, code } = await browserWithCode(link);
      await closeLink(link.tokenId, closed);
      assert.equal((await browser.decide(approve(link.token, code)).expect(410)).body.code, errorCode, closed);
    }
    // As the RM's cancel leaves it: cancelled, and its link revoked.
    const link = await pendingInstruction(await withNewInvestor(team));
    const { browser, code } = await browserWithCode(link);
    await crmRows(`update instruction set status = 'CANCELLED', cancelled_at = now() where id = $1::uuid`, [link.id]);
    await closeLink(link.tokenId, 'revoked');
    const res = await browser.decide(approve(link.token, code)).expect(410);
    assert.equal(res.body.code, 'LINK_EXPIRED');
    assert.match(res.body.detail, /cancelled/);
  });

  it('answers 409 for an instruction no longer pending behind a live link, and spends nothing', async () => {
    const link = await pendingInstruction(await withNewInvestor(team));
    const { browser, code } = await browserWithCode(link);
    await crmRows(`update instruction set status = 'CANCELLED', cancelled_at = now() where id = $1::uuid`, [link.id]);
    const res = await browser.decide(approve(link.token, code)).expect(409);
    assert.deepEqual([res.body.code, res.body.instructionStatus], ['CONFLICT', 'CANCELLED']);
    const [row] = await crmRows<{ used: boolean }>(`select used_at is not null as used from instruction_token where id = $1::bigint`, [link.tokenId]);
    assert.equal(row!.used, false);
  });

  it('answers 409 when the instruction changed since the page showed it; the code still works with the new hash', async () => {
    const link = await pendingInstruction(await withNewInvestor(team));
    const { browser, code } = await browserWithCode(link);
    const shown = /id="document-hash" class="hash">([0-9a-f]{64})</.exec((await browser.open(link.token)).text)![1]!;
    await crmRows(`update instruction set amount = 2500000 where id = $1::uuid`, [link.id]);
    const res = await browser.decide(approve(link.token, code, { documentHash: shown })).expect(409);
    assert.equal(res.body.code, 'CONFLICT');
    assert.match(res.body.documentHash, /^[0-9a-f]{64}$/);
    assert.notEqual(res.body.documentHash, shown);
    assert.deepEqual(await state(link), untouched);
    const ok = await browser.decide(approve(link.token, code, { documentHash: res.body.documentHash })).expect(200);
    assert.equal(ok.body.documentHash, res.body.documentHash);
  });

  it('refuses a bad body with 400 on its field, before any code is counted', async () => {
    const link = await pendingInstruction(await withNewInvestor(team));
    const { browser, code, ottId } = await browserWithCode(link);
    const jpeg = `data:image/png;base64,${Buffer.from([0xff, 0xd8, 0xff, 0xe0, ...new Array(40).fill(0)]).toString('base64')}`;
    const cases: Array<[object, string]> = [
      [approve(link.token, code, { signature: undefined }), 'body.signature'],
      [approve(link.token, code, { signature: jpeg }), 'body.signature'],
      [approve(link.token, code, { signature: pngDataUrl(pngBytes(8, 8)) }), 'body.signature'],
      [approve(link.token, code, { signature: `data:image/svg+xml;base64,${Buffer.from('<svg/>').toString('base64')}` }), 'body.signature'],
      [approve(link.token, code, { signature: `data:image/png;base64,${'A'.repeat(420_000)}` }), 'body.signature'],
      [approve(link.token, code, { reason: 'why not' }), 'body.reason'],
      [{ token: link.token, code, decision: 'REJECT' }, 'body.reason'],
      [{ token: link.token, code, decision: 'REJECT', reason: ' no ' }, 'body.reason'],
      [{ token: link.token, code, decision: 'REJECT', reason: 'x'.repeat(501) }, 'body.reason'],
      [{ token: link.token, code, decision: 'REJECT', reason: 'Bukan saya', signature: pngDataUrl() }, 'body.signature'],
      [approve(link.token, code.slice(1)), 'body.code'],
      [approve(link.token, code, { decision: 'MAYBE' }), 'body.decision'],
      [approve(link.token, code, { documentHash: 'A'.repeat(64) }), 'body.documentHash'],
      [approve(link.token, code, { ack: true }), 'body.ack'],
      [approve('', code), 'body.token'],
    ];
    for (const [body, field] of cases) {
      const res = await browser.decide(body).expect(400);
      assert.equal(res.body.code, 'VALIDATION_FAILED');
      assert.ok(fieldsOf(res.body).includes(field), `${field}: ${JSON.stringify(res.body.errors)}`);
    }
    const [ott] = await crmRows<{ attempts: number }>(`select attempts from auth_ott where id = $1::uuid`, [ottId]);
    assert.equal(ott!.attempts, 0);
    assert.deepEqual(await state(link), untouched);
  });

  it('answers 404 for an unknown token or a remote registration link, 403 without the session or the CSRF token', async () => {
    const link = await pendingInstruction(await withNewInvestor(team));
    const { browser, code } = await browserWithCode(link);
    const registration = await newLink(team.company.id, 'investor', team.investor.id);
    for (const token of [newOpaqueToken().token, registration.token, 'not-a-token']) {
      assert.equal((await browser.decide(approve(token, code)).expect(404)).body.code, 'NOT_FOUND');
    }
    const noCsrf = Object.assign(new LinkBrowser(), { cookies: browser.cookies });
    assert.equal((await noCsrf.decide(approve(link.token, code)).expect(403)).body.code, 'CSRF_FAILED');
    const noSession = Object.assign(new LinkBrowser(), { cookies: new Map(browser.cookies), csrf: browser.csrf });
    noSession.cookies.delete(linkSessionCookie);
    assert.equal((await noSession.decide(approve(link.token, code)).expect(403)).body.code, 'FORBIDDEN');
    assert.equal((await crm().patch('/crm/instructions/signature').send(approve(link.token, code)).expect(403)).body.code, 'FORBIDDEN');
    assert.deepEqual(await state(link), untouched);
  });

  it('limits each address to 60 decisions an hour', async () => {
    const browser = new LinkBrowser();
    const body = approve(newOpaqueToken().token, '123456');
    // Counted before anything else is looked at (here: no session, 403).
    for (let i = 0; i < 60; i++) await browser.decide(body).expect(403);
    const res = await browser.decide(body).expect(429);
    assert.equal(res.body.code, 'RATE_LIMITED');
    assert.ok(Number(res.headers['retry-after']) > 0);
  });

  it('rolls the decision back when the signature cannot be stored; the code still works afterwards', async () => {
    const link = await pendingInstruction(await withNewInvestor(team));
    const { browser, code } = await browserWithCode(link);
    const failing: ObjectStorage = { ...store.storage(), put: () => Promise.reject(new Error('storage down (simulated)')) };
    setObjectStorage(failing);
    try {
      assert.equal((await browser.decide(approve(link.token, code)).expect(500)).body.code, 'INTERNAL');
    } finally {
      setObjectStorage(store.storage());
    }
    assert.deepEqual(await state(link), untouched);
    await browser.decide(approve(link.token, code)).expect(200);
    assert.deepEqual(await state(link), { status: 'SIGNED', used: true, evidence: true });
  });
});
