import { strict as assert } from 'node:assert';
import { randomBytes, randomUUID } from 'node:crypto';
import { getPool } from '../../../shared/db/pool.js';
import { withTransaction } from '../../../shared/db/tx.js';
import { auth, otpCode, recordEvents, strongPassword, userWithTrustedDevice } from '../../../test/support/auth.js';
import { asTenant } from '../../../test/support/notify.js';
import { asSuperAdmin, createCompany, ownerQuery } from '../../../test/support/owner.js';
import { createUser, uniqueContact } from '../../../test/support/users.js';
import { recentPasswordHashes, setPasswordHash } from './user.repo.js';

/**
 * What the triggers of migration 0005 write about users: the audit trail (auth_user_action_log), the login
 * log and the password history; and that the app role can only read the two logs.
 */


const freshIp = () => `198.51.100.${1 + Math.floor(Math.random() * 254)}`;

interface AuditRow {
  entity: string;
  entity_id: string;
  action_name: string;
  actor_id: number | null;
  user_ip: string | null;
  company_id: number;
  prev: Record<string, unknown> | null;
  next: Record<string, unknown> | null;
  text: string;
}

/** The audit rows about one user (its row and its memberships), oldest first. Reading all of it takes the super-admin setting. */
async function auditOf(userId: number): Promise<AuditRow[]> {
  return asSuperAdmin(async (c) =>
    (
      await c.query<AuditRow>(
        `select entity, entity_id, action_name, actor_id, host(user_ip) as user_ip, company_id,
                prev_entity_value as prev, new_entity_value as next,
                coalesce(prev_entity_value::text, '') || coalesce(new_entity_value::text, '') as text
           from auth_user_action_log
          where entity in ('user', 'user_company') and entity_id = $1::text
          order by id`,
        [String(userId)],
      )
    ).rows,
  );
}

const hiddenColumns = ['password_hash', 'login_fail_count', 'locked_until', 'last_login', 'last_failed_login', 'updated_at'];

describe('user audit trail', () => {
  recordEvents();
  let company: { id: number };

  before(async () => {
    company = await createCompany();
  });

  it('audits register (add) and verify (update) with actor and address, never the password hash', async () => {
    const contact = uniqueContact();
    const deviceId = `device-${randomUUID()}`;
    const registerIp = freshIp();
    const reg = await auth()
      .post('/auth/register')
      .set('X-Forwarded-For', registerIp)
      .send({ companyId: company.id, fullname: 'Dewi Lestari', ...contact, password: strongPassword, deviceId })
      .expect(201);
    const userId = reg.body.userId as number;

    const added = await auditOf(userId);
    assert.deepEqual(
      added.map((r) => [r.entity, r.action_name, r.actor_id, r.user_ip, r.company_id]),
      [
        ['user', 'add', null, registerIp, company.id],
        ['user_company', 'add', null, registerIp, company.id],
      ],
    );
    const inserted = added[0]!;
    assert.equal(inserted.prev, null);
    assert.equal(inserted.next!.id, userId);
    assert.equal(inserted.next!.status, 'PENDING_VERIFICATION');
    assert.equal(inserted.next!.email, contact.email);
    assert.deepEqual(added[1]!.next, { user_id: userId, company_id: company.id, created_at: added[1]!.next!.created_at });

    const verifyIp = freshIp();
    await auth().post('/auth/verify-otp').set('X-Forwarded-For', verifyIp).send({ ottId: reg.body.otp.ottId, code: await otpCode(reg.body.otp.ottId) }).expect(200);
    const afterVerify = await auditOf(userId);
    assert.equal(afterVerify.length, 3, 'one update row for the verification');
    const updated = afterVerify[2]!;
    assert.deepEqual([updated.entity, updated.action_name, updated.actor_id, updated.user_ip, updated.company_id], ['user', 'update', userId, verifyIp, company.id]);
    assert.equal(updated.prev!.status, 'PENDING_VERIFICATION');
    assert.equal(updated.next!.status, 'PENDING_APPROVAL');

    // The hash really is on the row; it just never reaches the log.
    const [stored] = await ownerQuery<{ password_hash: string }>(`select password_hash from auth_user where id = $1::bigint`, [userId]);
    assert.match(stored!.password_hash, /^\$argon2id\$/);
    for (const row of afterVerify) {
      assert.ok(!row.text.includes('$argon2'), `no argon2 hash in the ${row.entity} ${row.action_name} row`);
      assert.ok(!row.text.includes(stored!.password_hash));
      for (const column of hiddenColumns) {
        assert.ok(!(column in (row.prev ?? {})) && !(column in (row.next ?? {})), `${column} is left out`);
      }
    }
  });

  it('writes no audit row for logins, failed or not, nor for an update that changes nothing', async () => {
    const user = await userWithTrustedDevice({ companyId: company.id });
    const ip = freshIp();
    const before = (await auditOf(user.id)).length;
    await auth().post('/auth/login').set('X-Forwarded-For', ip).send({ identifier: user.email, password: 'kata sandi yang keliru', deviceId: user.deviceId }).expect(401);
    const ok = await auth().post('/auth/login').set('X-Forwarded-For', ip).send({ identifier: user.email, password: user.password, deviceId: user.deviceId }).expect(200);
    await auth().post('/auth/refresh-token').set('X-Forwarded-For', ip).send({ refreshToken: ok.body.refreshToken }).expect(200);
    await asSuperAdmin((c) => c.query(`update auth_user set status = status, locked_until = now() - interval '1 day' where id = $1::bigint`, [user.id]));
    assert.equal((await auditOf(user.id)).length, before);
    // ...while the login log has them.
    const logins = await asTenant<{ login_status: string }>(company.id, `select login_status from auth_login_log where user_id = $1::bigint order by id`, [user.id]);
    assert.deepEqual(logins.map((r) => r.login_status), ['FAIL', 'OK']);
  });

  it('audits a status change made by an operator with the actor from the transaction settings', async () => {
    const user = await createUser({ companyId: company.id, status: 'PENDING_APPROVAL', passwordHash: '$argon2id$v=19$m=19456,t=2,p=1$c2FsdHNhbHQ$aGFzaGhhc2g' });
    const admin = await createUser({ companyId: company.id, role: 'ADMIN' });
    await withTransaction({ companyIds: [company.id], userId: admin.id, ip: '203.0.113.9' }, (tx) =>
      tx.query(`update auth_user set status = 'ACTIVE', approved_by = $2::bigint, approved_at = now() where id = $1::bigint`, [user.id, admin.id]),
    );
    const rows = await auditOf(user.id);
    const last = rows.at(-1)!;
    assert.deepEqual([last.action_name, last.actor_id, last.user_ip], ['update', admin.id, '203.0.113.9']);
    assert.deepEqual([last.prev!.status, last.next!.status, last.next!.approved_by], ['PENDING_APPROVAL', 'ACTIVE', admin.id]);
    assert.ok(rows.every((r) => !r.text.includes('$argon2')));
  });
});

describe('password history (auth_password_log)', () => {
  it('logs every new hash by trigger, keeps only the newest five, and skips an unchanged hash', async () => {
    const company = await createCompany();
    const tag = randomBytes(4).toString('hex');
    const hashes = Array.from({ length: 8 }, (_, i) => `$argon2id$v=19$m=19456,t=2,p=1$${tag}$hash${i}`);
    const user = await createUser({ companyId: company.id, passwordHash: hashes[0]! });
    const logged = async () =>
      (await ownerQuery<{ pwd_hash: string; created_by: number | null; company_id: number }>(
        `select pwd_hash, created_by, company_id from auth_password_log where user_id = $1::bigint order by id`,
        [user.id],
      ));
    assert.deepEqual((await logged()).map((r) => r.pwd_hash), [hashes[0]]);

    for (const hash of hashes.slice(1)) {
      await withTransaction({ companyIds: [company.id], userId: user.id }, (tx) => setPasswordHash(tx, user.id, hash));
    }
    const kept = await logged();
    assert.deepEqual(kept.map((r) => r.pwd_hash), hashes.slice(3));
    assert.ok(kept.every((r) => r.created_by === user.id && r.company_id === company.id));

    // The same hash again (e.g. an update of other columns) is not a new password.
    await withTransaction({ companyIds: [company.id], userId: user.id }, (tx) => setPasswordHash(tx, user.id, hashes[7]!));
    assert.deepEqual((await logged()).map((r) => r.pwd_hash), hashes.slice(3));

    // What the reuse check reads: newest first, the current one included.
    const recent = await withTransaction({ companyIds: [company.id], userId: user.id }, (tx) => recentPasswordHashes(tx, user.id));
    assert.deepEqual(recent, hashes.slice(3).reverse());
  });
});

describe('login and password logs are append-only for the app role', () => {
  let company: { id: number };
  let userId: number;

  before(async () => {
    company = await createCompany();
    userId = (await createUser({ companyId: company.id, passwordHash: '$argon2id$v=19$m=19456,t=2,p=1$c2FsdA$aGFzaA' })).id;
    await asTenant(company.id, `insert into auth_login_log (company_id, user_id, login_status) values ($1::bigint, $2::bigint, 'OK')`, [company.id, userId]);
  });

  // The app role holds only SELECT on both logs (the triggers write them as the owner), so every write is
  // refused by the privilege check with 42501 before row level security is even consulted, whatever the
  // tenant settings say.
  const writes: Array<[string, string]> = [
    ['insert into auth_login_log', `insert into auth_login_log (company_id, user_id, login_status) values ($1::bigint, $2::bigint, 'OK')`],
    ['update auth_login_log', `update auth_login_log set login_status = 'FAIL' where company_id = $1::bigint and user_id = $2::bigint`],
    ['delete from auth_login_log', `delete from auth_login_log where company_id = $1::bigint and user_id = $2::bigint`],
    ['insert into auth_password_log', `insert into auth_password_log (company_id, user_id, pwd_hash) values ($1::bigint, $2::bigint, 'x')`],
    ['update auth_password_log', `update auth_password_log set pwd_hash = 'x' where company_id = $1::bigint and user_id = $2::bigint`],
    ['delete from auth_password_log', `delete from auth_password_log where company_id = $1::bigint and user_id = $2::bigint`],
  ];
  for (const [what, sql] of writes) {
    it(`cannot ${what}, neither bare nor inside its tenant`, async () => {
      const pool = await getPool();
      await assert.rejects(pool.query(sql, [company.id, userId]), (err: { code?: string }) => err.code === '42501');
      const client = await pool.connect();
      try {
        await client.query('begin');
        await client.query(`select set_config('app.company_ids', $1::text, true), set_config('app.user_id', $2::text, true)`, [String(company.id), String(userId)]);
        await assert.rejects(client.query(sql, [company.id, userId]), (err: { code?: string }) => err.code === '42501');
      } finally {
        await client.query('rollback');
        client.release();
      }
    });
  }

  it('reads the logs only inside the tenant (RLS)', async () => {
    const pool = await getPool();
    const bare = await pool.query(`select count(*)::int as n from auth_password_log where user_id = $1::bigint`, [userId]);
    assert.equal(bare.rows[0].n, 0);
    const inTenant = await withTransaction({ companyIds: [company.id] }, (tx) => tx.query<{ n: number }>(`select count(*)::int as n from auth_password_log where user_id = $1::bigint`, [userId]));
    assert.equal(inTenant.rows[0]!.n, 1);
  });
});
