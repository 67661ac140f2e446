import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import pg from 'pg';

/**
 * Forward-only SQL migrations: `migrations/NNNN_name.sql`, applied in order, each in its own transaction,
 * as the owner role. An applied file must never change (its checksum is kept); fixes go in a new file.
 * A session advisory lock makes concurrent runs (two deploys, two test workers) wait for each other.
 */
export const migrationsDir = fileURLToPath(new URL('./migrations/', import.meta.url));
const lockKey = 727_001;

export interface Migration {
  version: number;
  name: string;
  sql: string;
  checksum: string;
}

export async function loadMigrations(dir = migrationsDir): Promise<Migration[]> {
  const files = (await readdir(dir)).filter((f) => /^\d{4}_[a-z0-9_]+\.sql$/.test(f)).sort();
  const out: Migration[] = [];
  for (const file of files) {
    const sql = await readFile(new URL(file, `file://${dir}/`), 'utf8');
    out.push({
      version: Number(file.slice(0, 4)),
      name: file.replace(/\.sql$/, ''),
      sql,
      checksum: createHash('sha256').update(sql).digest('hex'),
    });
  }
  out.forEach((m, i) => {
    if (i > 0 && m.version === out[i - 1]!.version) throw new Error(`Duplicate migration version ${m.version}`);
  });
  return out;
}

export interface MigrateResult {
  applied: string[];
  total: number;
}

export async function migrate(ownerUrl: string, dir = migrationsDir): Promise<MigrateResult> {
  const migrations = await loadMigrations(dir);
  const client = new pg.Client({ connectionString: ownerUrl });
  await client.connect();
  try {
    await client.query('select pg_advisory_lock($1::bigint)', [lockKey]);
    await client.query(`create table if not exists schema_migrations (
      version integer primary key,
      name text not null,
      checksum text not null,
      applied_at timestamptz not null default now()
    )`);
    const { rows } = await client.query<{ version: number; name: string; checksum: string }>(
      'select version, name, checksum from schema_migrations order by version',
    );
    const done = new Map(rows.map((r) => [r.version, r]));
    for (const row of rows) {
      const file = migrations.find((m) => m.version === row.version);
      if (!file) throw new Error(`Migration ${row.name} was applied but its file is gone`);
      if (file.checksum !== row.checksum) throw new Error(`Migration ${row.name} changed after it was applied`);
    }
    const applied: string[] = [];
    for (const m of migrations) {
      if (done.has(m.version)) continue;
      await client.query('begin');
      try {
        await client.query(m.sql);
        await client.query('insert into schema_migrations (version, name, checksum) values ($1::int, $2::text, $3::text)', [
          m.version,
          m.name,
          m.checksum,
        ]);
        await client.query('commit');
        applied.push(m.name);
      } catch (err) {
        await client.query('rollback');
        throw new Error(`Migration ${m.name} failed: ${(err as Error).message}`, { cause: err });
      }
    }
    return { applied, total: migrations.length };
  } finally {
    await client.query('select pg_advisory_unlock($1::bigint)', [lockKey]).catch(() => undefined);
    await client.end();
  }
}
