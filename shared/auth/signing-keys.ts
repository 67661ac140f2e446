import { randomBytes } from 'node:crypto';
import { CompactSign, compactVerify, exportJWK, generateKeyPair, importJWK, type CryptoKey } from 'jose';
import { z } from 'zod';
import { config } from '../config.js';
import { logger } from '../logging.js';
import { getSecret } from '../secrets.js';

/**
 * Access-token signing keys (DESIGN §5): ES256 key pairs from the secret `jwt-signing-keys`:
 * {"current": "<kid>", "keys": [{"kid": "<kid>", "privateJwk": {"kty": "EC", "crv": "P-256", "d", "x", "y"}}]}.
 * The current key signs; every listed key verifies, so a rotation keeps the previous current key live until the
 * tokens it signed have expired. A kid is 8 random bytes in base64url (11 characters): unique without
 * coordination between whoever rotates, and it says nothing about the key.
 *
 * Keys are imported once and reused, so verifying costs one signature check. A long-lived instance re-reads
 * the secret every REFRESH_MS (in the background, still serving the loaded set) so it picks up a rotation.
 */
export const SIGNING_KEYS_SECRET = 'jwt-signing-keys';
const MAX_KEYS = 5;
const REFRESH_MS = 10 * 60_000;

const coordinate = z.string().regex(/^[A-Za-z0-9_-]{43}$/, 'must be 32 bytes in base64url');
const kidSchema = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'must be 1 to 64 base64url characters');
const keyringSchema = z.object({
  current: kidSchema,
  keys: z
    .array(
      z.object({
        kid: kidSchema,
        // Only these members are kept: a stray key_ops or ext would change how the key imports.
        privateJwk: z.object({ kty: z.literal('EC'), crv: z.literal('P-256'), d: coordinate, x: coordinate, y: coordinate }),
      }),
    )
    .min(1)
    .max(MAX_KEYS),
});

export type Keyring = z.infer<typeof keyringSchema>;

export interface PublicJwk {
  kty: 'EC';
  crv: 'P-256';
  kid: string;
  alg: 'ES256';
  use: 'sig';
  x: string;
  y: string;
}

export interface KeySet {
  current: { kid: string; privateKey: CryptoKey };
  publicKeys: ReadonlyMap<string, CryptoKey>;
  jwks: { keys: PublicJwk[] };
}

/** Parses and checks a keyring. Messages name the problem but never echo the secret's content. */
export function parseKeyring(raw: string): Keyring {
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch {
    // No cause: the parser's message quotes the input, which holds private keys.
    throw new Error(`Secret ${SIGNING_KEYS_SECRET} is not valid JSON`);
  }
  const parsed = keyringSchema.safeParse(json);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ');
    throw new Error(`Secret ${SIGNING_KEYS_SECRET} is not valid (every key must be an EC P-256 private JWK): ${issues}`);
  }
  const kids = parsed.data.keys.map((k) => k.kid);
  if (new Set(kids).size !== kids.length) throw new Error(`Secret ${SIGNING_KEYS_SECRET} lists a key id twice`);
  if (!kids.includes(parsed.data.current)) {
    throw new Error(`Secret ${SIGNING_KEYS_SECRET}: current key ${parsed.data.current} is not among its keys`);
  }
  return parsed.data;
}

async function importKeyring(ring: Keyring): Promise<KeySet> {
  const publicKeys = new Map<string, CryptoKey>();
  const jwks: PublicJwk[] = [];
  let current: KeySet['current'] | undefined;
  for (const { kid, privateJwk } of ring.keys) {
    const { kty, crv, x, y } = privateJwk;
    let privateKey: CryptoKey;
    let publicKey: CryptoKey;
    try {
      privateKey = await importJWK({ ...privateJwk }, 'ES256', { extractable: false });
      publicKey = await importJWK({ kty, crv, x, y }, 'ES256');
    } catch {
      throw new Error(`Signing key ${kid} is not a valid P-256 key`);
    }
    // A d that does not belong to x/y would sign tokens nobody can verify: catch it at load, not per request.
    const probe = await new CompactSign(new TextEncoder().encode('key check')).setProtectedHeader({ alg: 'ES256' }).sign(privateKey);
    await compactVerify(probe, publicKey).catch(() => {
      throw new Error(`Signing key ${kid}: its private part does not match its public part`);
    });
    publicKeys.set(kid, publicKey);
    jwks.push({ kty, crv, kid, alg: 'ES256', use: 'sig', x, y });
    if (kid === ring.current) current = { kid, privateKey };
  }
  if (!current) throw new Error(`Secret ${SIGNING_KEYS_SECRET}: current key ${ring.current} is not among its keys`);
  return { current, publicKeys, jwks: { keys: jwks } };
}

let ephemeral: Promise<string> | undefined;

async function readKeyring(): Promise<string> {
  const raw = await getSecret(SIGNING_KEYS_SECRET, '');
  if (raw !== '' || config().APP_ENV === 'cloud') return raw;
  // A function started on its own (the local runtime sets the secret from .data/): keys for this process only.
  ephemeral ??= generateKeyring().then((ring) => {
    logger().warn(`${SIGNING_KEYS_SECRET} is not set: signing with a key generated for this process; its tokens will not survive a restart`);
    return ring;
  });
  return ephemeral;
}

const load = async (): Promise<KeySet> => importKeyring(parseKeyring(await readKeyring()));

let state: { keys: Promise<KeySet>; at: number } | undefined;

/** The live key set, loaded once; a failed load is forgotten so the next call tries again. */
export function signingKeys(): Promise<KeySet> {
  if (!state) {
    const entry = { keys: load(), at: Date.now() };
    state = entry;
    entry.keys.catch(() => {
      if (state === entry) state = undefined;
    });
    return entry.keys;
  }
  if (Date.now() - state.at > REFRESH_MS) refresh(state);
  return state.keys;
}

function refresh(entry: NonNullable<typeof state>): void {
  entry.at = Date.now(); // one refresh at a time
  load().then(
    (keys) => {
      if (state === entry) state = { keys: Promise.resolve(keys), at: Date.now() };
    },
    (err: unknown) => logger().warn({ err }, 'Reloading the JWT signing keys failed; keeping the loaded ones'),
  );
}

/** Tests and rotation tooling reload the keys after changing the secret. */
export function resetSigningKeys(): void {
  state = undefined;
}

/** The public half of the live keys, for the JWKS endpoint and the API gateway. */
export async function publicJwks(): Promise<{ keys: PublicJwk[] }> {
  const { jwks } = await signingKeys();
  return { keys: jwks.keys.map((k) => ({ ...k })) };
}

/**
 * A new keyring JSON whose fresh key is current. With `previous` (a keyring JSON), that keyring's current key
 * stays as the second live key and its older keys are dropped: a rotation keeps exactly two live keys.
 */
export async function generateKeyring(opts: { previous?: string } = {}): Promise<string> {
  const previous = opts.previous === undefined ? undefined : parseKeyring(opts.previous);
  const kept = previous?.keys.find((k) => k.kid === previous.current);
  let kid: string;
  do kid = randomBytes(8).toString('base64url');
  while (kid === kept?.kid);
  const { privateKey } = await generateKeyPair('ES256', { extractable: true });
  const { d, x, y } = await exportJWK(privateKey);
  const ring = { current: kid, keys: [{ kid, privateJwk: { kty: 'EC', crv: 'P-256', d, x, y } }, ...(kept ? [kept] : [])] };
  return JSON.stringify(keyringSchema.parse(ring));
}
