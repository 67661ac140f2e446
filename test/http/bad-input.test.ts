import { strict as assert } from 'node:assert';
import { request } from '../support/http.js';

/**
 * Every kind of bad input on the public endpoints gets a 4xx problem+json with a code and a request id —
 * never a 5xx, an HTML page or a stack trace.
 */
interface Case {
  name: string;
  fn: 'crm' | 'auth';
  method?: 'get' | 'post' | 'put' | 'delete' | 'patch';
  path: string;
  status: number;
  code: string;
  body?: string;
  headers?: Record<string, string>;
}

const cases: Case[] = [
  { name: 'unknown query parameter', fn: 'crm', path: '/crm/banks?x=1', status: 400, code: 'VALIDATION_FAILED' },
  { name: 'unknown location level', fn: 'crm', path: '/crm/locations?level=village', status: 400, code: 'VALIDATION_FAILED' },
  { name: 'city level without parent', fn: 'crm', path: '/crm/locations?level=city', status: 400, code: 'VALIDATION_FAILED' },
  { name: 'province level with a parent', fn: 'crm', path: '/crm/locations?level=province&parent=31', status: 400, code: 'VALIDATION_FAILED' },
  { name: 'parent in the wrong format', fn: 'crm', path: '/crm/locations?level=district&parent=31', status: 400, code: 'VALIDATION_FAILED' },
  { name: 'SQL in the parent', fn: 'crm', path: "/crm/locations?level=city&parent=1'%20or%201=1--", status: 400, code: 'VALIDATION_FAILED' },
  { name: 'parent that does not exist', fn: 'crm', path: '/crm/locations?level=city&parent=99', status: 404, code: 'NOT_FOUND' },
  { name: 'city that does not exist', fn: 'crm', path: '/crm/locations?level=district&parent=31.99', status: 404, code: 'NOT_FOUND' },
  { name: 'repeated parameter', fn: 'crm', path: '/crm/locations?level=city&level=district', status: 400, code: 'VALIDATION_FAILED' },
  { name: 'overlong parameter', fn: 'crm', path: `/crm/locations?level=city&parent=${'9'.repeat(5000)}`, status: 400, code: 'VALIDATION_FAILED' },
  { name: 'limit zero', fn: 'auth', path: '/auth/companies?limit=0', status: 400, code: 'VALIDATION_FAILED' },
  { name: 'limit over 100', fn: 'auth', path: '/auth/companies?limit=101', status: 400, code: 'VALIDATION_FAILED' },
  { name: 'limit not a number', fn: 'auth', path: '/auth/companies?limit=ten', status: 400, code: 'VALIDATION_FAILED' },
  { name: 'cursor that is not ours', fn: 'auth', path: '/auth/companies?cursor=Zm9v', status: 400, code: 'VALIDATION_FAILED' },
  { name: 'cursor of the wrong shape', fn: 'auth', path: `/auth/companies?cursor=${Buffer.from('["a","b"]').toString('base64url')}`, status: 400, code: 'VALIDATION_FAILED' },
  { name: 'unknown route', fn: 'crm', path: '/crm/nothing-here', status: 404, code: 'ROUTE_NOT_FOUND' },
  { name: 'route of another function', fn: 'crm', path: '/auth/companies', status: 404, code: 'ROUTE_NOT_FOUND' },
  { name: 'path traversal', fn: 'crm', path: '/crm/../auth/companies', status: 404, code: 'ROUTE_NOT_FOUND' },
  { name: 'wrong method', fn: 'crm', method: 'post', path: '/crm/banks', status: 405, code: 'METHOD_NOT_ALLOWED' },
  { name: 'wrong method with a body', fn: 'auth', method: 'delete', path: '/auth/companies', status: 405, code: 'METHOD_NOT_ALLOWED', body: '{}', headers: { 'content-type': 'application/json' } },
  { name: 'malformed JSON body', fn: 'crm', method: 'post', path: '/crm/banks', status: 400, code: 'MALFORMED_JSON', body: '{"a":', headers: { 'content-type': 'application/json' } },
  { name: 'JSON body with a bad charset', fn: 'crm', method: 'post', path: '/crm/banks', status: 415, code: 'UNSUPPORTED_MEDIA_TYPE', body: '{}', headers: { 'content-type': 'application/json; charset=klingon' } },
  { name: 'body over the size limit', fn: 'auth', method: 'post', path: '/auth/companies', status: 413, code: 'PAYLOAD_TOO_LARGE', body: JSON.stringify({ pad: 'x'.repeat(1_100_000) }), headers: { 'content-type': 'application/json' } },
];

describe('bad input on the public endpoints', () => {
  for (const c of cases) {
    it(`${c.name} → ${c.status} ${c.code}`, async () => {
      let req = request(c.fn)[c.method ?? 'get'](c.path);
      for (const [k, v] of Object.entries(c.headers ?? {})) req = req.set(k, v);
      const res = await (c.body !== undefined ? req.send(c.body) : req);
      assert.equal(res.status, c.status, JSON.stringify(res.body));
      assert.match(String(res.headers['content-type']), /^application\/problem\+json/);
      assert.equal(res.body.code, c.code);
      assert.equal(res.body.status, c.status);
      assert.ok(res.body.requestId);
      assert.equal(res.headers['x-request-id'], res.body.requestId);
      assert.doesNotMatch(res.text, /at .*\.ts:\d+|node_modules|select |SyntaxError/i);
    });
  }

  it('lists every bad field of a validation failure', async () => {
    const res = await request('auth').get('/auth/companies?limit=0&cursor=&extra=1').expect(400);
    const fields = res.body.errors.map((e: { field: string }) => e.field).sort();
    assert.deepEqual(fields, ['query.cursor', 'query.extra', 'query.limit']);
  });

  it('answers a percent-encoding it cannot decode without a 5xx', async () => {
    const res = await request('crm').get('/crm/locations?level=city&parent=%E0%A4%A');
    assert.ok(res.status >= 400 && res.status < 500, String(res.status));
  });
});

describe('HTTP conventions', () => {
  it('echoes a valid X-Request-Id and replaces an invalid one', async () => {
    const mine = await request('crm').get('/crm/banks').set('X-Request-Id', 'client-req-12345').expect(200);
    assert.equal(mine.headers['x-request-id'], 'client-req-12345');
    const bad = await request('crm').get('/crm/banks').set('X-Request-Id', '<script>').expect(200);
    assert.match(String(bad.headers['x-request-id']), /^[0-9a-f-]{36}$/);
  });

  it('sends the security headers on success and on errors', async () => {
    for (const path of ['/crm/banks', '/crm/missing']) {
      const res = await request('crm').get(path);
      assert.equal(res.headers['x-content-type-options'], 'nosniff');
      assert.equal(res.headers['x-frame-options'], 'DENY');
      assert.match(String(res.headers['strict-transport-security']), /max-age=\d+/);
      assert.match(String(res.headers['content-security-policy']), /default-src 'none'/);
      assert.equal(res.headers['x-powered-by'], undefined);
    }
  });

  it('answers a CORS preflight for a known path, and only for configured origins', async () => {
    const res = await request('crm').options('/crm/banks').set('Origin', 'https://evil.example').set('Access-Control-Request-Method', 'GET');
    assert.equal(res.status, 204);
    assert.equal(res.headers['access-control-allow-origin'], undefined);
    await request('crm').options('/crm/nowhere').expect(404);
  });

  it('pages through active companies with an opaque cursor', async () => {
    const { createCompany } = await import('../support/owner.js');
    const prefix = `Zz Paging ${Date.now()}`;
    for (let i = 0; i < 5; i++) await createCompany({ name: `${prefix} ${i}` });
    await createCompany({ name: `${prefix} inactive`, status: 'INACTIVE' });
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const res: { body: { items: Array<{ name: string }>; nextCursor: string | null } } = await request('auth')
        .get('/auth/companies')
        .query({ limit: 2, ...(cursor ? { cursor } : {}) })
        .expect(200);
      seen.push(...res.body.items.map((c) => c.name));
      cursor = res.body.nextCursor;
    } while (cursor);
    const mine = seen.filter((n) => n.startsWith(prefix));
    assert.deepEqual(mine, [0, 1, 2, 3, 4].map((i) => `${prefix} ${i}`));
    assert.equal(new Set(seen).size, seen.length);
  });
});
