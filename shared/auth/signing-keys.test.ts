import { strict as assert } from 'node:assert';
import { generateKeyPairSync } from 'node:crypto';
import { decodeProtectedHeader } from 'jose';
import { AppError } from '../errors.js';
import { signAccessToken, verifyAccessToken } from './access-token.js';
import { generateKeyring, parseKeyring, publicJwks, resetSigningKeys, signingKeys, type Keyring } from './signing-keys.js';

const input = { userId: 42, sessionId: '0b8f5a4e-3c1d-4e2f-9a6b-7c8d9e0f1a2b', role: 'agent' };
const invalidToken = (err: unknown) => err instanceof AppError && err.code === 'UNAUTHENTICATED';

describe('JWT signing keys', () => {
  // Read in before(): the root hook sets the run's keyring after the files are loaded.
  let saved: string | undefined;
  let ring: string;
  let other: Keyring;

  function useSecret(value: string | undefined): void {
    if (value === undefined) delete process.env.JWT_SIGNING_KEYS;
    else process.env.JWT_SIGNING_KEYS = value;
    resetSigningKeys();
  }

  before(async () => {
    saved = process.env.JWT_SIGNING_KEYS;
    ring = await generateKeyring();
    other = parseKeyring(await generateKeyring());
    useSecret(ring);
  });

  after(() => useSecret(saved));

  afterEach(() => useSecret(ring));

  it('generates a keyring whose only key is current, with an 11-character random kid', async () => {
    const parsed = parseKeyring(ring);
    assert.equal(parsed.keys.length, 1);
    assert.equal(parsed.keys[0]!.kid, parsed.current);
    assert.match(parsed.current, /^[A-Za-z0-9_-]{11}$/);
    assert.notEqual(parseKeyring(await generateKeyring()).current, parsed.current);
  });

  it('loads once and publishes only the public members', async () => {
    const keys = await signingKeys();
    assert.equal(await signingKeys(), keys, 'cached');
    const { current, keys: [key] } = parseKeyring(ring);
    assert.equal(keys.current.kid, current);
    assert.deepEqual([...keys.publicKeys.keys()], [current]);
    const jwks = await publicJwks();
    assert.deepEqual(jwks, {
      keys: [{ kty: 'EC', crv: 'P-256', kid: current, alg: 'ES256', use: 'sig', x: key!.privateJwk.x, y: key!.privateJwk.y }],
    });
    jwks.keys[0]!.x = 'changed';
    assert.equal((await publicJwks()).keys[0]!.x, key!.privateJwk.x, 'callers get copies');
  });

  it('rotates to exactly two live keys: the new current and the previous current', async () => {
    const a = parseKeyring(ring);
    const ab = parseKeyring(await generateKeyring({ previous: ring }));
    assert.deepEqual(ab.keys.map((k) => k.kid), [ab.current, a.current]);
    assert.deepEqual(ab.keys[1], a.keys[0]);
    const bc = parseKeyring(await generateKeyring({ previous: JSON.stringify(ab) }));
    assert.deepEqual(bc.keys.map((k) => k.kid), [bc.current, ab.current]);
    assert.equal(new Set([a.current, ab.current, bc.current]).size, 3);
    await assert.rejects(generateKeyring({ previous: '{"current":"x"}' }), /jwt-signing-keys is not valid/);
  });

  it('keeps verifying the previous key after a rotation and drops it after the next', async () => {
    const ringA = await generateKeyring();
    useSecret(ringA);
    const kidA = parseKeyring(ringA).current;
    const tokenA = (await signAccessToken(input)).token;
    assert.equal(decodeProtectedHeader(tokenA).kid, kidA);

    const ringAB = await generateKeyring({ previous: ringA });
    useSecret(ringAB);
    const kidB = parseKeyring(ringAB).current;
    assert.equal((await verifyAccessToken(tokenA)).userId, 42);
    const tokenB = (await signAccessToken(input)).token;
    assert.equal(decodeProtectedHeader(tokenB).kid, kidB);
    const jwks = await publicJwks();
    assert.deepEqual(jwks.keys.map((k) => k.kid), [kidB, kidA]);
    for (const key of jwks.keys) assert.deepEqual(Object.keys(key).sort(), ['alg', 'crv', 'kid', 'kty', 'use', 'x', 'y']);

    const ringBC = await generateKeyring({ previous: ringAB });
    useSecret(ringBC);
    await assert.rejects(verifyAccessToken(tokenA), invalidToken);
    assert.equal((await verifyAccessToken(tokenB)).userId, 42);
    assert.deepEqual((await publicJwks()).keys.map((k) => k.kid), [parseKeyring(ringBC).current, kidB]);
  });

  describe('refuses a malformed secret', () => {
    const first = () => parseKeyring(ring).keys[0]!;
    const withJwk = (change: Record<string, unknown>) => {
      const { current, keys } = parseKeyring(ring);
      return { current, keys: [{ kid: keys[0]!.kid, privateJwk: { ...keys[0]!.privateJwk, ...change } }] };
    };
    const rsa = () => generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ format: 'jwk' });
    const cases: Array<[string, () => unknown, RegExp]> = [
      ['not JSON', () => '{"current": ', /is not valid JSON/],
      ['no keys', () => ({ current: 'a', keys: [] }), /keys: .*>=1 items/],
      ['the current kid missing', () => ({ ...parseKeyring(ring), current: 'missing' }), /current key missing is not among its keys/],
      ['an RSA key', () => ({ current: 'r', keys: [{ kid: 'r', privateJwk: rsa() }] }), /keys\.0\.privateJwk\.kty: .*"EC"/],
      ['a P-384 key', () => withJwk({ crv: 'P-384' }), /privateJwk\.crv: .*"P-256"/],
      ['a key without d', () => withJwk({ d: undefined }), /privateJwk\.d: /],
      ['a bad kid', () => ({ current: 'a b', keys: [{ ...first(), kid: 'a b' }] }), /kid: must be 1 to 64 base64url/],
      ['a kid listed twice', () => ({ current: first().kid, keys: [first(), first()] }), /lists a key id twice/],
      ['more than five keys', () => ({ current: 'k0', keys: Array.from({ length: 6 }, (_, i) => ({ ...first(), kid: `k${i}` })) }), /keys: .*5/],
      ['a point not on the curve', () => withJwk({ x: other.keys[0]!.privateJwk.x }), /is not a valid P-256 key/],
      ['a d that does not match x/y', () => withJwk({ d: other.keys[0]!.privateJwk.d }), /not a valid P-256 key|private part does not match its public part/],
    ];
    for (const [name, make, message] of cases) {
      it(name, async () => {
        const value = make();
        useSecret(typeof value === 'string' ? value : JSON.stringify(value));
        const err = await signingKeys().then(
          () => assert.fail('loaded'),
          (e: unknown) => e as Error,
        );
        assert.match(err.message, message);
        assert.ok(!err.message.includes(first().privateJwk.d), 'never echoes a private key');
        assert.ok(!err.message.includes(other.keys[0]!.privateJwk.d), 'never echoes a private key');
      });
    }
  });

  it('forgets a failed load, so the next call tries again', async () => {
    process.env.JWT_SIGNING_KEYS = '{}';
    resetSigningKeys();
    await assert.rejects(signingKeys());
    process.env.JWT_SIGNING_KEYS = ring;
    assert.equal((await signingKeys()).current.kid, parseKeyring(ring).current);
  });

  it('without a secret outside the cloud, uses one key pair for the whole process', async () => {
    useSecret(undefined);
    const first = await signingKeys();
    assert.notEqual(first.current.kid, parseKeyring(ring).current);
    resetSigningKeys();
    assert.equal((await signingKeys()).current.kid, first.current.kid);
  });
});
