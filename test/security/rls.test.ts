import { strict as assert } from 'node:assert';
import { randomUUID } from 'node:crypto';
import { withTransaction } from '../../shared/db/tx.js';
import { listUsers } from '../../functions/auth/user-admin/user-admin.repo.js';
import { listAuditEntries } from '../../functions/auth/audit/audit-log.repo.js';
import { listSessions } from '../../functions/auth/sessions/session.repo.js';
import { verifyAccessToken } from '../../shared/auth/access-token.js';
import { emit } from '../../shared/events/outbox.js';
import { recordEvents, signIn } from '../support/auth.js';
import { createCompany, ownerQuery } from '../support/owner.js';
import { createUser } from '../support/users.js';
import { asTenant } from '../support/notify.js';

/**
 * Tenant isolation is a property of the database (DESIGN §5): every table with a company_id is under FORCE'd
 * row level security, the app role can neither bypass nor own it, and with the tenant filter taken out of
 * the SQL the policies alone still return no other tenant's rows.
 */
/** Tables of the public schema with a company_id column, as the owner sees the catalogue. */
const tenantTableFilter = `n.nspname = 'public' and c.relkind = 'r'
  and exists (select 1 from pg_attribute a where a.attrelid = c.oid and a.attname = 'company_id' and not a.attisdropped)`;

describe('row level security', () => {
  recordEvents();

  it('covers every table with a company_id: enabled, forced, with a policy', async () => {
    const rows = await ownerQuery<{ table: string; enabled: boolean; forced: boolean; policies: number }>(
      `select c.relname as table, c.relrowsecurity as enabled, c.relforcerowsecurity as forced,
              (select count(*)::int from pg_policy p where p.polrelid = c.oid) as policies
         from pg_class c join pg_namespace n on n.oid = c.relnamespace
        where ${tenantTableFilter}
        order by c.relname`,
    );
    assert.ok(rows.length >= 12, `${rows.length} tenant tables`);
    const weak = rows.filter((r) => !r.enabled || !r.forced || r.policies === 0).map((r) => r.table);
    assert.deepEqual(weak, []);
  });

  it('connects the app as a role that owns nothing and cannot bypass RLS', async () => {
    const [role] = await ownerQuery<{ rolsuper: boolean; rolbypassrls: boolean; owned: number }>(
      `select r.rolsuper, r.rolbypassrls,
              (select count(*)::int from pg_class c where c.relowner = r.oid) +
              (select count(*)::int from pg_proc p where p.proowner = r.oid) as owned
         from pg_roles r where r.rolname = current_user || '' or r.rolname = 'rmtools_app'
        order by r.rolname = 'rmtools_app' desc limit 1`,
    );
    assert.deepEqual(role, { rolsuper: false, rolbypassrls: false, owned: 0 });
    const [me] = await withTransaction({ companyIds: [] }, async (tx) => (await tx.query<{ user: string }>(`select current_user as user`)).rows);
    assert.equal(me!.user, 'rmtools_app');
  });

  describe('with the tenant filter removed from the repositories’ SQL', () => {
    let a: number;
    let b: number;
    let adminA: number;
    let memberB: { id: number; sessionId: string };

    before(async () => {
      a = (await createCompany()).id;
      b = (await createCompany()).id;
      adminA = (await createUser({ companyId: a, role: 'ADMIN' })).id;
      for (let i = 0; i < 3; i++) await createUser({ companyId: a });
      for (let i = 0; i < 3; i++) await createUser({ companyId: b });
      const signed = await signIn({ companyId: b });
      memberB = { id: signed.id, sessionId: (await verifyAccessToken(signed.accessToken)).sessionId! };
      await asTenant(b, `insert into notification (company_id, user_id, type, title, body, event_id) values ($1::bigint, $2::bigint, 'T', 't', 'b', $3::text)`, [b, memberB.id, randomUUID()]);
      await withTransaction({ companyIds: [b] }, (tx) => emit(tx, 'push.requested', { userIds: [memberB.id], type: 'T', title: 't', body: 'b' }, { companyId: b }));
    });

    const asAdminA = <T>(fn: Parameters<typeof withTransaction<T>>[1]) => withTransaction({ companyIds: [a], userId: adminA }, fn);

    it('listUsers over every company returns only A’s users', async () => {
      const users = await asAdminA((tx) => listUsers(tx, { companyIds: null, limit: 1000 }));
      assert.ok(users.length >= 4);
      assert.deepEqual([...new Set(users.map((u) => u.companyId))], [a]);
    });

    it('listAuditEntries over the whole trail returns only A’s entries', async () => {
      const entries = await asAdminA((tx) => listAuditEntries(tx, { companyIds: null, limit: 1000 }));
      assert.ok(entries.length >= 4);
      // Entries are filed under the tenant of their row: company A itself, or users at home in A.
      const usersOfA = new Set((await ownerQuery<{ id: number }>(`select id from auth_user where company_id = $1::bigint`, [a])).map((r) => String(r.id)));
      for (const e of entries) {
        assert.ok(e.entity === 'company' ? e.entityId === String(a) : usersOfA.has(e.entityId), `${e.entity} ${e.entityId} is not A's`);
      }
    });

    it('B’s sessions, named by user, are invisible to A', async () => {
      assert.deepEqual(await asAdminA((tx) => listSessions(tx, memberB.id, undefined, 100)), []);
    });

    it('a bare select of each tenant table returns no row of another company', async () => {
      const tables = await ownerQuery<{ table: string }>(
        `select c.relname as table from pg_class c join pg_namespace n on n.oid = c.relnamespace
          where ${tenantTableFilter} and has_table_privilege('rmtools_app', c.oid, 'select')`,
      );
      for (const { table } of tables) {
        const ownRows = await withTransaction({ companyIds: [b] }, async (tx) => (await tx.query(`select company_id from ${table}`)).rows);
        const foreign = await asAdminA(async (tx) => (await tx.query(`select company_id from ${table} where company_id is distinct from $1::bigint`, [a])).rows);
        assert.deepEqual(foreign.filter((r) => r.company_id !== null), [], `${table} leaks another tenant's rows`);
        assert.ok(ownRows.every((r) => r.company_id === null || Number(r.company_id) === b), `${table} as B`);
      }
      // B's rows exist and are visible to B: the emptiness above is RLS, not missing data.
      const seenByB = await withTransaction({ companyIds: [b] }, async (tx) => ({
        users: (await tx.query(`select 1 from auth_user`)).rowCount,
        sessions: (await tx.query(`select 1 from auth_session`)).rowCount,
        notifications: (await tx.query(`select 1 from notification`)).rowCount,
        outbox: (await tx.query(`select 1 from outbox where company_id is not null`)).rowCount,
      }));
      assert.ok(seenByB.users! >= 4 && seenByB.sessions! >= 1 && seenByB.notifications! >= 1 && seenByB.outbox! >= 1, JSON.stringify(seenByB));
    });
  });
});
