import { strict as assert } from 'node:assert';
import { createServer, type Server } from 'node:http';
import supertest from 'supertest';
import { z } from 'zod';
import { createGateway } from './gateway.js';
import { defineRoute } from '../../shared/http/route.js';

/** A backend that answers with what it received, to see what the gateway forwards. */
function echoBackend(): Promise<{ server: Server; url: string }> {
  const server = createServer((req, res) => {
    res.writeHead(200, { 'content-type': 'application/json', 'x-backend': 'echo' });
    res.end(JSON.stringify({ method: req.method, url: req.url, headers: req.headers }));
  });
  return new Promise((r) => server.listen(0, '127.0.0.1', () => r({ server, url: `http://127.0.0.1:${(server.address() as { port: number }).port}` })));
}

const route = (method: 'GET' | 'POST', path: string, access: 'public' | 'private') =>
  defineRoute({ method, path, operationId: `${method}${path}`, summary: 's', tags: [], access, ...(access === 'private' ? { permission: 'x.read' } : {}), query: z.object({}), response: { status: 200, description: 'ok' }, handler: async () => ({}) });

describe('local API gateway', () => {
  let a: Awaited<ReturnType<typeof echoBackend>>;
  let b: Awaited<ReturnType<typeof echoBackend>>;
  let gw: Server;
  before(async () => {
    a = await echoBackend();
    b = await echoBackend();
    gw = createGateway({
      backends: [
        { name: 'a', url: a.url, routes: [route('GET', '/a/things', 'public'), route('GET', '/a/things/{id}', 'private')] },
        { name: 'b', url: b.url, routes: [route('POST', '/b/items', 'public')] },
      ],
    });
  });
  after(() => {
    for (const s of [a.server, b.server, gw]) s.close();
  });

  it('routes by the route table and appends the path and query to the backend address', async () => {
    const res = await supertest(gw).get('/a/things?x=1').expect(200);
    assert.equal(res.body.url, '/a/things?x=1');
    const other = await supertest(gw).post('/b/items').send({ n: 1 }).expect(200);
    assert.equal(other.body.method, 'POST');
    assert.equal(other.body.headers['content-type'], 'application/json');
  });

  it('answers unknown paths and methods itself, in the gateway error shape', async () => {
    const missing = await supertest(gw).get('/c/unknown').expect(404);
    assert.deepEqual(missing.body, { code: 404, message: 'The current request is not defined by this API.' });
    const wrong = await supertest(gw).delete('/a/things').expect(405);
    assert.equal(wrong.body.code, 405);
  });

  it('refuses a private route without a bearer token and forwards the token as X-Forwarded-Authorization', async () => {
    const none = await supertest(gw).get('/a/things/7').expect(401);
    assert.deepEqual(none.body, { code: 401, message: 'Jwt is missing' });
    const res = await supertest(gw).get('/a/things/7').set('Authorization', 'Bearer abc.def.ghi').expect(200);
    assert.equal(res.body.headers['x-forwarded-authorization'], 'Bearer abc.def.ghi');
    assert.equal(res.body.headers.authorization, undefined);
    assert.match(res.body.headers['x-forwarded-for'], /127\.0\.0\.1$/);
  });

  it('checks the JWT when given a verifier, as ESPv2 does against the JWKS', async () => {
    const checked = createGateway({
      backends: [{ name: 'a', url: a.url, routes: [route('GET', '/a/things/{id}', 'private')] }],
      verifyJwt: async (token) => token === 'good.token.sig',
    });
    try {
      const bad = await supertest(checked).get('/a/things/7').set('Authorization', 'Bearer forged.token.sig').expect(401);
      assert.deepEqual(bad.body, { code: 401, message: 'Jwt verification fails' });
      await supertest(checked).get('/a/things/7').set('Authorization', 'Bearer good.token.sig').expect(200);
    } finally {
      checked.close();
    }
  });

  it('passes CORS preflights of known paths to the function that owns them', async () => {
    const res = await supertest(gw).options('/b/items').expect(200);
    assert.equal(res.headers['x-backend'], 'echo');
    await supertest(gw).options('/nowhere').expect(404);
  });
});
