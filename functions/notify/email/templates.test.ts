import { strict as assert } from 'node:assert';
import { emailTemplates } from '../../../shared/events/topics.js';
import { renderTemplate, templates, TemplateInputError } from './templates.js';

const evil = '<script>alert(1)</script>';
const at = '2026-11-21T03:00:00.000Z';
const samples: Record<(typeof emailTemplates)[number], Record<string, unknown>> = {
  OTP: { code: '123456', expiresAt: at },
  RM_REGISTRATION_RECEIVED: { agentName: evil, agentEmail: 'rm@example.com', agentPhone: '+6281234567890', companyName: 'Demo Sekuritas' },
  RM_APPROVED: { fullname: evil, companyName: 'Demo Sekuritas' },
  RM_REJECTED: { fullname: evil, companyName: 'Demo Sekuritas', reason: 'Lisensi WAPERD kedaluwarsa' },
  USER_INVITE: { fullname: evil, companyName: 'Demo Sekuritas', expiresAt: at },
  INSTRUCTION_SIGNATURE_LINK: { investorName: evil, agentName: 'Budi', instructionType: 'SUBSCRIPTION', productName: 'Reksa Dana Pasar Uang', amount: '1500000.00', expiresAt: at },
  INVESTOR_REMOTE_REGISTRATION: { investorName: evil, agentName: 'Budi', companyName: 'Demo Sekuritas', expiresAt: at },
  INSTRUCTION_RECEIPT: { investorName: evil, instructionType: 'REDEMPTION', productName: 'Reksa Dana Saham', units: '100.5', decision: 'SIGNED', at, documentHash: 'ab'.repeat(32) },
  PASSWORD_CHANGED: { fullname: evil, at },
  NEW_DEVICE_LOGIN: { fullname: evil, deviceName: 'Pixel 8', at, ip: '203.0.113.9' },
};
const link = 'https://rmtools.example/crm/links/abcDEF123';

describe('email templates', () => {
  it('cover every template the topic allows', () => {
    assert.deepEqual(Object.keys(templates).sort(), [...emailTemplates].sort());
  });

  for (const name of emailTemplates) {
    for (const locale of ['id', 'en'] as const) {
      it(`${name} (${locale}) renders both parts, escapes every variable and carries only its own link`, () => {
        const needsLink = templates[name].needsLink;
        const email = renderTemplate(name, samples[name], locale, needsLink ? link : undefined);
        assert.ok(email.subject.length > 5);
        assert.ok(email.text.length > 20);
        assert.doesNotMatch(email.html, /<script>/);
        if (JSON.stringify(samples[name]).includes('<script>')) {
          assert.match(email.html, /&lt;script&gt;/);
          assert.match(email.text, /<script>/, 'plain text keeps the value as typed');
        }
        assert.match(email.html, new RegExp(`<html lang="${locale}">`));
        const urls = [...email.html.matchAll(/https?:\/\/[^"<\s]+/g)].map((m) => m[0]);
        assert.deepEqual([...new Set(urls)], needsLink ? [link] : []);
        if (needsLink) assert.ok(email.text.includes(link));
      });
    }
  }

  it('writes money and times the way Indonesians read them', () => {
    const email = renderTemplate('INSTRUCTION_SIGNATURE_LINK', samples.INSTRUCTION_SIGNATURE_LINK, 'id', link);
    assert.match(email.text, /Rp\s?1\.500\.000/);
    assert.match(email.text, /10\.00 WIB/);
  });

  it('gives the investor the fingerprint of the instruction decided, in both parts', () => {
    for (const locale of ['id', 'en'] as const) {
      const email = renderTemplate('INSTRUCTION_RECEIPT', samples.INSTRUCTION_RECEIPT, locale);
      assert.ok(email.text.includes(`SHA-256) ${locale === 'id' ? 'dari transaksi yang Anda putuskan' : 'of the transaction you decided'}: ${'ab'.repeat(32)}`), email.text);
      assert.ok(email.html.includes('ab'.repeat(32)));
    }
    for (const documentHash of [undefined, 'AB'.repeat(32), 'ab'.repeat(31), `${'ab'.repeat(32)}0`]) {
      assert.throws(() => renderTemplate('INSTRUCTION_RECEIPT', { ...samples.INSTRUCTION_RECEIPT, documentHash }, 'id'), TemplateInputError, String(documentHash));
    }
  });

  it('refuses missing variables, a missing link and a non-web link', () => {
    assert.throws(() => renderTemplate('RM_REJECTED', { fullname: 'A', companyName: 'B' }, 'id'), TemplateInputError);
    assert.throws(() => renderTemplate('USER_INVITE', samples.USER_INVITE, 'id'), TemplateInputError);
    assert.throws(() => renderTemplate('USER_INVITE', samples.USER_INVITE, 'id', 'javascript:alert(1)'));
  });
});
