import { strict as assert } from 'node:assert';
import { randomBytes } from 'node:crypto';
import { decrypt, encrypt, keyedHash, keyIdOf, resetKeys } from './encryption.js';

describe('field encryption', () => {
  afterEach(() => {
    delete process.env.PII_ENCRYPTION_KEYS;
    resetKeys();
  });

  it('round-trips, with a fresh IV each time', async () => {
    const a = await encrypt('3171234567890001', 'investor.nik');
    const b = await encrypt('3171234567890001', 'investor.nik');
    assert.notEqual(a, b);
    assert.equal(await decrypt(a, 'investor.nik'), '3171234567890001');
    assert.doesNotMatch(a, /3171234567890001/);
  });

  it('refuses a value moved to another context or tampered with', async () => {
    const v = await encrypt('123456', 'auth_ott.code');
    await assert.rejects(decrypt(v, 'investor.nik'));
    const parts = v.split('.');
    parts[3] = Buffer.from('999999').toString('base64url');
    await assert.rejects(decrypt(parts.join('.'), 'auth_ott.code'));
  });

  it('decrypts values under an old key after rotation and encrypts new ones under the current key', async () => {
    const k1 = randomBytes(32).toString('base64');
    const k2 = randomBytes(32).toString('base64');
    process.env.PII_ENCRYPTION_KEYS = JSON.stringify({ current: 'k1', keys: { k1 } });
    resetKeys();
    const old = await encrypt('secret', 'ctx');
    const hashBefore = await keyedHash('secret', 'ctx');
    process.env.PII_ENCRYPTION_KEYS = JSON.stringify({ current: 'k2', keys: { k1, k2 } });
    resetKeys();
    assert.equal(await decrypt(old, 'ctx'), 'secret');
    assert.equal(keyIdOf(await encrypt('secret', 'ctx')), 'k2');
    assert.equal(await keyedHash('secret', 'ctx'), hashBefore, 'lookups survive a rotation');
  });

  it('keys hashes by context', async () => {
    assert.notEqual(await keyedHash('x', 'a'), await keyedHash('x', 'b'));
    assert.equal(await keyedHash('x', 'a'), await keyedHash('x', 'a'));
  });
});
