import { fileURLToPath } from 'node:url';
import { withTransaction, type DbActor } from '../shared/db/tx.js';
import { closePool } from '../shared/db/pool.js';
import { currentKeyId, decrypt, encrypt, hashKeyBase64, keyIdOf } from '../shared/crypto/encryption.js';
import { encryptedColumns, type EncryptedColumn } from '../shared/crypto/investor-fields.js';

/**
 * `npm run pii:reencrypt`: after a new key became `current` in the secret pii-encryption-keys, re-encrypts every
 * stored value still under an older key, so the old key can leave the keyring. Batches of rows, each its own
 * transaction; a row changed meanwhile is left for the next run (the update matches the old ciphertext).
 * `--dry-run` counts, `--print-hash-key` prints the keyed-hash key to pin in the keyring (see shared/crypto).
 * Runs as the app role with the super-admin setting, under RLS like any caller, and writes no audit noise:
 * the encrypted columns are hidden from the trail. Safe to stop and re-run.
 */
const operator: DbActor = { companyIds: [], superAdmin: true };

export interface ReencryptResult {
  column: string;
  reencrypted: number;
  skipped: number;
}

export async function reencryptColumn(col: EncryptedColumn, opts: { batch?: number; dryRun?: boolean } = {}): Promise<ReencryptResult> {
  const current = await currentKeyId();
  const batch = opts.batch ?? 500;
  let after = '';
  let reencrypted = 0;
  let skipped = 0;
  for (;;) {
    const done = await withTransaction(operator, async (tx) => {
      // Table and column names come from the fixed list in pii.ts, never from input.
      const { rows } = await tx.query<{ key: string; investor_id: string; value: string }>(
        `select ${col.key}::text as key, investor_id::text, ${col.column} as value from ${col.table}
          where ${col.column} is not null and ${col.key}::text > $1::text and split_part(${col.column}, '.', 2) <> $2::text
          order by ${col.key}::text limit $3::int`,
        [after, current, batch],
      );
      for (const r of rows) {
        const context = col.context(r.investor_id);
        const next = await encrypt(await decrypt(r.value, context), context);
        if (opts.dryRun) continue;
        const updated = await tx.query(
          `update ${col.table} set ${col.column} = $1::text where ${col.key}::text = $2::text and ${col.column} = $3::text`,
          [next, r.key, r.value],
        );
        if (updated.rowCount) reencrypted++;
        else skipped++;
      }
      if (opts.dryRun) reencrypted += rows.length;
      after = rows.at(-1)?.key ?? after;
      return rows.length < batch;
    });
    if (done) break;
  }
  return { column: `${col.table}.${col.column}`, reencrypted, skipped };
}

export async function reencryptAll(opts: { batch?: number; dryRun?: boolean } = {}): Promise<ReencryptResult[]> {
  const results: ReencryptResult[] = [];
  for (const col of Object.values(encryptedColumns)) results.push(await reencryptColumn(col, opts));
  return results;
}

/** Whether a value is under the current key (for reports and tests). */
export async function isCurrent(value: string): Promise<boolean> {
  return keyIdOf(value) === (await currentKeyId());
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1] && process.argv.includes('--print-hash-key')) {
  void hashKeyBase64().then((key) => console.log(key));
} else if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const dryRun = process.argv.includes('--dry-run');
  const batch = Number(process.argv.find((a) => a.startsWith('--batch='))?.split('=')[1] ?? 500);
  reencryptAll({ batch, dryRun })
    .then(async (results) => {
      for (const r of results) console.log(`${r.column}: ${r.reencrypted} ${dryRun ? 'to re-encrypt' : 're-encrypted'}, ${r.skipped} changed meanwhile`);
      await closePool();
    })
    .catch(async (err: unknown) => {
      console.error(err);
      await closePool().catch(() => undefined);
      process.exitCode = 1;
    });
}
