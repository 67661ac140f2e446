import { strict as assert } from 'node:assert';
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseKeyring } from '../../shared/auth/signing-keys.js';
import { ensureLocalJwtKeys, JWT_KEYS_FILE } from './jwt-keys.js';

describe('local JWT signing keys', () => {
  let root: string;

  beforeEach(async () => {
    root = await mkdtemp(join(tmpdir(), 'rmtools-jwt-keys-'));
  });

  afterEach(async () => {
    await rm(root, { recursive: true, force: true });
  });

  it('generates the keyring once, readable only by its owner, and reuses it', async () => {
    const dataDir = join(root, 'data');
    const first = await ensureLocalJwtKeys(dataDir);
    assert.equal(parseKeyring(first).keys.length, 1);
    const file = join(dataDir, JWT_KEYS_FILE);
    assert.equal((await stat(file)).mode & 0o777, 0o600);
    assert.equal((await readFile(file, 'utf8')).trim(), first);
    assert.equal(await ensureLocalJwtKeys(dataDir), first);
  });

  it('keeps one keyring when two starts race', async () => {
    const [a, b] = await Promise.all([ensureLocalJwtKeys(root), ensureLocalJwtKeys(root)]);
    assert.equal(a, b);
  });

  it('refuses a damaged keyring file instead of replacing it', async () => {
    await writeFile(join(root, JWT_KEYS_FILE), '{"current": "x", "keys": []}', { mode: 0o600 });
    await assert.rejects(ensureLocalJwtKeys(root), /not a valid JWT keyring \(delete it/);
  });
});
