import { strict as assert } from 'node:assert';
import { createTransport } from 'nodemailer';
import { MessageSink } from './sink.js';
import { startSmtpCatcher, type SmtpCatcher } from './smtp-catcher.js';

describe('local SMTP catcher', () => {
  let sink: MessageSink;
  let catcher: SmtpCatcher;

  beforeEach(async () => {
    sink = new MessageSink();
    catcher = await startSmtpCatcher(sink, { port: 0 });
  });

  afterEach(async () => {
    await catcher.stop();
  });

  it('reports the real port it listens on', () => {
    assert.ok(catcher.port > 0);
    assert.equal(catcher.url, `smtp://127.0.0.1:${catcher.port}`);
  });

  it('catches a multipart email once per envelope recipient', async () => {
    const transport = createTransport({ host: '127.0.0.1', port: catcher.port, secure: false, ignoreTLS: true });
    try {
      const info = await transport.sendMail({
        from: 'RMTools <no-reply@rmtools.test>',
        to: ['Budi@Example.com', 'siti@example.com'],
        subject: 'Verify your email ✓',
        text: 'Hello Budi,\nverify at https://app.rmtools.test/verify?token=abc123\nThanks',
        html: '<p>Hello Budi,</p><p><a href="https://app.rmtools.test/verify?token=abc123&amp;lang=id">Verify</a></p>',
      });
      assert.equal(info.accepted.length, 2);
    } finally {
      transport.close();
    }

    const all = sink.list({});
    assert.equal(all.length, 2);
    // Envelope addresses are as the client sent them (nodemailer lowercases the domain).
    assert.deepEqual(all.map((m) => m.to.toLowerCase()).sort(), ['budi@example.com', 'siti@example.com']);
    for (const to of ['budi@example.com', 'siti@example.com']) {
      const [message, ...rest] = sink.list({ to });
      assert.equal(rest.length, 0);
      assert.ok(message);
      assert.equal(message.channel, 'EMAIL');
      assert.equal(message.subject, 'Verify your email ✓');
      assert.equal(message.text.trim(), 'Hello Budi,\nverify at https://app.rmtools.test/verify?token=abc123\nThanks');
      assert.match(message.html ?? '', /<a href="https:\/\/app\.rmtools\.test\/verify\?token=abc123&amp;lang=id">Verify<\/a>/);
      assert.deepEqual(message.links, [
        'https://app.rmtools.test/verify?token=abc123',
        'https://app.rmtools.test/verify?token=abc123&lang=id',
      ]);
      assert.ok(!Number.isNaN(Date.parse(message.sentAt)));
    }
  });

  it('catches a text-only email without html', async () => {
    const transport = createTransport({ host: '127.0.0.1', port: catcher.port, secure: false, ignoreTLS: true });
    try {
      await transport.sendMail({ from: 'a@rmtools.test', to: 'c@example.com', subject: 'Plain', text: 'just text' });
    } finally {
      transport.close();
    }
    const [message] = sink.list({ to: 'c@example.com' });
    assert.ok(message);
    assert.equal(message.text.trim(), 'just text');
    assert.equal(message.html, undefined);
    assert.deepEqual(message.links, []);
  });

  it('accepts any credentials, since local apps may be configured with a login', async () => {
    const transport = createTransport({
      host: '127.0.0.1',
      port: catcher.port,
      secure: false,
      ignoreTLS: true,
      auth: { user: 'apikey', pass: 'anything' },
    });
    try {
      await transport.sendMail({ from: 'a@rmtools.test', to: 'd@example.com', subject: 'Auth', text: 'ok' });
    } finally {
      transport.close();
    }
    assert.equal(sink.list({ to: 'd@example.com' }).length, 1);
  });
});
