import { strict as assert } from 'node:assert';
import { newOpaqueToken } from '../../../shared/auth/opaque-token.js';
import { bearer, recordEvents } from '../../../test/support/auth.js';
import { crm, crmCompany, crmRows, fieldsOf, individualBody, postInvestor } from '../../../test/support/crm.js';
import { draftInvestor, jpeg, localStorageForSuite, RegistrationBrowser, registrationLink } from '../../../test/support/registration.js';
import { linkTeam, pendingInstruction } from '../../../test/support/instruction-links.js';

/** POST /crm/links/{token}/documents: the registration page's signed uploads of the KTP photo and the selfie. */

const ok = { kind: 'KTP', contentType: 'image/jpeg', size: 2048 };

describe('crm: registration page uploads', () => {
  const events = recordEvents();
  const storage = localStorageForSuite();

  async function opened() {
    const { agent } = await crmCompany();
    const draft = await draftInvestor(agent);
    const link = await registrationLink(agent, events, draft.id);
    const browser = new RegistrationBrowser(link.token);
    assert.equal((await browser.open()).status, 200);
    return { agent, draft, link, browser };
  }

  it('records the document with no user and grants a signed PUT that storage accepts', async () => {
    const { agent, draft, browser } = await opened();
    const bytes = jpeg(3000);
    const res = await browser.post('documents', { kind: 'SELFIE', contentType: 'image/jpeg', size: bytes.length }).expect(201);
    const { document, upload } = res.body;
    assert.equal(document.investorId, draft.id);
    assert.equal(document.kind, 'SELFIE');
    assert.equal(document.contentType, 'image/jpeg');
    assert.equal(document.size, 3000);
    assert.equal(document.status, 'PENDING_UPLOAD');
    assert.equal(document.createdBy, null, 'the investor is no user');
    assert.equal(upload.method, 'PUT');
    assert.ok(upload.url.startsWith(`${storage.url()}/_storage/investors/`), upload.url);
    assert.deepEqual(upload.headers, { 'content-type': 'image/jpeg', 'x-goog-content-length-range': '3000,3000' });
    assert.ok(Math.abs(Date.parse(upload.expiresAt) - (Date.now() + 15 * 60_000)) < 60_000);

    const put = await fetch(upload.url, { method: 'PUT', headers: upload.headers, body: new Uint8Array(bytes) });
    assert.equal(put.status, 200, await put.text());
    // The agent sees it among the investor's documents and can read it back.
    const listed = (await crm().get(`/crm/investors/${draft.id}/documents`).set(bearer(agent.accessToken)).expect(200)).body.items;
    assert.deepEqual(listed.map((d: { id: string }) => d.id), [document.id]);
    const read = await crm().get(`/crm/investors/${draft.id}/documents/${document.id}/download-url`).set(bearer(agent.accessToken)).expect(200);
    assert.deepEqual(Buffer.from(await (await fetch(read.body.url)).arrayBuffer()), bytes);
    const [trail] = await crmRows<{ actor_id: string | null; same_ip: boolean }>(
      `select actor_id, user_ip = $2::inet as same_ip from auth_user_action_log
        where entity = 'investor_document' and entity_id = $1::text and action_name = 'add'`,
      [document.id, browser.ip],
    );
    assert.deepEqual(trail, { actor_id: null, same_ip: true });
  });

  it('takes only a KTP or a selfie, as JPEG or PNG, of at most 10 MB', async () => {
    const { draft, browser } = await opened();
    const cases: Array<[object, string]> = [
      [{ ...ok, kind: 'NPWP' }, 'body.kind'],
      [{ ...ok, kind: 'DEED' }, 'body.kind'],
      [{ ...ok, contentType: 'application/pdf' }, 'body.contentType'],
      [{ ...ok, contentType: 'image/gif' }, 'body.contentType'],
      [{ ...ok, size: 0 }, 'body.size'],
      [{ ...ok, size: 10 * 1024 * 1024 + 1 }, 'body.size'],
      [{ ...ok, size: 1.5 }, 'body.size'],
      [{ kind: 'KTP', contentType: 'image/png' }, 'body.size'],
      [{ ...ok, investorId: draft.id }, 'body.investorId'],
    ];
    for (const [body, field] of cases) {
      const res = await browser.post('documents', body).expect(400);
      assert.ok(fieldsOf(res.body).includes(field), `${JSON.stringify(body)}: ${JSON.stringify(res.body.errors)}`);
    }
    await browser.post('documents', { kind: 'KTP', contentType: 'image/png', size: 10 * 1024 * 1024 }).expect(201);
    assert.equal((await crmRows(`select 1 from investor_document where investor_id = $1::uuid`, [draft.id])).length, 1);
  });

  it('needs the page’s session cookie and its CSRF token', async () => {
    const { draft, browser } = await opened();
    const noSession = await browser.post('documents', ok, { cookies: true, csrf: true }).expect(403);
    assert.equal(noSession.body.code, 'FORBIDDEN');
    const noToken = await browser.post('documents', ok, { csrf: true }).expect(403);
    assert.equal(noToken.body.code, 'CSRF_FAILED');
    const forged = await crm()
      .post(`/crm/links/${browser.token}/documents`)
      .set('Cookie', browser.cookieHeader())
      .set('X-CSRF-Token', `${browser.csrf!.slice(0, -2)}xx`)
      .send(ok)
      .expect(403);
    assert.equal(forged.body.code, 'CSRF_FAILED');
    const stranger = new RegistrationBrowser(browser.token);
    stranger.cookies.set('rmtools_csrf', browser.cookies.get('rmtools_csrf')!);
    stranger.csrf = browser.csrf;
    assert.equal((await stranger.post('documents', ok).expect(403)).body.code, 'FORBIDDEN', 'a CSRF token without the link session');
    assert.equal((await crmRows(`select 1 from investor_document where investor_id = $1::uuid`, [draft.id])).length, 0);
  });

  it('answers 404 for an unknown token or a signature link, 410 for a used or expired link, 409 once submitted', async () => {
    const { agent, draft, link, browser } = await opened();
    const unknown = new RegistrationBrowser(newOpaqueToken().token);
    for (const [k, v] of browser.cookies) unknown.cookies.set(k, v);
    unknown.csrf = browser.csrf;
    assert.equal((await unknown.post('documents', ok).expect(404)).body.code, 'NOT_FOUND');

    const team = await linkTeam();
    const signature = await pendingInstruction(team);
    const signing = new RegistrationBrowser(signature.token);
    assert.equal((await signing.open()).status, 200);
    assert.equal((await signing.post('documents', ok).expect(404)).body.code, 'NOT_FOUND');

    // The agent submits the draft meanwhile: nothing more to upload.
    const [lead] = await crmRows<{ id: string }>(`select id from lead where investor_id = $1::uuid`, [draft.id]);
    await postInvestor(agent.accessToken, individualBody({ leadId: Number(lead!.id) })).expect(201);
    const conflict = await browser.post('documents', ok).expect(409);
    assert.equal(conflict.body.code, 'CONFLICT');
    assert.equal(conflict.body.investorStatus, 'SUBMITTED');

    await crmRows(`update investor_token set expires_at = now() - interval '1 minute' where id = $1::bigint`, [link.tokenId]);
    assert.equal((await browser.post('documents', ok).expect(410)).body.code, 'LINK_EXPIRED');
    await crmRows(`update investor_token set used_at = now() where id = $1::bigint`, [link.tokenId]);
    assert.equal((await browser.post('documents', ok).expect(410)).body.code, 'LINK_USED');
  });

  it('grants at most 20 uploads per link an hour', async () => {
    const { browser } = await opened();
    for (let i = 0; i < 20; i++) await browser.post('documents', ok).expect(201);
    const limited = await browser.post('documents', ok).expect(429);
    assert.equal(limited.body.code, 'RATE_LIMITED');
    assert.ok(Number(limited.headers['retry-after']) > 0);
  });
});
