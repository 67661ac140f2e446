import { strict as assert } from 'node:assert';
import type { ChildProcess } from 'node:child_process';
import nodemailer from 'nodemailer';
import { spawnLocalStack, type LocalStackProcess } from '../support/local-stack.js';

/**
 * `npm start` as a developer runs it, in a child process: it reaches ready, the gateway routes to the
 * Functions Framework servers, /docs serves the generated spec, mail caught over SMTP and SMS sent to the
 * sink show at /_dev/messages, and Ctrl-C (SIGINT) stops everything cleanly. The suite's database stands in
 * for the embedded one (the DATABASE_URL path), which keeps the test fast.
 */
describe('npm start', function () {
  this.timeout(90_000);
  let stack: LocalStackProcess;
  let child: ChildProcess;
  let output = '';
  let baseUrl = '';
  let smtpPort = 0;

  before(async () => {
    stack = await spawnLocalStack();
    child = stack.child;
    baseUrl = stack.baseUrl;
    output = stack.output();
    smtpPort = Number(/SMTP\s+catcher at 127\.0\.0\.1:(\d+)/.exec(output)![1]);
  });

  after(() => stack.kill());

  it('prints one block with the URLs, the parts and how long it took', () => {
    assert.match(output, /ready in \d+\.\d s/);
    assert.match(output, /API docs \(Swagger UI\)\s+http:\/\/localhost:\d+\/docs/);
    assert.match(output, /PostgreSQL\s+from DATABASE_URL/);
    assert.match(output, /Firestore\s+in-process emulator/);
    assert.match(output, /Bib\s+simulator at 127\.0\.0\.1:\d+, faults at \/_sim\/faults/);
    assert.match(output, /bibSyncScheduled\s+scheduled\s+\*\/5 \* \* \* \*/);
  });

  it('serves the functions through the gateway, as API Gateway routes them', async () => {
    const banks = await fetch(`${baseUrl}/crm/banks`);
    assert.equal(banks.status, 200);
    assert.ok(((await banks.json()) as { items: unknown[] }).items.length >= 40);
    // Other suites add tenants to this database: walk the pages.
    let names: string[] = [];
    for (let cursor: string | null = ''; cursor !== null; ) {
      const page = (await (await fetch(`${baseUrl}/auth/companies?limit=100${cursor ? `&cursor=${cursor}` : ''}`)).json()) as { items: Array<{ name: string }>; nextCursor: string | null };
      names = names.concat(page.items.map((c) => c.name));
      cursor = page.nextCursor;
    }
    assert.ok(names.includes('Demo Sekuritas'));
    assert.equal((await fetch(`${baseUrl}/auth/health`)).status, 200);
    assert.equal((await fetch(`${baseUrl}/idty/nothing`)).status, 404);
  });

  it('serves Swagger UI and the OpenAPI document at /docs', async () => {
    assert.match(await (await fetch(`${baseUrl}/docs`)).text(), /swagger-ui-bundle\.js/);
    const spec = (await (await fetch(`${baseUrl}/docs/openapi.json`)).json()) as { openapi: string; paths: Record<string, unknown> };
    assert.equal(spec.openapi, '3.1.0');
    assert.ok(spec.paths['/crm/locations']);
    assert.equal((await fetch(`${baseUrl}/docs/swagger-ui-bundle.js`)).status, 200);
  });

  it('shows mail caught over SMTP and SMS sent to the sink at /_dev/messages and /_dev/mail', async () => {
    const transport = nodemailer.createTransport({ host: '127.0.0.1', port: smtpPort, secure: false, ignoreTLS: true });
    await transport.sendMail({ from: 'noreply@rmtools.local', to: 'rm@example.com', subject: 'Halo', text: 'Buka https://example.com/x' });
    await fetch(`${baseUrl}/_dev/sink/sms`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ to: '+6281234567890', text: 'Kode 123456' }) });
    const mail = (await (await fetch(`${baseUrl}/_dev/messages?to=rm@example.com`)).json()) as { items: Array<{ subject: string; links: string[] }> };
    assert.equal(mail.items[0]!.subject, 'Halo');
    assert.deepEqual(mail.items[0]!.links, ['https://example.com/x']);
    const sms = (await (await fetch(`${baseUrl}/_dev/messages?to=%2B6281234567890`)).json()) as { items: Array<{ channel: string }> };
    assert.equal(sms.items[0]!.channel, 'SMS');
    assert.match(await (await fetch(`${baseUrl}/_dev/mail`)).text(), /Halo/);
  });

  it('stops everything cleanly on Ctrl-C', async () => {
    const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
    process.kill(-child.pid!, 'SIGINT');
    assert.equal(await exited, 0);
    assert.match(stack.output(), /Stopped cleanly/);
    await assert.rejects(fetch(`${baseUrl}/crm/banks`));
  });
});
