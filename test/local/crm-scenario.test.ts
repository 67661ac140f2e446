import { strict as assert } from 'node:assert';
import { uniqueContact } from '../support/users.js';
import { spawnLocalStack, type LocalStackProcess } from '../support/local-stack.js';
import { localClient } from '../support/local-client.js';
import { individualBody } from '../support/crm.js';

/**
 * The CRM issue's flow through `npm start`, as the mobile and web apps drive it: an approved agent works a
 * lead to an investor, submits the KYC, uploads the KTP photo to the signed URL (the local storage the
 * gateway serves), and the admin approves, reads the document and reveals the NIK, which the trail records.
 */
describe('CRM scenario through npm start', function () {
  this.timeout(120_000);
  let stack: LocalStackProcess;
  before(async () => {
    stack = await spawnLocalStack();
  });
  after(() => stack.kill());

  async function approvedAgent(c: ReturnType<typeof localClient>, admin: string): Promise<{ token: string; id: number }> {
    const { companyId } = (await c.demoCredentials()).admin;
    const { email, phone } = uniqueContact();
    const password = 'kopi susu gula aren';
    const since = new Date().toISOString();
    const reg = await c.call('POST', '/auth/register', { companyId, fullname: 'Sari Agen', email, phone, password, deviceId: 'sari-phone', platform: 'ANDROID' });
    await c.call('POST', '/auth/verify-otp', { ottId: reg.body.otp.ottId, code: await c.codeSentTo(phone, since) });
    const url = `/idty/users/${reg.body.userId as number}`;
    await c.call('PUT', url, { licence: { number: 'KEP-0211/PM.211/WPPE/2026', expiresOn: '2029-12-31' } }, admin);
    assert.equal((await c.call('PATCH', `${url}/approveOrReject`, { decision: 'APPROVE' }, admin)).status, 200);
    const login = await c.call('POST', '/auth/login', { identifier: email, password, deviceId: 'sari-phone' });
    assert.equal(login.status, 200, JSON.stringify(login.body));
    return { token: login.body.accessToken as string, id: reg.body.userId as number };
  }

  it('lead → investor → KYC with a KTP photo → admin approval, document and audited reveal', async () => {
    const c = localClient(stack);
    const admin = await c.adminToken();
    const agent = await approvedAgent(c, admin);

    const english = await c.call('GET', '/crm/kyc-options', undefined, undefined, { 'accept-language': 'en-US,en;q=0.9' });
    assert.equal(english.body.religion[0].label, 'Islam');
    assert.ok((await c.call('GET', '/crm/risk-questionnaire')).body.questions.length >= 5);

    const lead = await c.call('POST', '/crm/leads', { fullname: 'Budi Santoso', phone: '+6281377778888', source: 'walk-in' }, agent.token);
    assert.equal(lead.status, 201);
    for (const status of ['CONTACTED', 'INTERESTED']) assert.equal((await c.call('PUT', `/crm/leads/${lead.body.id as number}`, { status }, agent.token)).status, 200);
    const converted = await c.call('POST', `/crm/leads/${lead.body.id as number}/convert`, undefined, agent.token);
    assert.equal(converted.body.investor.status, 'DRAFT');

    const body = individualBody({ leadId: lead.body.id as number });
    const submitted = await c.call('POST', '/crm/investors', body, agent.token);
    assert.equal(submitted.status, 201, JSON.stringify(submitted.body));
    assert.equal(submitted.body.id, converted.body.investor.id);
    assert.equal(submitted.body.nikMasked, `************${body.individual.nik.slice(-4)}`);
    const investorUrl = `/crm/investors/${submitted.body.id as string}`;

    const photo = Buffer.from('\xff\xd8\xff\xe0 a very small jpeg of a KTP', 'latin1');
    const grant = await c.call('POST', `${investorUrl}/documents`, { kind: 'KTP', contentType: 'image/jpeg', size: photo.length }, agent.token);
    assert.equal(grant.status, 201);
    assert.ok((grant.body.upload.url as string).startsWith(`${stack.baseUrl}/_storage/`), grant.body.upload.url);
    const put = await fetch(grant.body.upload.url as string, { method: 'PUT', headers: grant.body.upload.headers as Record<string, string>, body: photo });
    assert.equal(put.status, 200, await put.text());

    const queue = await c.call('GET', '/crm/investors?status=SUBMITTED&limit=100', undefined, admin);
    assert.ok(queue.body.items.some((i: { id: string }) => i.id === submitted.body.id));
    const decided = await c.call('PATCH', '/crm/investors', { ids: [submitted.body.id], decision: 'APPROVE' }, admin);
    assert.equal(decided.body.items[0].status, 'APPROVED');

    const download = await c.call('GET', `${investorUrl}/documents/${grant.body.document.id as string}/download-url`, undefined, admin);
    assert.equal(download.body.document.status, 'UPLOADED');
    const file = await fetch(download.body.url as string);
    assert.equal(file.headers.get('content-type'), 'image/jpeg');
    assert.deepEqual(Buffer.from(await file.arrayBuffer()), photo);

    const pii = await c.call('GET', `${investorUrl}/pii`, undefined, admin);
    assert.equal(pii.body.nik, body.individual.nik);
    const trail = await c.call('GET', `/idty/audit-logs?entity=investor&entityId=${submitted.body.id as string}`, undefined, admin);
    assert.deepEqual(trail.body.items.map((e: { action: string }) => e.action), ['reveal', 'update', 'update', 'add']);

    // The agent hears of the approval in the app's inbox (outbox → notify → push).
    const deadline = Date.now() + 10_000;
    let inbox: Array<{ type: string }> = [];
    while (Date.now() < deadline && !inbox.some((n) => n.type === 'INVESTOR_APPROVED')) {
      inbox = (await c.call('GET', '/auth/notifications', undefined, agent.token)).body.items ?? [];
      await new Promise((r) => setTimeout(r, 100));
    }
    assert.ok(inbox.some((n) => n.type === 'INVESTOR_APPROVED'), JSON.stringify(inbox));
  });
});
