import { strict as assert } from 'node:assert';
import { SMTPServer } from 'smtp-server';
import { reloadConfig } from '../../../shared/config.js';
import { encrypt } from '../../../shared/crypto/encryption.js';
import type { LocalEventBus } from '../../../tools/local/event-bus.js';
import { MessageSink } from '../../../tools/local/sink.js';
import { startSmtpCatcher } from '../../../tools/local/smtp-catcher.js';
import { freePort } from '../../../tools/local/ports.js';
import { createCompany } from '../../../test/support/owner.js';
import { deliveryRows, notifyBus, publishTimes } from '../../../test/support/notify.js';
import { resetMailer } from './mailer.js';

function useSmtp(url: string): void {
  process.env.SMTP_URL = url;
  reloadConfig();
  resetMailer();
}

describe('sendEmail', () => {
  let bus: LocalEventBus;
  let company: { id: number };
  const sink = new MessageSink();
  let smtp: Awaited<ReturnType<typeof startSmtpCatcher>>;
  const link = 'https://rmtools.example/crm/links/tok_9f8e7d';

  before(async () => {
    smtp = await startSmtpCatcher(sink, { port: 0 });
    bus = await notifyBus();
    company = await createCompany();
  });
  beforeEach(() => useSmtp(smtp.url));
  after(async () => {
    await bus.close();
    await smtp.stop();
    resetMailer();
  });

  const signatureRequest = async (to: string) => ({
    template: 'INSTRUCTION_SIGNATURE_LINK',
    to,
    locale: 'id',
    secureLink: await encrypt(link, 'email.link'),
    variables: { investorName: 'Siti Aminah', agentName: 'Budi', instructionType: 'SUBSCRIPTION', productName: 'RD Pasar Uang', amount: '2500000.00', expiresAt: '2026-11-22T03:00:00.000Z' },
  });

  it('sends one email for a message delivered three times, with both parts, headers and the decrypted link', async () => {
    const to = 'siti.aminah@example.com';
    const eventId = await publishTimes(bus, 'email.requested', await signatureRequest(to), company.id, 3);
    const mails = sink.list({ to });
    assert.equal(mails.length, 1);
    const mail = mails[0]!;
    assert.equal(mail.subject, 'Mohon tinjau dan tanda tangani transaksi Anda');
    assert.match(mail.text, /Siti Aminah/);
    assert.match(mail.text, /Rp\s?2\.500\.000/);
    assert.match(mail.html!, /<a href="https:\/\/rmtools\.example\/crm\/links\/tok_9f8e7d"/);
    assert.deepEqual(mail.links, [link]);
    assert.equal(mail.headers!['x-rmtools-event'], eventId);
    assert.equal(mail.headers!['x-rmtools-template'], 'INSTRUCTION_SIGNATURE_LINK');
    assert.equal(mail.headers!.from, 'RMTools <no-reply@rmtools.local>');
    assert.match(mail.headers!['content-type']!, /^multipart\/alternative/);
    assert.deepEqual(await deliveryRows(company.id, eventId), [{ consumer: 'sendEmail', channel: 'EMAIL', recipient: 's***@example.com', status: 'SENT', reason: null }]);
  });

  it('throws while the SMTP server refuses connections, so Pub/Sub retries; sends when it is back', async () => {
    useSmtp(`smtp://127.0.0.1:${await freePort()}`);
    const to = 'retry.me@example.com';
    const data = Buffer.from(JSON.stringify(await signatureRequest(to)));
    const eventId = 'retry-' + Date.now();
    await bus.publish('email.requested', data, { eventId, companyId: String(company.id) });
    await new Promise((r) => setTimeout(r, 60));
    useSmtp(smtp.url);
    await bus.idle();
    assert.equal(sink.list({ to }).length, 1);
    assert.equal((await deliveryRows(company.id, eventId))[0]!.status, 'SENT');
    assert.deepEqual(bus.deadLetters, []);
  });

  it('records a mailbox the server refuses for good (550) and acknowledges it', async () => {
    const port = await freePort();
    const strict = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS'],
      onRcptTo: (addr, _s, cb) => cb(addr.address.startsWith('nobody') ? Object.assign(new Error('5.1.1 mailbox unavailable'), { responseCode: 550 }) : undefined),
    });
    await new Promise<void>((r) => strict.listen(port, '127.0.0.1', r));
    try {
      useSmtp(`smtp://127.0.0.1:${port}`);
      const eventId = await publishTimes(bus, 'email.requested', await signatureRequest('nobody@example.com'), company.id);
      const [d] = await deliveryRows(company.id, eventId);
      assert.equal(d!.status, 'FAILED');
      assert.match(d!.reason!, /550|mailbox unavailable|refused/i);
      assert.deepEqual(bus.deadLetters, []);
    } finally {
      await new Promise<void>((r) => strict.close(() => r()));
    }
  });

  it('records a request whose variables do not fit the template instead of retrying it', async () => {
    const request = { ...(await signatureRequest('bad.vars@example.com')), variables: { investorName: 'X' } };
    const eventId = await publishTimes(bus, 'email.requested', request, company.id);
    assert.equal((await deliveryRows(company.id, eventId))[0]!.status, 'FAILED');
    assert.equal(sink.list({ to: 'bad.vars@example.com' }).length, 0);
  });

  it('drops a request older than the maximum age', async () => {
    const to = 'too.late@example.com';
    const eventId = 'old-' + Date.now();
    const old = new Date(Date.now() - 25 * 3_600_000).toISOString();
    // Pub/Sub's publishTime is what ages a message; send the CloudEvent by hand to set it.
    const url = (bus as unknown as { subscribers: Array<{ topic: string; url: string }> }).subscribers.find((s) => s.topic === 'email.requested')!.url;
    const res = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'ce-id': '1', 'ce-specversion': '1.0', 'ce-type': 'google.cloud.pubsub.topic.v1.messagePublished', 'ce-source': '//pubsub.googleapis.com/projects/test/topics/email.requested' },
      body: JSON.stringify({ message: { data: Buffer.from(JSON.stringify(await signatureRequest(to))).toString('base64'), attributes: { eventId, companyId: String(company.id) }, messageId: '1', publishTime: old } }),
    });
    assert.ok(res.ok);
    assert.equal((await deliveryRows(company.id, eventId))[0]!.status, 'DROPPED');
    assert.equal(sink.list({ to }).length, 0);
  });
});
