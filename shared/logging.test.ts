import { strict as assert } from 'node:assert';
import { Writable } from 'node:stream';
import { createLogger, errorForLog, traceFields, urlForLog } from './logging.js';

describe('logging', () => {
  it('writes Cloud Logging fields and redacts secrets and PII wherever they sit', () => {
    const lines: string[] = [];
    const sink = new Writable({ write: (c: Buffer, _e, done) => (lines.push(c.toString()), done()) });
    const log = createLogger(sink).child({}, { level: 'info' });
    log.info({ password: 'p@ss', user: { nik: '3171234567890001', phone: '+62811' }, body: { code: '123456' }, authorization: 'Bearer x' }, 'hello');
    const line = JSON.parse(lines.join(''));
    assert.equal(line.severity, 'INFO');
    assert.equal(line.message, 'hello');
    assert.equal(line.password, '[redacted]');
    assert.equal(line.user.nik, '[redacted]');
    assert.equal(line.user.phone, '+62811');
    assert.equal(line.body.code, '[redacted]');
    assert.equal(line.authorization, '[redacted]');
  });

  it('keeps the stack and cause of errors for Error Reporting', () => {
    const err = new Error('outer', { cause: Object.assign(new Error('inner'), { code: 'ECONNREFUSED' }) });
    const out = errorForLog(err);
    assert.match(String(out.stack_trace), /Error: outer/);
    assert.deepEqual((out.cause as { code: string; message: string }).code, 'ECONNREFUSED');
  });

  it('groups a request’s lines by the Cloud Trace header', () => {
    assert.deepEqual(traceFields('0123456789abcdef0123456789abcdef/123;o=1'), {
      'logging.googleapis.com/trace': 'projects/demo-rmtools/traces/0123456789abcdef0123456789abcdef',
      'logging.googleapis.com/spanId': '123',
    });
    assert.deepEqual(traceFields('garbage'), {});
  });
});

describe('urlForLog', () => {
  const cases: Array<[string, string]> = [
    ['/crm/investors', '/crm/investors'],
    ['/crm/investors?q=3171010212711693&limit=5', '/crm/investors?q=%5Bredacted%5D&limit=5'],
    ['/crm/leads?status=NEW&q=budi&q=%2B6281', '/crm/leads?status=NEW&q=%5Bredacted%5D'],
    ['/x?nik=1&cursor=abc', '/x?nik=%5Bredacted%5D&cursor=abc'],
    ['/crm/links/AbC_-012345678901234567890123456789012345678', '/crm/links/[redacted]'],
    ['/crm/links/AbC_-012345678901234567890123456789012345678/otp', '/crm/links/[redacted]/otp'],
    ['/crm/links/AbC?lang=en', '/crm/links/[redacted]?lang=en'],
  ];
  for (const [url, logged] of cases) {
    it(`${url} → ${logged}`, () => assert.equal(urlForLog(url), logged));
  }
});
