import { strict as assert } from 'node:assert';
import { getPool } from '../../shared/db/pool.js';
import { withTransaction } from '../../shared/db/tx.js';
import { asSuperAdmin, createCompany, ownerQuery } from '../support/owner.js';

/** The app role is the only one the functions use: it must not be able to step around RLS or the schema. */
describe('app role and row level security', () => {
  it('is not a superuser, cannot bypass RLS and owns nothing', async () => {
    const pool = await getPool();
    const { rows } = await pool.query(
      `select r.rolsuper, r.rolbypassrls, r.rolcreaterole, r.rolcreatedb,
              (select count(*)::int from pg_class c where c.relowner = r.oid) as owned
         from pg_roles r where r.rolname = current_user`,
    );
    assert.deepEqual(rows[0], { rolsuper: false, rolbypassrls: false, rolcreaterole: false, rolcreatedb: false, owned: 0 });
  });

  const forbidden: Array<[string, string]> = [
    ['alter a table', 'alter table auth_company add column hacked text'],
    ['drop a table', 'drop table outbox'],
    ['create a table', 'create table mine (id int)'],
    ['disable RLS', 'alter table auth_company disable row level security'],
    ['write the audit log', `insert into auth_user_action_log (entity, entity_id, action_name) values ('x', '1', 'add')`],
    ['rewrite the audit log', `update auth_user_action_log set entity = 'x'`],
    ['erase the audit log', 'delete from auth_user_action_log'],
    ['change master data', `update bank set name = 'x'`],
    ['become the owner', 'set role rmtools_owner'],
  ];
  for (const [what, sql] of forbidden) {
    it(`cannot ${what}`, async () => {
      const pool = await getPool();
      await assert.rejects(pool.query(sql), (err: { code?: string }) => ['42501', '42P01'].includes(err.code ?? ''));
    });
  }

  it('cannot switch row security off to read around a policy', async () => {
    const pool = await getPool();
    const client = await pool.connect();
    try {
      await client.query('set row_security = off');
      // With RLS off requested, Postgres refuses any query a policy would have filtered.
      await assert.rejects(client.query('select * from auth_user_action_log'), /row-level security/);
    } finally {
      await client.query('reset row_security');
      client.release();
    }
  });

  it('updates only the tenants in app.company_ids, and audits who did it from where', async () => {
    const a = await createCompany();
    const b = await createCompany();
    const changed = await withTransaction({ companyIds: [a.id], userId: 4242, ip: '203.0.113.7' }, async (tx) => {
      const mine = await tx.query(`update auth_company set name = 'Renamed A' where id = $1::bigint`, [a.id]);
      const theirs = await tx.query(`update auth_company set name = 'Hijacked' where id = $1::bigint`, [b.id]);
      return [mine.rowCount, theirs.rowCount];
    });
    assert.deepEqual(changed, [1, 0]);
    const [stillB] = await ownerQuery<{ name: string }>('select name from auth_company where id = $1', [b.id]);
    assert.equal(stillB!.name, b.name);
    // The audit log is under RLS for every role; reading all of it takes the super-admin setting.
    const audit = await asSuperAdmin(async (c) => (await c.query<{ action_name: string; actor_id: number; user_ip: string; prev: string; next: string; company_id: number }>(
      `select action_name, actor_id, host(user_ip) as user_ip, prev_entity_value->>'name' as prev, new_entity_value->>'name' as next, company_id
         from auth_user_action_log where entity = 'company' and entity_id = $1::text order by id`,
      [String(a.id)],
    )).rows);
    assert.equal(audit.length, 2);
    assert.deepEqual(audit[1], { action_name: 'update', actor_id: 4242, user_ip: '203.0.113.7', prev: a.name, next: 'Renamed A', company_id: a.id });
  });

  it('reads only its tenants’ audit rows', async () => {
    const a = await createCompany();
    const b = await createCompany();
    const seen = await withTransaction({ companyIds: [a.id] }, async (tx) =>
      (await tx.query<{ company_id: number }>(`select distinct company_id from auth_user_action_log where company_id = any ($1::bigint[])`, [[a.id, b.id]])).rows,
    );
    assert.deepEqual(seen.map((r) => r.company_id), [a.id]);
  });

  it('cannot create a tenant without the super-admin setting', async () => {
    await assert.rejects(
      withTransaction({ companyIds: [] }, (tx) => tx.query(`insert into auth_company (code, name) values ('NOPE1', 'Nope')`)),
      (err: { code?: string }) => err.code === 'FORBIDDEN',
    );
  });

  it('keeps the settings inside the transaction, so a pooled connection carries no tenant', async () => {
    const pool = await getPool();
    const client = await pool.connect();
    try {
      await client.query('begin');
      await client.query(`select set_config('app.company_ids', '1,2', true)`);
      await client.query('commit');
      const { rows } = await client.query(`select app.company_ids() as ids`);
      assert.deepEqual(rows[0].ids, []);
    } finally {
      client.release();
    }
  });
});
