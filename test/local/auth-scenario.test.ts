import { strict as assert } from 'node:assert';
import { uniqueContact } from '../support/users.js';
import { spawnLocalStack, type LocalStackProcess } from '../support/local-stack.js';
import { localClient } from '../support/local-client.js';

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

  const client = () => localClient(stack);
  const call: ReturnType<typeof localClient>['call'] = (...args) => client().call(...args);
  const demoCredentials = () => client().demoCredentials();
  const codeSentTo = (to: string, since: string) => client().codeSentTo(to, since);
  const messageTo = (to: string, since: string, match: RegExp) => client().messageTo(to, since, match);
  const adminToken = () => client().adminToken();

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
