import { strict as assert } from 'node:assert';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { uniqueContact } from '../support/users.js';
import { spawnLocalStack, type LocalStackProcess } from '../support/local-stack.js';

/**
 * The auth issue's scripted scenario, through `npm start` as a client sees it: the local gateway (with its
 * JWT check), the functions, the outbox delivering to notify, and codes read from the local sink.
 */
describe('auth scenario through npm start', function () {
  this.timeout(120_000);
  let stack: LocalStackProcess;
  before(async () => {
    stack = await spawnLocalStack();
  });
  after(() => stack.kill());

  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- response bodies of many shapes; the assertions check them
  async function call(method: string, path: string, body?: unknown, token?: string): Promise<{ status: number; body: Record<string, any> }> {
    const res = await fetch(`${stack.baseUrl}${path}`, {
      method,
      headers: { ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    return { status: res.status, body: text ? JSON.parse(text) : {} };
  }

  async function demoCredentials() {
    return JSON.parse(await readFile(fileURLToPath(new URL('../../.data/demo-credentials.json', import.meta.url)), 'utf8'));
  }

  /** The newest code sent to `to` after `since`, from GET /_dev/messages (what a developer reads at /_dev/mail). */
  async function codeSentTo(to: string, since: string): Promise<string> {
    const deadline = Date.now() + 10_000;
    while (Date.now() < deadline) {
      const { body } = await call('GET', `/_dev/messages?to=${encodeURIComponent(to)}&since=${encodeURIComponent(since)}`);
      const text = (body.items as Array<{ text: string }>)[0]?.text;
      const code = text && /\b(\d{6})\b/.exec(text)?.[1];
      if (code) return code;
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error(`No code reached ${to}`);
  }

  /** The newest message to `to` after `since` whose text matches, from GET /_dev/messages. */
  async function messageTo(to: string, since: string, match: RegExp): Promise<{ text: string; links: string[] }> {
    const deadline = Date.now() + 10_000;
    while (Date.now() < deadline) {
      const { body } = await call('GET', `/_dev/messages?to=${encodeURIComponent(to)}&since=${encodeURIComponent(since)}`);
      const found = (body.items as Array<{ text: string; links: string[] }>).find((m) => match.test(m.text));
      if (found) return found;
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error(`No message matching ${match} reached ${to}`);
  }

  /** The demo admin signs in from a new browser (the code comes by email) and gets an access token. */
  async function adminToken(): Promise<string> {
    const creds = await demoCredentials();
    const since = new Date().toISOString();
    const browser = `browser-${Date.now()}-${Math.random()}`;
    const challenge = await call('POST', '/auth/login', { identifier: creds.admin.email, password: creds.admin.password, deviceId: browser, platform: 'WEB' });
    const tokens = await call('POST', '/auth/verify-otp', { ottId: challenge.body.otp.ottId, code: await codeSentTo(creds.admin.email, since), deviceId: browser });
    return tokens.body.accessToken as string;
  }

  it('register → OTP → approve → new device → refresh → reuse detected → change password → reset → logout', async () => {
    const demo = { id: (await demoCredentials()).admin.companyId as number };
    const { email, phone } = uniqueContact();
    const password = 'nasi goreng kambing pedas';

    let since = new Date().toISOString();
    const reg = await call('POST', '/auth/register', { companyId: demo.id, fullname: 'Rina Wijaya', email, phone, password, deviceId: 'rina-phone-a', platform: 'ANDROID' });
    assert.equal(reg.status, 201);
    const verified = await call('POST', '/auth/verify-otp', { ottId: reg.body.otp.ottId, code: await codeSentTo(phone, since) });
    assert.deepEqual(verified.body, { status: 'PENDING_APPROVAL' });
    assert.equal((await call('POST', '/auth/login', { identifier: email, password, deviceId: 'rina-phone-a' })).body.code, 'ACCOUNT_PENDING_APPROVAL');

    // The admin approves through /idty: first the agent's WAPERD licence, which approval requires.
    const admin = await adminToken();
    const agentUrl = `/idty/users/${reg.body.userId as number}`;
    assert.equal((await call('PATCH', `${agentUrl}/approveOrReject`, { decision: 'APPROVE' }, admin)).body.code, 'LICENCE_REQUIRED');
    const licence = { number: 'KEP-0107/PM.211/WPPE/2026', expiresOn: '2029-06-30' };
    assert.equal((await call('PUT', agentUrl, { licence }, admin)).status, 200);
    since = new Date().toISOString();
    const approved = await call('PATCH', `${agentUrl}/approveOrReject`, { decision: 'APPROVE' }, admin);
    assert.equal(approved.status, 200);
    assert.equal(approved.body.status, 'ACTIVE');
    assert.deepEqual(approved.body.licence, { ...licence, expired: false });
    await messageTo(email, since, /disetujui|approved/);

    since = new Date().toISOString();
    const challenge = await call('POST', '/auth/login', { identifier: phone, password, deviceId: 'rina-phone-b' });
    assert.equal(challenge.status, 202);
    assert.equal(challenge.body.challenge, 'NEW_DEVICE');
    const first = await call('POST', '/auth/verify-otp', { ottId: challenge.body.otp.ottId, code: await codeSentTo(phone, since), deviceId: 'rina-phone-b' });
    assert.equal(first.status, 200);
    assert.equal((await call('GET', '/auth/me', undefined, first.body.accessToken)).body.email, email);

    const second = await call('POST', '/auth/refresh-token', { refreshToken: first.body.refreshToken });
    assert.equal(second.status, 200);
    const reuse = await call('POST', '/auth/refresh-token', { refreshToken: first.body.refreshToken });
    assert.equal(reuse.body.code, 'REFRESH_REUSED');
    assert.equal((await call('GET', '/auth/me', undefined, second.body.accessToken)).status, 401);

    // Both devices are trusted now: two sessions, no challenge.
    const onA = await call('POST', '/auth/login', { identifier: email, password, deviceId: 'rina-phone-a' });
    const onB = await call('POST', '/auth/login', { identifier: email, password, deviceId: 'rina-phone-b' });
    assert.deepEqual([onA.status, onB.status], [200, 200]);
    const newPassword = 'es teh manis dua gelas';
    assert.equal((await call('PUT', '/auth/change-setting', { currentPassword: password, newPassword }, onB.body.accessToken)).status, 204);
    assert.equal((await call('GET', '/auth/me', undefined, onA.body.accessToken)).status, 401);
    assert.equal((await call('GET', '/auth/me', undefined, onB.body.accessToken)).status, 200);

    since = new Date().toISOString();
    const reset = await call('POST', '/auth/reset-password', { identifier: phone });
    assert.equal(reset.status, 202);
    const token = await call('POST', '/auth/verify-otp', { ottId: reset.body.otp.ottId, code: await codeSentTo(phone, since) });
    const finalPassword = 'sate ayam madura enak';
    assert.equal((await call('POST', '/auth/reset-password', { resetToken: token.body.resetToken, newPassword: finalPassword })).status, 204);
    assert.equal((await call('GET', '/auth/me', undefined, onB.body.accessToken)).status, 401);
    assert.equal((await call('POST', '/auth/login', { identifier: email, password: newPassword, deviceId: 'rina-phone-b' })).status, 401);

    const last = await call('POST', '/auth/login', { identifier: email, password: finalPassword, deviceId: 'rina-phone-b' });
    assert.equal(last.status, 200);
    assert.equal((await call('GET', '/auth/logout', undefined, last.body.accessToken)).status, 204);
    assert.equal((await call('GET', '/auth/me', undefined, last.body.accessToken)).status, 401);
  });

  it('writes .data/demo-credentials.json, and the demo admin signs in from a new browser with a code by email', async () => {
    const creds = await demoCredentials();
    assert.equal(creds.baseUrl, stack.baseUrl);
    const since = new Date().toISOString();
    const browser = `browser-${Date.now()}`;
    const challenge = await call('POST', '/auth/login', { identifier: creds.admin.email, password: creds.admin.password, deviceId: browser, platform: 'WEB' });
    assert.equal(challenge.status, 202);
    assert.equal(challenge.body.otp.channel, 'EMAIL');
    const tokens = await call('POST', '/auth/verify-otp', { ottId: challenge.body.otp.ottId, code: await codeSentTo(creds.admin.email, since), deviceId: browser });
    assert.equal(tokens.body.user.role, 'ADMIN');
    assert.deepEqual(tokens.body.user.companyIds, [creds.admin.companyId]);
  });

  it('an admin invites a colleague by email, who sets a password from the link; deactivation ends the session at once', async () => {
    const admin = await adminToken();
    const { companyId } = (await demoCredentials()).admin;
    const { email, phone } = uniqueContact();
    const since = new Date().toISOString();
    const created = await call('POST', '/idty/users', { companyId, fullname: 'Dewi Admin', email, phone, role: 'ADMIN' }, admin);
    assert.equal(created.status, 201);
    const invite = await messageTo(email, since, /RMTools/);
    const link = invite.links.find((l) => l.includes('/auth/set-password#token='));
    assert.ok(link, `no set-password link in ${JSON.stringify(invite.links)}`);
    assert.ok(link.startsWith(stack.baseUrl), link);
    const page = await fetch(link.split('#')[0]!);
    assert.equal(page.status, 200);
    assert.match(page.headers.get('content-security-policy') ?? '', /script-src 'sha256-/);
    const token = new URL(link).hash.replace('#token=', '');
    const password = 'teh manis hangat sore hari';
    assert.equal((await call('POST', '/auth/set-password', { token, newPassword: password })).status, 204);
    assert.equal((await call('POST', '/auth/set-password', { token, newPassword: password })).body.code, 'TOKEN_INVALID');

    const browser = `browser-${Date.now()}`;
    const loginSince = new Date().toISOString();
    const challenge = await call('POST', '/auth/login', { identifier: email, password, deviceId: browser, platform: 'WEB' });
    const session = await call('POST', '/auth/verify-otp', { ottId: challenge.body.otp.ottId, code: await codeSentTo(email, loginSince), deviceId: browser });
    assert.equal((await call('GET', '/auth/me', undefined, session.body.accessToken)).status, 200);

    const off = await call('PATCH', `/idty/users/${created.body.id as number}/activeOrDe`, { active: false }, admin);
    assert.equal(off.body.status, 'INACTIVE');
    assert.equal((await call('GET', '/auth/me', undefined, session.body.accessToken)).status, 401);
    assert.equal((await call('POST', '/auth/refresh-token', { refreshToken: session.body.refreshToken })).status, 401);
    const trail = await call('GET', `/idty/audit-logs?entity=user&entityId=${created.body.id as number}`, undefined, admin);
    assert.deepEqual(trail.body.items.map((e: { action: string; after: { status?: string } | null }) => [e.action, e.after?.status]), [['update', 'INACTIVE'], ['add', 'ACTIVE']]);
  });

  it('checks the JWT at the gateway, as API Gateway does', async () => {
    const forged = await fetch(`${stack.baseUrl}/auth/me`, { headers: { authorization: 'Bearer eyJhbGciOiJub25lIn0.eyJzdWIiOiIxIn0.' } });
    assert.equal(forged.status, 401);
    assert.deepEqual(await forged.json(), { code: 401, message: 'Jwt verification fails' });
    const jwks = await call('GET', '/auth/.well-known/jwks.json');
    assert.ok(jwks.body.keys.length >= 1);
  });
});
