import { strict as assert } from 'node:assert';
import { createPublicKey, randomUUID } from 'node:crypto';
import { decodeJwt, decodeProtectedHeader, exportJWK, generateKeyPair, SignJWT, type CryptoKey, type JWTHeaderParameters } from 'jose';
import fc from 'fast-check';
import sinon from 'sinon';
import { config } from '../config.js';
import { AppError } from '../errors.js';
import { signAccessToken, verifyAccessToken } from './access-token.js';
import { generateKeyring, publicJwks, resetSigningKeys, signingKeys } from './signing-keys.js';

/** Asserts the one answer every bad token gets. */
function assertInvalidToken(err: unknown): true {
  assert.ok(err instanceof AppError, `expected an AppError, got ${String(err)}`);
  assert.equal(err.code, 'UNAUTHENTICATED');
  assert.equal(err.status, 401);
  assert.equal(err.detail, 'The access token is not valid');
  assert.deepEqual(err.headers, { 'WWW-Authenticate': 'Bearer error="invalid_token"' });
  return true;
}

const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
const epoch = () => Math.floor(Date.now() / 1000);
const input = { userId: 42, sessionId: randomUUID(), role: 'agent' };

/** A token with our claims and header unless overridden (undefined removes a member), signed by `key`. */
async function forge(claims: Record<string, unknown> = {}, header: Record<string, unknown> = {}, key?: CryptoKey | Uint8Array) {
  const keys = await signingKeys();
  const cfg = config();
  const now = epoch();
  const payload = { iss: cfg.JWT_ISSUER, aud: cfg.JWT_AUDIENCE, sub: '42', sid: randomUUID(), role: 'agent', iat: now, exp: now + 900, jti: randomUUID(), ...claims };
  const protectedHeader = { alg: 'ES256', kid: keys.current.kid, typ: 'JWT', ...header };
  const drop = (o: Record<string, unknown>) => Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined));
  return new SignJWT(drop(payload)).setProtectedHeader(drop(protectedHeader) as JWTHeaderParameters).sign(key ?? keys.current.privateKey);
}

function changePayload(token: string, change: (claims: Record<string, unknown>) => void): string {
  const [header, payload, signature] = token.split('.');
  const claims = JSON.parse(Buffer.from(payload!, 'base64url').toString()) as Record<string, unknown>;
  change(claims);
  return [header, b64(claims), signature].join('.');
}

describe('access tokens', () => {
  // Read in before(): the root hook sets the run's keyring after the files are loaded.
  let saved: string | undefined;
  let attacker: CryptoKeyPair;

  before(async () => {
    saved = process.env.JWT_SIGNING_KEYS;
    process.env.JWT_SIGNING_KEYS = await generateKeyring();
    resetSigningKeys();
    attacker = await generateKeyPair('ES256', { extractable: true });
  });

  after(() => {
    if (saved === undefined) delete process.env.JWT_SIGNING_KEYS;
    else process.env.JWT_SIGNING_KEYS = saved;
    resetSigningKeys();
  });

  it('round-trips the user, session and role', async () => {
    const before = epoch();
    const signed = await signAccessToken(input);
    assert.equal(signed.expiresIn, 900);
    const claims = await verifyAccessToken(signed.token);
    assert.deepEqual({ userId: claims.userId, sessionId: claims.sessionId, role: claims.role }, input);
    assert.equal(claims.expiresAt.getTime(), signed.expiresAt.getTime());
    assert.ok(claims.issuedAt.getTime() >= before * 1000 && claims.issuedAt.getTime() <= Date.now());
  });

  it('signs with ES256 under the current kid and sets the registered claims', async () => {
    const { token } = await signAccessToken(input);
    assert.deepEqual(decodeProtectedHeader(token), { alg: 'ES256', kid: (await signingKeys()).current.kid, typ: 'JWT' });
    const claims = decodeJwt(token);
    assert.deepEqual(Object.keys(claims).sort(), ['aud', 'exp', 'iat', 'iss', 'jti', 'role', 'sid', 'sub']);
    const { iss, aud, sub, sid, role, exp, iat } = claims;
    const cfg = config();
    assert.deepEqual({ iss, aud, sub, sid, role, ttl: exp! - iat! }, { iss: cfg.JWT_ISSUER, aud: cfg.JWT_AUDIENCE, sub: '42', sid: input.sessionId, role: 'agent', ttl: 900 });
    assert.match(String(claims.jti), /^[0-9a-f-]{36}$/);
    assert.notEqual(decodeJwt((await signAccessToken(input)).token).jti, claims.jti, 'a fresh jti per token');
  });

  it('refuses to sign what it would not accept', async () => {
    for (const bad of [{ userId: 0 }, { userId: 1.5 }, { sessionId: 'not-a-uuid' }, { role: '' }]) {
      await assert.rejects(signAccessToken({ ...input, ...bad }), (err: unknown) => !(err instanceof AppError));
    }
  });

  it('accepts a forged token with our claims (the control for the cases below)', async () => {
    assert.equal((await verifyAccessToken(await forge())).userId, 42);
  });

  it('allows a few seconds of clock skew', async () => {
    assert.equal((await verifyAccessToken(await forge({ iat: epoch() - 902, exp: epoch() - 2 }))).userId, 42);
  });

  describe('rejects', () => {
    const valid = async () => (await signAccessToken(input)).token;
    const publicJwk = async () => (await publicJwks()).keys[0]!;
    const hmacSecrets: Array<[string, () => Promise<Uint8Array>]> = [
      ['the PEM public key', async () => Buffer.from(createPublicKey({ key: { ...(await publicJwk()) }, format: 'jwk' }).export({ type: 'spki', format: 'pem' }))],
      ['the public JWK JSON', async () => Buffer.from(JSON.stringify(await publicJwk()))],
      ['the raw public point', async () => Buffer.concat([Buffer.from([4]), Buffer.from((await publicJwk()).x, 'base64url'), Buffer.from((await publicJwk()).y, 'base64url')])],
    ];
    const cases: Array<[string, () => Promise<string>]> = [
      ['an expired token', () => forge({ iat: epoch() - 1000, exp: epoch() - 100 })],
      ['a token issued in the future', () => forge({ iat: epoch() + 600, exp: epoch() + 1500 })],
      ['a token that lives longer than the TTL', () => forge({ iat: epoch() - 1000, exp: epoch() + 3600 })],
      ['a wrong issuer', () => forge({ iss: 'https://attacker.invalid/auth' })],
      ['a missing issuer', () => forge({ iss: undefined })],
      ['a wrong audience', () => forge({ aud: 'another-api' })],
      ['another token type', () => forge({}, { typ: 'refresh+jwt' })],
      ['alg none', async () => `${b64({ alg: 'none', typ: 'JWT', kid: (await signingKeys()).current.kid })}.${(await valid()).split('.')[1]}.`],
      ...hmacSecrets.map(([name, secret]): [string, () => Promise<string>] => [`HS256 keyed with ${name}`, async () => forge({}, { alg: 'HS256' }, await secret())]),
      ['an unknown kid', () => forge({}, { kid: 'someone-else' })],
      ['a missing kid', () => forge({}, { kid: undefined })],
      ['a kid naming an object member', () => forge({}, { kid: '__proto__' })],
      ['another ES256 key under our kid', () => forge({}, {}, attacker.privateKey)],
      ['an embedded jwk header with our kid', async () => forge({}, { jwk: await exportJWK(attacker.publicKey) }, attacker.privateKey)],
      ['an embedded jwk header without kid', async () => forge({}, { jwk: await exportJWK(attacker.publicKey), kid: undefined }, attacker.privateKey)],
      ['a payload with a raised role', async () => changePayload(await valid(), (c) => (c.role = 'admin'))],
      ['a payload for another user', async () => changePayload(await valid(), (c) => (c.sub = '1'))],
      ['a payload with a later exp', async () => changePayload(await valid(), (c) => (c.exp = Number(c.exp) + 60))],
      ['a tampered signature', async () => {
        const [h, p, s] = (await valid()).split('.');
        const sig = Buffer.from(s!, 'base64url');
        sig[10]! ^= 1;
        return [h, p, sig.toString('base64url')].join('.');
      }],
      ['a stripped signature', async () => (await valid()).split('.').slice(0, 2).join('.') + '.'],
      ...['abc', '0', '-3', '1e3', '007', '9007199254740993', ' 42', 42].map((sub): [string, () => Promise<string>] => [`sub ${JSON.stringify(sub)}`, () => forge({ sub })]),
      ['a missing sub', () => forge({ sub: undefined })],
      ['a missing sid', () => forge({ sid: undefined })],
      ['a sid that is not a UUID', () => forge({ sid: 'session-1' })],
      ['a missing role', () => forge({ role: undefined })],
      ['a missing exp', () => forge({ exp: undefined })],
      ['a missing iat', () => forge({ iat: undefined })],
      ...['', 'garbage', 'a.b.c', '..', '...', 'e30.e30.e30', 'x'.repeat(10_000)].map((g): [string, () => Promise<string>] => [`garbage ${JSON.stringify(g.slice(0, 12))}`, async () => g]),
      ['a token with a Bearer prefix', async () => `Bearer ${await valid()}`],
      ['a token with a fourth segment', async () => `${await valid()}.e30`],
    ];
    for (const [name, make] of cases) {
      it(name, async () => {
        await assert.rejects(verifyAccessToken(await make()), assertInvalidToken);
      });
    }

    it('a jku or x5u header, without fetching it', async () => {
      const fetch = sinon.stub(globalThis, 'fetch').rejects(new Error('no network in this test'));
      try {
        for (const header of [{ jku: 'https://keys.attacker.invalid/jwks.json' }, { x5u: 'https://keys.attacker.invalid/c.pem' }]) {
          await assert.rejects(verifyAccessToken(await forge({}, { ...header, kid: 'attacker' }, attacker.privateKey)), assertInvalidToken);
        }
        assert.equal(fetch.callCount, 0);
      } finally {
        fetch.restore();
      }
    });
  });

  describe('properties', () => {
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

    it('round-trips any user, role and session', async () => {
      const user = fc.record({ userId: fc.integer({ min: 1, max: Number.MAX_SAFE_INTEGER }), role: fc.string({ unit: 'binary', minLength: 1, maxLength: 32 }), sessionId: fc.uuid() });
      await fc.assert(
        fc.asyncProperty(user, async (u) => {
          const claims = await verifyAccessToken((await signAccessToken(u)).token);
          assert.deepEqual({ userId: claims.userId, role: claims.role, sessionId: claims.sessionId }, { ...u });
        }),
        { numRuns: 200 },
      );
    });

    /** Verification rejects `changed`, or it hit a segment's unused trailing bits and decodes to the same bytes. */
    async function rejectedOrSameBytes(token: string, segment: number, changed: string) {
      const parts = token.split('.');
      parts[segment] = changed;
      const accepted = await verifyAccessToken(parts.join('.')).then(() => true, (err: unknown) => !assertInvalidToken(err));
      if (accepted) assert.deepEqual(Buffer.from(changed, 'base64url'), Buffer.from(token.split('.')[segment]!, 'base64url'));
      return accepted;
    }

    it('rejects any single-character change to the header, payload or signature', async () => {
      const { token } = await signAccessToken(input);
      const change = fc.record({ segment: fc.constantFrom(0, 1, 2), at: fc.nat(), shift: fc.integer({ min: 1, max: 63 }) });
      await fc.assert(
        fc.asyncProperty(change, async ({ segment, at, shift }) => {
          const part = token.split('.')[segment]!;
          const i = at % part.length;
          const replaced = alphabet[(alphabet.indexOf(part[i]!) + shift) % 64]!;
          await rejectedOrSameBytes(token, segment, part.slice(0, i) + replaced + part.slice(i + 1));
        }),
        { numRuns: 300 },
      );
    });

    it('accepts a changed last signature character only when it decodes to the same bytes', async () => {
      const { token } = await signAccessToken(input);
      const signature = token.split('.')[2]!;
      let accepted = 0;
      for (const c of alphabet.replace(signature.at(-1)!, '')) accepted += Number(await rejectedOrSameBytes(token, 2, signature.slice(0, -1) + c));
      // 64 bytes take 86 characters, the last carrying 4 unused bits: at most 15 others decode the same.
      assert.ok(accepted <= 15);
    });
  });

});
