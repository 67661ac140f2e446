import { strict as assert } from 'node:assert';
import { randomBytes, randomUUID } from 'node:crypto';
import net from 'node:net';
import { createLocalJWKSet, decodeProtectedHeader, jwtVerify } from 'jose';
import { config, reloadConfig } from '../../../shared/config.js';
import { keyedHash } from '../../../shared/crypto/encryption.js';
import { auth, freshIp, recordEvents, userWithTrustedDevice } from '../../../test/support/auth.js';
import { functionServer } from '../../../test/support/http.js';
import { createCompany } from '../../../test/support/owner.js';
import { uniqueContact } from '../../../test/support/users.js';

/** GET /auth/.well-known/jwks.json and the CSRF protection of the public POSTs (GET /auth/csrf). */

async function csrfToken(): Promise<{ token: string; cookie: string }> {
  const res = await auth().get('/auth/csrf').expect(200);
  const setCookie = ([] as string[]).concat(res.headers['set-cookie'] ?? []);
  assert.equal(setCookie.length, 1);
  return { token: res.body.csrfToken, cookie: setCookie[0]! };
}

/** A login that gets past CSRF ends in 401 INVALID_CREDENTIALS (nobody has this identifier). */
function badLogin(headers: Record<string, string>) {
  const req = auth().post('/auth/login').set('X-Forwarded-For', freshIp());
  for (const [k, v] of Object.entries(headers)) req.set(k, v);
  return req.send({ identifier: uniqueContact().email, password: 'not the password', deviceId: `device-${randomUUID()}` });
}

async function expectCsrfFailed(res: { status: number; body: { code?: string } }) {
  assert.equal(res.status, 403, JSON.stringify(res.body));
  assert.equal(res.body.code, 'CSRF_FAILED');
}

async function expectPastCsrf(res: { status: number; body: { code?: string } }) {
  assert.equal(res.status, 401, JSON.stringify(res.body));
  assert.equal(res.body.code, 'INVALID_CREDENTIALS');
}

/** A token with the server's MAC over any payload (to build expired or oddly shaped ones). */
async function signedToken(nonce: string, expires: string | number): Promise<string> {
  return `${nonce}.${expires}.${await keyedHash(`${nonce}.${expires}`, 'csrf')}`;
}

/** A POST written byte for byte, for header bytes an HTTP client library would not send as given. */
async function rawPost(path: string, headers: Array<string | Buffer>, body: object): Promise<{ status: number; body: { code?: string } }> {
  const server = functionServer('auth');
  if (!server.listening) await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as { port: number };
  const json = JSON.stringify(body);
  const lines = [`POST ${path} HTTP/1.1`, 'Host: localhost', 'Content-Type: application/json', `Content-Length: ${Buffer.byteLength(json)}`, `X-Forwarded-For: ${freshIp()}`, 'Connection: close', ...headers];
  const request = Buffer.concat([...lines.flatMap((l) => [Buffer.isBuffer(l) ? l : Buffer.from(l), Buffer.from('\r\n')]), Buffer.from(`\r\n${json}`)]);
  const raw = await new Promise<string>((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1', () => socket.end(request));
    const chunks: Buffer[] = [];
    socket.on('data', (d: Buffer) => chunks.push(d));
    socket.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    socket.on('error', reject);
  });
  const [head, ...rest] = raw.split('\r\n\r\n');
  return { status: Number(/^HTTP\/1\.1 (\d{3})/.exec(head!)![1]), body: JSON.parse(rest.join('\r\n\r\n')) };
}

function withEnv(name: string, value: string): () => void {
  const saved = process.env[name];
  process.env[name] = value;
  reloadConfig();
  return () => {
    if (saved === undefined) delete process.env[name];
    else process.env[name] = saved;
    reloadConfig();
  };
}

describe('auth keys (JWKS) and CSRF', () => {
  recordEvents();

  describe('JWKS', () => {
    it('publishes only the public members of the signing keys, cacheable', async () => {
      const res = await auth().get('/auth/.well-known/jwks.json').expect(200);
      assert.equal(res.headers['cache-control'], 'public, max-age=300');
      assert.match(res.headers['content-type'] ?? '', /^application\/json/);
      const keys = res.body.keys as Array<Record<string, string>>;
      assert.ok(keys.length >= 1);
      for (const key of keys) {
        assert.deepEqual(Object.keys(key).sort(), ['alg', 'crv', 'kid', 'kty', 'use', 'x', 'y']);
        assert.deepEqual([key.kty, key.crv, key.alg, key.use], ['EC', 'P-256', 'ES256', 'sig']);
        assert.match(key.x!, /^[A-Za-z0-9_-]{43}$/);
        assert.match(key.y!, /^[A-Za-z0-9_-]{43}$/);
        assert.equal(key.d, undefined);
      }
      assert.ok(!/"d"\s*:/.test(res.text), 'no private member anywhere in the document');
      assert.equal(new Set(keys.map((k) => k.kid)).size, keys.length, 'kids are unique');
    });

    it('verifies the access tokens the function issues: their kid is published', async () => {
      const user = await userWithTrustedDevice({ companyId: (await createCompany()).id });
      const login = await auth().post('/auth/login').set('X-Forwarded-For', freshIp()).send({ identifier: user.email, password: user.password, deviceId: user.deviceId }).expect(200);
      const token = login.body.accessToken as string;
      const jwks = (await auth().get('/auth/.well-known/jwks.json').expect(200)).body as { keys: Array<{ kid: string }> };
      const header = decodeProtectedHeader(token);
      assert.equal(header.alg, 'ES256');
      assert.ok(jwks.keys.some((k) => k.kid === header.kid), `kid ${header.kid} is in the JWKS`);
      // What a third-party verifier (the API gateway) does with the document.
      const { payload } = await jwtVerify(token, createLocalJWKSet(jwks as Parameters<typeof createLocalJWKSet>[0]), {
        issuer: config().JWT_ISSUER,
        audience: config().JWT_AUDIENCE,
      });
      assert.equal(payload.sub, String(user.id));
    });

    it('is public: no token needed, and a bad one is ignored', async () => {
      await auth().get('/auth/.well-known/jwks.json').set('Authorization', 'Bearer not.a.token').expect(200);
    });
  });

  describe('CSRF', () => {
    it('GET /auth/csrf returns a token and sets it as an HttpOnly, Secure, SameSite=Strict cookie', async () => {
      const res = await auth().get('/auth/csrf').expect(200);
      assert.equal(res.headers['cache-control'], 'no-store');
      const token = res.body.csrfToken as string;
      assert.match(token, /^[A-Za-z0-9_-]+\.\d+\.[A-Za-z0-9_-]+$/);
      const ttl = (Date.parse(res.body.expiresAt) - Date.now()) / 1000;
      assert.ok(ttl > 7100 && ttl <= 7200, `about two hours (got ${ttl})`);
      const [cookie] = ([] as string[]).concat(res.headers['set-cookie'] ?? []);
      const attrs = cookie!.split(';').map((p) => p.trim());
      assert.equal(attrs[0], `rmtools_csrf=${token}`);
      for (const attr of ['HttpOnly', 'Secure', 'SameSite=Strict', 'Path=/', 'Max-Age=7200']) assert.ok(attrs.includes(attr), `${attr} in ${cookie}`);
      const other = await csrfToken();
      assert.notEqual(other.token, token, 'a fresh token each time');
    });

    it('a native request (no Cookie, no Origin) is not checked', async () => {
      await expectPastCsrf(await badLogin({}));
    });

    it('a request with cookies must send the token: missing header → 403 CSRF_FAILED', async () => {
      const { token } = await csrfToken();
      await expectCsrfFailed(await badLogin({ Cookie: `rmtools_csrf=${token}` }));
      await expectCsrfFailed(await badLogin({ Cookie: 'session=abc; theme=dark' }));
      await expectCsrfFailed(await badLogin({ Cookie: '' }));
    });

    it('cookie and matching header pass, also among other cookies', async () => {
      const { token } = await csrfToken();
      await expectPastCsrf(await badLogin({ Cookie: `rmtools_csrf=${token}`, 'X-CSRF-Token': token }));
      await expectPastCsrf(await badLogin({ Cookie: `theme=dark; rmtools_csrf=${token}; lang=id`, 'X-CSRF-Token': token }));
    });

    it('the header alone, without the cookie, does not pass', async () => {
      const { token } = await csrfToken();
      await expectCsrfFailed(await badLogin({ Cookie: 'theme=dark', 'X-CSRF-Token': token }));
      await expectCsrfFailed(await badLogin({ Origin: 'https://evil.example.test', 'X-CSRF-Token': token }));
    });

    it('two valid tokens that differ do not pass', async () => {
      const a = await csrfToken();
      const b = await csrfToken();
      await expectCsrfFailed(await badLogin({ Cookie: `rmtools_csrf=${a.token}`, 'X-CSRF-Token': b.token }));
    });

    const forged: Array<[string, (token: string) => Promise<string>]> = [
      ['a changed MAC', async (t) => `${t.slice(0, -1)}${t.endsWith('A') ? 'B' : 'A'}`],
      ['a changed nonce', async (t) => `${t[0] === 'A' ? 'B' : 'A'}${t.slice(1)}`],
      ['a later expiry', async (t) => t.replace(/\.(\d+)\./, (_, e: string) => `.${Number(e) + 3600}.`)],
      ['a MAC from another context', async (t) => `${t.split('.').slice(0, 2).join('.')}.${await keyedHash(t.split('.').slice(0, 2).join('.'), 'rate-limit')}`],
      ['no MAC', async (t) => t.split('.').slice(0, 2).join('.')],
      ['an expired token', async () => signedToken(randomBytes(24).toString('base64url'), Math.floor(Date.now() / 1000) - 1)],
      ['a non-numeric expiry', async () => signedToken(randomBytes(24).toString('base64url'), '99999999999x')],
      ['a MAC with non-ASCII characters of the same length', async (t) => `${t.slice(0, -2)}éé`],
    ];
    for (const [name, forge] of forged) {
      it(`refuses ${name} (403), even when cookie and header agree`, async () => {
        const bad = await forge((await csrfToken()).token);
        await expectCsrfFailed(await badLogin({ Cookie: `rmtools_csrf=${bad}`, 'X-CSRF-Token': bad }));
      });
    }

    it('a header byte above 0x7F (same length in characters, not in bytes) is a 403, not a 500', async () => {
      const { token } = await csrfToken();
      // Written on a raw socket: HTTP clients re-encode such bytes; a browser or a proxy may not.
      const res = await rawPost('/auth/login', [`Cookie: rmtools_csrf=${token}`, Buffer.concat([Buffer.from(`X-CSRF-Token: ${token.slice(0, -1)}`), Buffer.from([0xe9])])], {
        identifier: uniqueContact().email,
        password: 'not the password',
        deviceId: 'device-raw',
      });
      await expectCsrfFailed(res);
    });

    describe('by Origin', () => {
      let restore: () => void;
      before(() => {
        restore = withEnv('CORS_ORIGINS', 'https://app.example.test, https://admin.example.test');
      });
      after(() => restore());

      it('an Origin in CORS_ORIGINS is not checked (CORS protects it)', async () => {
        for (const origin of ['https://app.example.test', 'https://admin.example.test']) {
          const res = await badLogin({ Origin: origin });
          await expectPastCsrf(res);
          assert.equal(res.headers['access-control-allow-origin'], origin);
        }
      });

      it('an Origin in CORS_ORIGINS that also sends cookies needs the token', async () => {
        await expectCsrfFailed(await badLogin({ Origin: 'https://app.example.test', Cookie: 'theme=dark' }));
      });

      it('any other Origin needs the token, and passes with it', async () => {
        for (const origin of ['https://evil.example.test', 'null', 'https://app.example.test.evil.example', 'http://app.example.test']) {
          await expectCsrfFailed(await badLogin({ Origin: origin }));
        }
        const { token } = await csrfToken();
        await expectPastCsrf(await badLogin({ Origin: 'https://evil.example.test', Cookie: `rmtools_csrf=${token}`, 'X-CSRF-Token': token }));
      });
    });

    it('protects every public POST that takes credentials or codes', async () => {
      const cookie = { Cookie: 'theme=dark' };
      const calls = [
        auth().post('/auth/register').set(cookie).send({}),
        auth().post('/auth/verify-otp').set(cookie).send({ ottId: randomUUID(), code: '123456' }),
        auth().post('/auth/resend-otp').set(cookie).send({ ottId: randomUUID() }),
        auth().post('/auth/reset-password').set(cookie).send({ identifier: uniqueContact().email }),
        auth().post('/auth/login').set(cookie).send({}),
      ];
      for (const res of await Promise.all(calls)) await expectCsrfFailed(res);
    });

    it('GET routes are never checked', async () => {
      await auth().get('/auth/csrf').set('Cookie', 'theme=dark').set('Origin', 'https://evil.example.test').expect(200);
      await auth().get('/auth/.well-known/jwks.json').set('Cookie', 'theme=dark').expect(200);
    });
  });
});
