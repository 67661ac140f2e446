import { strict as assert } from 'node:assert';
import { mkdtemp, rm, writeFile, copyFile, readdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { migrate, migrationsDir } from '../../shared/db/migrate.js';
import { loadAreaData } from '../../shared/db/master-data.js';
import { scratchDatabase, type ScratchDatabase } from '../support/database.js';

async function count(url: string, table: string): Promise<number> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    return Number((await c.query(`select count(*)::int as n from ${table}`)).rows[0].n);
  } finally {
    await c.end();
  }
}

describe('migrations', () => {
  let db: ScratchDatabase;
  beforeEach(async () => {
    db = await scratchDatabase({ empty: true });
  });
  afterEach(() => db.drop());

  it('apply from an empty database, then are a no-op', async () => {
    const files = (await readdir(migrationsDir)).filter((f) => f.endsWith('.sql'));
    const first = await migrate(db.ownerUrl);
    assert.equal(first.applied.length, files.length);
    const second = await migrate(db.ownerUrl);
    assert.deepEqual(second.applied, []);
    assert.ok((await count(db.ownerUrl, 'bank')) >= 40);
    assert.equal(await count(db.ownerUrl, 'country'), 249);
  });

  it('loads the Indonesian areas once: 38 provinces, 514 cities/regencies, 7277 districts', async () => {
    await migrate(db.ownerUrl);
    const loaded = await loadAreaData(db.ownerUrl);
    assert.deepEqual(loaded, { loaded: true, provinces: 38, cities: 514, districts: 7277 });
    assert.equal(await count(db.appUrl, 'district'), 7277);
    assert.equal((await loadAreaData(db.ownerUrl)).loaded, false);
  });

  it('refuses to run when an applied migration was edited', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'rmtools-mig-'));
    try {
      for (const f of await readdir(migrationsDir)) await copyFile(join(migrationsDir, f), join(dir, f));
      await migrate(db.ownerUrl, dir);
      await writeFile(join(dir, '0001_platform.sql'), '-- edited\n', { flag: 'a' });
      await assert.rejects(migrate(db.ownerUrl, dir), /changed after it was applied/);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('rolls back a failing migration whole', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'rmtools-mig-'));
    try {
      await writeFile(join(dir, '0001_ok.sql'), 'create table kept (id int);');
      await writeFile(join(dir, '0002_bad.sql'), 'create table half (id int); select 1/0;');
      await assert.rejects(migrate(db.ownerUrl, dir), /0002_bad failed/);
      const c = new pg.Client({ connectionString: db.ownerUrl });
      await c.connect();
      const tables = (await c.query(`select tablename from pg_tables where schemaname = 'public' order by 1`)).rows.map((r) => r.tablename);
      await c.end();
      assert.deepEqual(tables, ['kept', 'schema_migrations']);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
