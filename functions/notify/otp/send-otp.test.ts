import { strict as assert } from 'node:assert';
import sinon from 'sinon';
import { reloadConfig } from '../../../shared/config.js';
import { PermanentFailure } from '../../../shared/events/consumer.js';
import { deliveriesOf } from '../../../shared/events/deliveries.js';
import { withTransaction } from '../../../shared/db/tx.js';
import type { LocalEventBus } from '../../../tools/local/event-bus.js';
import { MessageSink } from '../../../tools/local/sink.js';
import { startSmtpCatcher } from '../../../tools/local/smtp-catcher.js';
import { createCompany } from '../../../test/support/owner.js';
import { captureLogs } from '../../../test/support/logs.js';
import { asTenant, deliveryRows, insertOtt, notifyBus, publishTimes } from '../../../test/support/notify.js';
import { resetMailer } from '../email/mailer.js';
import { setSmsProvider, type SmsProvider } from '../sms/sms-provider.js';

describe('sendOtp', () => {
  let bus: LocalEventBus;
  let company: { id: number };
  const sink = new MessageSink();
  let smtp: Awaited<ReturnType<typeof startSmtpCatcher>>;
  const send = sinon.stub<Parameters<SmsProvider['send']>, ReturnType<SmsProvider['send']>>();

  before(async () => {
    smtp = await startSmtpCatcher(sink, { port: 0 });
    process.env.SMTP_URL = smtp.url;
    reloadConfig();
    resetMailer();
    setSmsProvider({ name: 'stub', send });
    bus = await notifyBus();
    company = await createCompany();
  });
  after(async () => {
    setSmsProvider(undefined);
    resetMailer();
    await bus.close();
    await smtp.stop();
  });
  beforeEach(() => {
    send.reset();
    send.resolves({ id: 'sms-1' });
  });

  const otpEvent = (ottId: string, channel: 'SMS' | 'EMAIL', destination: string) => ({ ottId, channel, destination, purpose: 'REGISTER', locale: 'id' });

  it('sends an SMS once for a message delivered three times, then wipes the code from the row', async () => {
    const phone = '+6281234567890';
    const ott = await insertOtt({ companyId: company.id, channel: 'SMS', destination: phone });
    const logs = captureLogs();
    let eventId: string;
    try {
      eventId = await publishTimes(bus, 'otp.requested', otpEvent(ott.id, 'SMS', phone), company.id, 3);
    } finally {
      logs.restore();
    }
    assert.equal(send.callCount, 1);
    assert.equal(send.firstCall.args[0], phone);
    assert.match(send.firstCall.args[1], new RegExp(`^${ott.code} adalah kode pendaftaran RMTools`));
    const [row] = await asTenant<{ code_encrypted: string | null; delivered_at: Date | null }>(company.id, 'select code_encrypted, delivered_at from auth_ott where id = $1', [ott.id]);
    assert.equal(row!.code_encrypted, null);
    assert.ok(row!.delivered_at);
    assert.deepEqual(await deliveryRows(company.id, eventId), [{ consumer: 'sendOtp', channel: 'SMS', recipient: '+62***7890', status: 'SENT', reason: null }]);
    assert.ok(!JSON.stringify(logs.lines).includes(ott.code), 'the code never reaches a log line');
    // The producer reads the same status through the shared helper, as the app role in its tenant.
    const seen = await withTransaction({ companyIds: [company.id] }, (tx) => deliveriesOf(tx, eventId));
    assert.deepEqual(seen.map((d) => [d.consumer, d.status]), [['sendOtp', 'SENT']]);
  });

  it('emails the code over real SMTP in the recipient’s language', async () => {
    const ott = await insertOtt({ companyId: company.id, channel: 'EMAIL', destination: 'agent.otp@example.com', locale: 'en' });
    await publishTimes(bus, 'otp.requested', otpEvent(ott.id, 'EMAIL', 'agent.otp@example.com'), company.id);
    const [mail] = sink.list({ to: 'agent.otp@example.com' });
    assert.equal(mail!.subject, `Your RMTools verification code: ${ott.code}`);
    assert.match(mail!.text, new RegExp(`Your verification code is ${ott.code}`));
    assert.match(mail!.html!, new RegExp(ott.code));
    assert.equal(send.callCount, 0);
  });

  it('drops an OTP that expired before it could be sent, with a log line', async () => {
    const ott = await insertOtt({ companyId: company.id, channel: 'SMS', destination: '+6281200000001', expiresInSeconds: -1 });
    const logs = captureLogs();
    let eventId: string;
    try {
      eventId = await publishTimes(bus, 'otp.requested', otpEvent(ott.id, 'SMS', '+6281200000001'), company.id);
    } finally {
      logs.restore();
    }
    assert.equal(send.callCount, 0);
    assert.equal((await deliveryRows(company.id, eventId))[0]!.status, 'DROPPED');
    assert.ok(logs.lines.some((l) => String(l.message).includes('expired')));
  });

  it('lets Pub/Sub retry when the provider is down, and sends once it is back', async () => {
    send.onFirstCall().rejects(new Error('provider unavailable: 503'));
    const ott = await insertOtt({ companyId: company.id, channel: 'SMS', destination: '+6281200000002' });
    const eventId = await publishTimes(bus, 'otp.requested', otpEvent(ott.id, 'SMS', '+6281200000002'), company.id);
    assert.equal(send.callCount, 2);
    assert.equal((await deliveryRows(company.id, eventId))[0]!.status, 'SENT');
  });

  it('records a permanent refusal and does not retry it', async () => {
    send.rejects(new PermanentFailure('provider refused: 400 invalid destination'));
    const ott = await insertOtt({ companyId: company.id, channel: 'SMS', destination: '+6281200000003' });
    const eventId = await publishTimes(bus, 'otp.requested', otpEvent(ott.id, 'SMS', '+6281200000003'), company.id);
    assert.equal(send.callCount, 1);
    const [d] = await deliveryRows(company.id, eventId);
    assert.equal(d!.status, 'FAILED');
    assert.match(d!.reason!, /invalid destination/);
    assert.deepEqual(bus.deadLetters, []);
  });

  it('does not see another tenant’s OTT', async () => {
    const other = await createCompany();
    const ott = await insertOtt({ companyId: other.id, channel: 'SMS', destination: '+6281200000004' });
    await publishTimes(bus, 'otp.requested', otpEvent(ott.id, 'SMS', '+6281200000004'), company.id);
    assert.equal(send.callCount, 0);
  });
});
