import { randomBytes } from 'node:crypto';
import { link, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { generateKeyring, parseKeyring } from '../../shared/auth/signing-keys.js';

/**
 * The local runtime's JWT signing keys: generated once into the data directory so tokens survive a restart of
 * the stack. The file holds private keys, so only its owner may read it. Returns the keyring JSON, which the
 * runtime passes to the functions as JWT_SIGNING_KEYS.
 */
export const JWT_KEYS_FILE = 'jwt-signing-keys.json';

export async function ensureLocalJwtKeys(dataDir: string): Promise<string> {
  const file = join(dataDir, JWT_KEYS_FILE);
  const existing = await readExisting(file);
  if (existing !== undefined) return existing;
  await mkdir(dataDir, { recursive: true, mode: 0o700 });
  const ring = await generateKeyring();
  // Written aside, then linked into place: link never overwrites, so a start racing this one keeps a single
  // keyring, and nobody reads a half-written file.
  const temp = `${file}.${randomBytes(4).toString('hex')}.tmp`;
  await writeFile(temp, `${ring}\n`, { mode: 0o600 });
  try {
    await link(temp, file);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    const theirs = await readExisting(file);
    if (theirs === undefined) throw err;
    return theirs;
  } finally {
    await rm(temp, { force: true });
  }
  return ring;
}

async function readExisting(file: string): Promise<string | undefined> {
  let raw: string;
  try {
    raw = (await readFile(file, 'utf8')).trim();
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
  try {
    parseKeyring(raw);
  } catch (err) {
    throw new Error(`${file} is not a valid JWT keyring (delete it to generate a new one): ${(err as Error).message}`, { cause: err });
  }
  return raw;
}
