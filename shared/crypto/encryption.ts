import { createCipheriv, createDecipheriv, createHash, createHmac, randomBytes } from 'node:crypto';
import { z } from 'zod';
import { getSecret } from '../secrets.js';

/**
 * Field encryption at rest (DESIGN §5): AES-256-GCM with a random 96-bit IV per value. The key id is stored
 * with each value ("v1.<kid>.<iv>.<ciphertext>.<tag>", base64url parts) so keys can rotate: new values use
 * the current key, old values still decrypt with theirs until re-encrypted. `context` (e.g. "auth_ott.code")
 * is bound as associated data, so a value copied into another column does not decrypt.
 *
 * Keys come from the secret `pii-encryption-keys`: {"current": "<kid>", "keys": {"<kid>": "<base64 32 bytes>"}, "hashKey"?: "<base64 32 bytes>"}.
 * Keyed hashes (lookups, uniqueness) use `hashKey`, or without it a key derived from the first key id in sort
 * order — never from `current`, so rotating the encryption key leaves every hash valid. Before that first key
 * leaves the ring, its derived hash key is pinned as `hashKey` (`npm run pii:reencrypt -- --print-hash-key`).
 * Locally and in tests a fixed development key is used; it never leaves this machine.
 */
const keyring = z.object({
  current: z.string().regex(/^[A-Za-z0-9_-]{1,32}$/),
  keys: z.record(z.string(), z.string()),
  hashKey: z.string().optional(),
});

interface Keys {
  current: string;
  keys: Map<string, Buffer>;
  hashKey: Buffer;
}

export const localDevelopmentKeyring = JSON.stringify({ current: 'local1', keys: { local1: createHash('sha256').update('rmtools local development key').digest('base64') } });

let loaded: Promise<Keys> | undefined;

async function keys(): Promise<Keys> {
  loaded ??= getSecret('pii-encryption-keys', localDevelopmentKeyring).then((raw) => {
    const parsed = keyring.parse(JSON.parse(raw));
    const map = new Map(Object.entries(parsed.keys).map(([kid, b64]) => [kid, Buffer.from(b64, 'base64')]));
    for (const [kid, key] of map) if (key.length !== 32) throw new Error(`Encryption key ${kid} is not 32 bytes`);
    const current = map.get(parsed.current);
    if (!current) throw new Error(`Current encryption key ${parsed.current} is missing`);
    // A separate key for keyed hashes, derived so lookups stay stable across rotations of the current key.
    const pinned = parsed.hashKey === undefined ? undefined : Buffer.from(parsed.hashKey, 'base64');
    if (pinned && pinned.length !== 32) throw new Error('hashKey is not 32 bytes');
    const hashKey = pinned ?? createHmac('sha256', map.get([...map.keys()].sort()[0]!)!).update('rmtools keyed hash v1').digest();
    return { current: parsed.current, keys: map, hashKey };
  });
  return loaded;
}

/** Tests and key rotation tooling reload the keyring after changing the secret. */
export function resetKeys(): void {
  loaded = undefined;
}

export async function encrypt(plaintext: string, context: string): Promise<string> {
  const k = await keys();
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', k.keys.get(k.current)!, iv);
  cipher.setAAD(Buffer.from(context));
  const ct = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
  return ['v1', k.current, iv.toString('base64url'), ct.toString('base64url'), cipher.getAuthTag().toString('base64url')].join('.');
}

export async function decrypt(value: string, context: string): Promise<string> {
  const [version, kid, iv, ct, tag] = value.split('.');
  if (version !== 'v1' || !kid || iv === undefined || ct === undefined || tag === undefined) throw new Error('Not an encrypted value');
  const key = (await keys()).keys.get(kid);
  if (!key) throw new Error(`Unknown encryption key ${kid}`);
  const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64url'));
  decipher.setAAD(Buffer.from(context));
  decipher.setAuthTag(Buffer.from(tag, 'base64url'));
  return Buffer.concat([decipher.update(Buffer.from(ct, 'base64url')), decipher.final()]).toString('utf8');
}

/** The key id new values are encrypted with. */
export async function currentKeyId(): Promise<string> {
  return (await keys()).current;
}

/** The keyed-hash key in base64, for pinning it as `hashKey` before the key it derives from is retired. */
export async function hashKeyBase64(): Promise<string> {
  return (await keys()).hashKey.toString('base64');
}

/** The key id a stored value was encrypted with (re-encryption finds values not under the current key). */
export function keyIdOf(value: string): string | undefined {
  return value.split('.')[1];
}

/** HMAC-SHA256 of a normalised value: equality lookups and uniqueness without storing the value. */
export async function keyedHash(value: string, context: string): Promise<string> {
  return createHmac('sha256', (await keys()).hashKey).update(`${context}\u0000${value}`).digest('base64url');
}
