import { strict as assert } from 'node:assert';
import { randomBytes } from 'node:crypto';
import { getPool } from '../../../shared/db/pool.js';
import { withTransaction, type DbActor } from '../../../shared/db/tx.js';
import { isAppError } from '../../../shared/errors.js';
import { auth, bearer, freshIp, recordEvents, signIn, type SignedInUser } from '../../../test/support/auth.js';
import { asSuperAdmin, createCompany, ownerQuery } from '../../../test/support/owner.js';
import { createUser } from '../../../test/support/users.js';
import type { AuditEntry } from './audit-log.repo.js';

/**
 * GET /idty/audit-logs through the Functions Framework test server against the real database: which entries
 * an admin and a super admin see, the filters, keyset pagination, what the before/after images leave out,
 * and that the app role can only read the trail.
 */

/** An entry as the route answers it: the repository's, with the time as an ISO string and no cursor key. */
type Entry = Omit<AuditEntry, 'createdAt' | 'createdAtKey'> & { createdAt: string };

type Query = Record<string, string | number>;

const logs = (token: string | undefined, query: Query = {}) => {
  const req = auth().get('/idty/audit-logs').query(query);
  return token ? req.set(bearer(token)) : req;
};

/** Every entry the caller sees for `query`, walking the pages of `limit`; the size of each page too. */
async function walk(token: string, query: Query = {}, limit = 100): Promise<{ items: Entry[]; pageSizes: number[] }> {
  const items: Entry[] = [];
  const pageSizes: number[] = [];
  let cursor: string | undefined;
  do {
    const res = await logs(token, { ...query, limit, ...(cursor ? { cursor } : {}) }).expect(200);
    assert.deepEqual(Object.keys(res.body).sort(), ['items', 'nextCursor']);
    items.push(...res.body.items);
    pageSizes.push(res.body.items.length);
    cursor = res.body.nextCursor ?? undefined;
    assert.ok(pageSizes.length <= 50, 'the walk ends');
  } while (cursor);
  return { items, pageSizes };
}

const ids = (entries: Array<{ id: number }>) => entries.map((e) => e.id);

interface TrailRow {
  id: number;
  entity: string;
  entity_id: string;
  action_name: string;
  actor_id: number | null;
  company_id: number;
  /** created_at to the microsecond, ISO in UTC. */
  key: string;
  /** The same instant one microsecond later. */
  key_plus: string;
  /** The same instant written with the Jakarta offset (+07:00). */
  key_wib: string;
}

/** Audit rows straight from the table (with the super-admin setting), newest first as the API orders them. */
async function trail(where: string, values: unknown[]): Promise<TrailRow[]> {
  const iso = (expr: string) => `to_char((${expr}) at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;
  return asSuperAdmin(async (c) =>
    (
      await c.query<TrailRow>(
        `select id, entity, entity_id, action_name, actor_id, company_id, ${iso('created_at')} as key,
                ${iso(`created_at + interval '1 microsecond'`)} as key_plus,
                to_char(created_at at time zone 'Asia/Jakarta', 'YYYY-MM-DD"T"HH24:MI:SS.US"+07:00"') as key_wib
           from auth_user_action_log
          where ${where}
          order by created_at desc, id desc`,
        values,
      )
    ).rows.map((r) => ({ ...r, id: Number(r.id), actor_id: r.actor_id === null ? null : Number(r.actor_id), company_id: Number(r.company_id) })),
  );
}

/** A change of a user's name in its own transaction, made by `actorId` in the user's company. */
async function rename(user: { id: number; companyId: number }, actorId: number | null, fullname = `Nama ${randomBytes(3).toString('hex')}`): Promise<void> {
  await withTransaction({ companyIds: [user.companyId], userId: actorId, ip: '198.51.100.20' }, (tx) =>
    tx.query(`update auth_user set fullname = $2::text where id = $1::bigint`, [user.id, fullname]),
  );
}

/** Newest first: createdAt never increases, and within one instant ids go down. */
function assertNewestFirst(entries: Entry[], rows: TrailRow[]): void {
  const key = new Map(rows.map((r) => [r.id, r.key]));
  for (let i = 1; i < entries.length; i++) {
    const [prev, next] = [entries[i - 1]!, entries[i]!];
    const [pk, nk] = [key.get(prev.id)!, key.get(next.id)!];
    assert.ok(pk > nk || (pk === nk && prev.id > next.id), `entry ${next.id} comes after ${prev.id}`);
    assert.ok(Date.parse(prev.createdAt) >= Date.parse(next.createdAt));
  }
}

describe('GET /idty/audit-logs', () => {
  recordEvents();
  let root: SignedInUser;

  before(async () => {
    root = await signIn({ companyId: (await createCompany()).id, role: 'SUPER_ADMIN' });
  });

  /** Two fresh companies with an admin of the first and changes in both, made the way the app makes them. */
  async function twoCompanies() {
    const a = await createCompany();
    const b = await createCompany();
    const adminA = await signIn({ companyId: a.id, role: 'ADMIN' });
    const adminB = await signIn({ companyId: b.id, role: 'ADMIN' });
    const userA = await createUser({ companyId: a.id });
    const userB = await createUser({ companyId: b.id });
    // At home in b, also a member of a: its user row is b's, one membership row each.
    const straddler = await createUser({ companyId: b.id, role: 'ADMIN', extraCompanyIds: [a.id] });
    await rename(userA, adminA.id);
    await rename(userB, adminB.id);
    // The super admin renames both companies through the API.
    for (const c of [a, b]) {
      await auth().put(`/idty/companies/${c.id}`).set(bearer(root.accessToken)).send({ name: `PT ${randomBytes(3).toString('hex')}` }).expect(200);
    }
    return { a, b, adminA, adminB, userA, userB, straddler };
  }

  describe('what an admin sees', () => {
    it('every entry of its company, newest first, and none of another company', async () => {
      const { a, b, adminA, userA, straddler } = await twoCompanies();
      const expected = await trail(`company_id = $1::bigint`, [a.id]);
      const { items, pageSizes } = await walk(adminA.accessToken);
      assert.equal(pageSizes.length, 1);
      assert.deepEqual(ids(items), ids(expected));
      assertNewestFirst(items, expected);
      const ofB = new Set(ids(await trail(`company_id = $1::bigint`, [b.id])));
      assert.ok(ofB.size >= 6);
      assert.ok(items.every((e) => !ofB.has(e.id)), 'nothing of the other company');

      // The trail holds what happened in a: the company, both users, the straddler's membership of a, the changes.
      const seen = items.map((e) => `${e.entity}:${e.action}:${e.entityId}`).sort();
      assert.deepEqual(
        seen,
        [
          `company:add:${a.id}`,
          `company:update:${a.id}`,
          `user:add:${adminA.id}`,
          `user:add:${userA.id}`,
          `user:update:${userA.id}`,
          `user_company:add:${adminA.id}`,
          `user_company:add:${straddler.id}`,
          `user_company:add:${userA.id}`,
        ].sort(),
      );
      const renamed = items.find((e) => e.entity === 'user' && e.action === 'update')!;
      assert.deepEqual([renamed.actorId, renamed.ip], [adminA.id, '198.51.100.20']);
      const companyRename = items.find((e) => e.entity === 'company' && e.action === 'update')!;
      assert.equal(companyRename.actorId, root.id);
      for (const e of items) {
        assert.deepEqual(Object.keys(e).sort(), ['action', 'actorId', 'after', 'before', 'createdAt', 'entity', 'entityId', 'id', 'ip']);
        assert.match(e.createdAt, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
      }
    });

    it('nothing of another company, whatever the filters name', async () => {
      const { a, b, adminA, adminB, userB, straddler } = await twoCompanies();
      const cases: Array<[string, Query]> = [
        ['the other company', { entity: 'company', entityId: b.id }],
        ['a user of the other company', { entity: 'user', entityId: userB.id }],
        ['the membership of a user of the other company', { entity: 'user_company', entityId: userB.id }],
        ['the user row of a member who is at home in the other company', { entity: 'user', entityId: straddler.id }],
        ['the other company’s admin as actor', { actorId: adminB.id }],
      ];
      for (const [name, query] of cases) {
        assert.ok((await trail(`entity = $1::text and entity_id = $2::text or actor_id = $3::bigint`, [query.entity ?? '', String(query.entityId ?? ''), query.actorId ?? 0])).length > 0, `${name} has entries`);
        const res = await logs(adminA.accessToken, query).expect(200);
        assert.deepEqual(res.body, { items: [], nextCursor: null }, name);
      }
      // The straddler's membership of the admin's company is the admin's to see, its membership of b is not.
      const memberships = (await walk(adminA.accessToken, { entity: 'user_company', entityId: straddler.id })).items;
      assert.deepEqual(memberships.map((e) => [e.action, e.after!.company_id]), [['add', a.id]]);
      assert.equal((await trail(`entity = 'user_company' and entity_id = $1::text`, [String(straddler.id)])).length, 2);
    });

    it('an admin of two companies sees both trails merged, newest first, page by page', async () => {
      const a = await createCompany();
      const a2 = await createCompany();
      const other = await createCompany();
      const admin = await signIn({ companyId: a.id, role: 'ADMIN', extraCompanyIds: [a2.id] });
      const users = [await createUser({ companyId: a2.id }), await createUser({ companyId: a.id }), await createUser({ companyId: other.id })];
      for (const u of users.slice(0, 2)) await rename(u, admin.id);
      await rename(users[1]!, admin.id);
      await rename(users[0]!, admin.id);
      const expected = await trail(`company_id = any ($1::bigint[])`, [[a.id, a2.id]]);
      for (const limit of [100, 3, 1]) {
        const { items } = await walk(admin.accessToken, {}, limit);
        assert.deepEqual(ids(items), ids(expected), `limit ${limit}`);
        assertNewestFirst(items, expected);
      }
      assert.ok(new Set(expected.map((r) => r.company_id)).size === 2);
    });
  });

  describe('filters', () => {
    it('entity and entityId narrow to one record, entity alone to one kind', async () => {
      const { a, adminA, userA } = await twoCompanies();
      const expectations: Array<[Query, TrailRow[]]> = [
        [{ entity: 'user', entityId: userA.id }, await trail(`company_id = $1::bigint and entity = 'user' and entity_id = $2::text`, [a.id, String(userA.id)])],
        [{ entity: 'user_company', entityId: userA.id }, await trail(`company_id = $1::bigint and entity = 'user_company' and entity_id = $2::text`, [a.id, String(userA.id)])],
        [{ entity: 'company', entityId: a.id }, await trail(`company_id = $1::bigint and entity = 'company'`, [a.id])],
        [{ entity: 'company' }, await trail(`company_id = $1::bigint and entity = 'company'`, [a.id])],
        [{ entity: 'user' }, await trail(`company_id = $1::bigint and entity = 'user'`, [a.id])],
        [{ entity: 'device' }, []],
        [{ entity: 'user', entityId: 'no-such-id' }, []],
      ];
      for (const [query, expected] of expectations) {
        const { items } = await walk(adminA.accessToken, query);
        assert.deepEqual(ids(items), ids(expected), JSON.stringify(query));
      }
      const one = (await walk(adminA.accessToken, { entity: 'user', entityId: userA.id })).items;
      assert.deepEqual(one.map((e) => e.action), ['update', 'add']);
      assert.ok(one.every((e) => e.entity === 'user' && e.entityId === String(userA.id)));
    });

    it('actorId narrows to what one actor did, in the caller’s companies only', async () => {
      const { a, b, adminA, userA } = await twoCompanies();
      const helper = await createUser({ companyId: a.id, role: 'ADMIN' });
      await rename(userA, helper.id);
      await rename(userA, helper.id);
      await rename(helper, adminA.id);
      const byHelper = (await walk(adminA.accessToken, { actorId: helper.id })).items;
      assert.deepEqual(ids(byHelper), ids(await trail(`actor_id = $1::bigint`, [helper.id])));
      assert.equal(byHelper.length, 2);
      assert.ok(byHelper.every((e) => e.actorId === helper.id && e.entityId === String(userA.id)));
      assert.deepEqual(ids((await walk(adminA.accessToken, { actorId: adminA.id })).items), ids(await trail(`actor_id = $1::bigint`, [adminA.id])));
      // The super admin renamed both companies; the admin sees only its own company's rename.
      const byRoot = (await walk(adminA.accessToken, { actorId: root.id, entity: 'company' })).items;
      assert.deepEqual(byRoot.map((e) => [e.entityId, e.action]), [[String(a.id), 'update']]);
      assert.ok((await trail(`actor_id = $1::bigint and entity = 'company' and entity_id = $2::text`, [root.id, String(b.id)])).length === 1);
      // Combined with entity and entityId.
      assert.deepEqual(ids((await walk(adminA.accessToken, { actorId: helper.id, entity: 'user', entityId: helper.id })).items), []);
      assert.equal((await walk(adminA.accessToken, { actorId: adminA.id, entity: 'user', entityId: helper.id })).items.length, 1);
    });

    it('from is inclusive and to exclusive, to the microsecond, in UTC or with an offset', async () => {
      const company = await createCompany();
      const admin = await signIn({ companyId: company.id, role: 'ADMIN' });
      const user = await createUser({ companyId: company.id });
      for (let i = 0; i < 3; i++) await rename(user, admin.id);
      const rows = await trail(`entity = 'user' and entity_id = $1::text`, [String(user.id)]);
      assert.deepEqual(rows.map((r) => r.action_name), ['update', 'update', 'update', 'add']);
      assert.equal(new Set(rows.map((r) => r.key)).size, 4, 'four instants');
      const [e3, e2, e1, added] = rows as [TrailRow, TrailRow, TrailRow, TrailRow];
      const scope = { entity: 'user', entityId: user.id };
      const cases: Array<[string, Query, TrailRow[]]> = [
        ['from an entry’s instant', { from: e2.key }, [e3, e2]],
        ['from just after it', { from: e2.key_plus }, [e3]],
        ['to an entry’s instant', { to: e2.key }, [e1, added]],
        ['to just after it', { to: e2.key_plus }, [e2, e1, added]],
        ['from and to', { from: e1.key, to: e3.key }, [e2, e1]],
        ['from and to one microsecond apart', { from: e2.key, to: e2.key_plus }, [e2]],
        ['from with an offset', { from: e2.key_wib }, [e3, e2]],
        ['to with an offset', { to: e2.key_wib }, [e1, added]],
        ['from in the future', { from: new Date(Date.now() + 3_600_000).toISOString() }, []],
        ['to in the past', { to: '2000-01-01T00:00:00Z' }, []],
      ];
      for (const [name, range, expected] of cases) {
        const { items } = await walk(admin.accessToken, { ...scope, ...range });
        assert.deepEqual(ids(items), ids(expected), name);
      }
    });

    const bad: Array<[string, Query, string]> = [
      ['entityId without entity', { entityId: '1' }, 'query.entityId'],
      ['from equal to to', { from: '2024-05-01T10:00:00Z', to: '2024-05-01T10:00:00Z' }, 'query.to'],
      ['from after to', { from: '2024-05-02T00:00:00Z', to: '2024-05-01T00:00:00Z' }, 'query.to'],
      ['from after to by a microsecond', { from: '2024-05-01T10:00:00.123457Z', to: '2024-05-01T10:00:00.123456Z' }, 'query.to'],
      ['from and to the same instant in different precisions', { from: '2024-05-01T10:00:00.1234Z', to: '2024-05-01T10:00:00.123400Z' }, 'query.to'],
      ['from and to the same instant in different offsets', { from: '2024-05-01T17:00:00+07:00', to: '2024-05-01T10:00:00Z' }, 'query.to'],
      ['a from that is no timestamp', { from: 'yesterday' }, 'query.from'],
      ['a to without a time', { to: '2024-05-01' }, 'query.to'],
      ['an entity in capitals', { entity: 'User' }, 'query.entity'],
      ['an entity with SQL in it', { entity: "user' or 1=1" }, 'query.entity'],
      ['an entityId of 65 characters', { entity: 'user', entityId: '1'.repeat(65) }, 'query.entityId'],
      ['an actorId that is no number', { actorId: 'me' }, 'query.actorId'],
      ['an actorId of 0', { actorId: 0 }, 'query.actorId'],
      ['a limit over 100', { limit: 101 }, 'query.limit'],
      ['an unknown parameter', { companyId: 1 }, 'query.companyId'],
    ];
    for (const [name, query, field] of bad) {
      it(`answers 400 VALIDATION_FAILED for ${name}`, async () => {
        const company = await createCompany();
        const admin = await signIn({ companyId: company.id, role: 'ADMIN' });
        const res = await logs(admin.accessToken, query).expect(400);
        assert.equal(res.body.code, 'VALIDATION_FAILED');
        assert.deepEqual(res.body.errors.map((e: { field: string }) => e.field), [field]);
      });
    }
  });

  describe('paging', () => {
    it('an admin walks its whole trail with limit 3: no repeats, no gaps, ties broken by id', async () => {
      const company = await createCompany();
      const admin = await signIn({ companyId: company.id, role: 'ADMIN' });
      // Each createUser writes two rows in one transaction (same created_at): ties to page through.
      const u1 = await createUser({ companyId: company.id });
      const u2 = await createUser({ companyId: company.id });
      await withTransaction({ companyIds: [company.id], userId: admin.id }, async (tx) => {
        await tx.query(`update auth_user set fullname = 'Nama Satu' where id = $1::bigint`, [u1.id]);
        await tx.query(`update auth_user set fullname = 'Nama Dua' where id = $1::bigint`, [u2.id]);
      });
      await rename(u1, admin.id);
      const expected = await trail(`company_id = $1::bigint`, [company.id]);
      assert.equal(expected.length, 10);
      const { items, pageSizes } = await walk(admin.accessToken, {}, 3);
      assert.deepEqual(pageSizes, [3, 3, 3, 1]);
      assert.equal(new Set(ids(items)).size, items.length, 'no entry twice');
      assert.deepEqual(ids(items), ids(expected));
      // The data really has a page boundary inside one instant.
      const splitTie = [3, 6, 9].some((i) => expected[i - 1]!.key === expected[i]!.key);
      assert.ok(splitTie, 'a page ends in the middle of one transaction’s rows');
      // A limit that divides the trail: the last full page has no cursor.
      assert.deepEqual((await walk(admin.accessToken, {}, 5)).pageSizes, [5, 5]);
      assert.deepEqual(ids((await walk(admin.accessToken, {}, 1)).items), ids(expected));
    });

    it('a super admin walks the whole trail the same way (here narrowed to one actor)', async () => {
      const company = await createCompany();
      const actor = await createUser({ companyId: company.id, role: 'ADMIN' });
      const users = [await createUser({ companyId: company.id }), await createUser({ companyId: company.id })];
      for (let i = 0; i < 3; i++) {
        await withTransaction({ companyIds: [company.id], userId: actor.id }, async (tx) => {
          for (const u of users) await tx.query(`update auth_user set fullname = $2::text where id = $1::bigint`, [u.id, `Nama ${i}`]);
        });
      }
      await rename(users[0]!, actor.id);
      const expected = await trail(`actor_id = $1::bigint`, [actor.id]);
      assert.equal(expected.length, 7);
      const { items, pageSizes } = await walk(root.accessToken, { actorId: actor.id }, 3);
      assert.deepEqual(pageSizes, [3, 3, 1]);
      assert.deepEqual(ids(items), ids(expected));
      assert.ok(expected[2]!.key === expected[3]!.key || expected[5]!.key === expected[6]!.key || expected[1]!.key === expected[2]!.key);
    });

    const cursors: Array<[string, string]> = [
      ['not base64url JSON', 'not-a-cursor!'],
      ['JSON of another shape', Buffer.from('{"a":1}').toString('base64url')],
      ['a key without an id', Buffer.from('["2024-05-01T10:00:00.000000Z"]').toString('base64url')],
      ['a key with a time that is no time', Buffer.from('["yesterday",5]').toString('base64url')],
      ['a key with id 0', Buffer.from('["2024-05-01T10:00:00.000000Z",0]').toString('base64url')],
      ['a companies cursor (name, id)', Buffer.from('["PT Maju",5]').toString('base64url')],
      ['a cursor of 513 characters', 'A'.repeat(513)],
    ];
    for (const [name, cursor] of cursors) {
      it(`answers 400 VALIDATION_FAILED for a cursor that is ${name}`, async () => {
        const res = await logs(root.accessToken, { cursor }).expect(400);
        assert.equal(res.body.code, 'VALIDATION_FAILED');
        assert.deepEqual(res.body.errors.map((e: { field: string }) => e.field), ['query.cursor']);
      });
    }
  });

  describe('who may read', () => {
    it('a super admin sees the entries of every company', async () => {
      const { a, b, userA, userB } = await twoCompanies();
      for (const [company, user] of [
        [a, userA],
        [b, userB],
      ] as const) {
        assert.deepEqual(ids((await walk(root.accessToken, { entity: 'company', entityId: company.id })).items), ids(await trail(`entity = 'company' and entity_id = $1::text`, [String(company.id)])));
        assert.equal((await walk(root.accessToken, { entity: 'user', entityId: user.id })).items.length, 2);
      }
      const renames = (await logs(root.accessToken, { actorId: root.id, entity: 'company', limit: 2 }).expect(200)).body.items as Entry[];
      assert.deepEqual(renames.map((e) => e.entityId), [String(b.id), String(a.id)], 'its newest renames, of both companies');
    });

    it('an RM agent gets 403 FORBIDDEN', async () => {
      const company = await createCompany();
      const agent = await signIn({ companyId: company.id });
      for (const query of [{}, { entity: 'user', entityId: agent.id }] as Query[]) {
        const res = await logs(agent.accessToken, query).expect(403);
        assert.equal(res.body.code, 'FORBIDDEN');
      }
    });

    it('no token, or a token that is not an access token, gets 401 UNAUTHENTICATED', async () => {
      const res = await logs(undefined).expect(401);
      assert.equal(res.body.code, 'UNAUTHENTICATED');
      assert.equal(res.headers['www-authenticate'], 'Bearer');
      assert.equal((await logs(root.refreshToken).expect(401)).body.code, 'UNAUTHENTICATED');
    });

    it('an admin whose session ended gets 401 on the next request', async () => {
      const company = await createCompany();
      const admin = await signIn({ companyId: company.id, role: 'ADMIN' });
      await logs(admin.accessToken).expect(200);
      await auth().post('/auth/logout').set(bearer(admin.accessToken)).expect(204);
      assert.equal((await logs(admin.accessToken).expect(401)).body.code, 'UNAUTHENTICATED');
    });
  });

  describe('before and after', () => {
    const hidden = ['password_hash', 'login_fail_count', 'locked_until', 'last_login', 'last_failed_login', 'updated_at'];
    const tagged = (n: number) => `$argon2id$v=19$m=19456,t=2,p=1$${randomBytes(8).toString('base64').replace(/=+$/, '')}$hash${n}`;

    function assertNothingHidden(e: Entry): void {
      for (const image of [e.before, e.after]) {
        for (const column of hidden) assert.ok(!(column in (image ?? {})), `${column} is not in the ${e.entity} ${e.action} entry`);
      }
      assert.ok(!JSON.stringify(e).includes('$argon2'), `no password hash in the ${e.entity} ${e.action} entry`);
    }

    it('an update has both images, a password change alone leaves no entry, and no image shows the hidden columns', async () => {
      const company = await createCompany();
      const admin = await signIn({ companyId: company.id, role: 'ADMIN' });
      const user = await signIn({ companyId: company.id });
      const scope = { entity: 'user', entityId: user.id };
      const before = ids((await walk(admin.accessToken, scope)).items);
      assert.equal(before.length, 1, 'the add');

      // A password change through the API, and the columns sign-ins write: no audit entry.
      await auth()
        .put('/auth/change-setting')
        .set('X-Forwarded-For', freshIp())
        .set(bearer(user.accessToken))
        .send({ currentPassword: user.password, newPassword: 'gajah biru menari di hutan' })
        .expect(204);
      await asSuperAdmin((c) =>
        c.query(
          `update auth_user set password_hash = $2::text, login_fail_count = 4, locked_until = now() + interval '1 hour',
                  last_login = now(), last_failed_login = now() where id = $1::bigint`,
          [user.id, tagged(1)],
        ),
      );
      assert.deepEqual(ids((await walk(admin.accessToken, scope)).items), before);

      // Hidden columns changing together with an audited one: one update entry, without them.
      await asSuperAdmin((c) =>
        c.query(
          `update auth_user set fullname = 'Nama Baru', password_hash = $2::text, login_fail_count = 0, locked_until = null,
                  last_login = now() - interval '1 day' where id = $1::bigint`,
          [user.id, tagged(2)],
        ),
      );
      // And an admin's change through the API.
      await auth().put(`/idty/users/${user.id}`).set('X-Forwarded-For', '198.51.100.31').set(bearer(admin.accessToken)).send({ fullname: 'Nama Ketiga' }).expect(200);

      const entries = (await walk(admin.accessToken, scope)).items;
      assert.deepEqual(entries.map((e) => e.action), ['update', 'update', 'add']);
      const [byAdmin, byOwner, added] = entries as [Entry, Entry, Entry];
      assert.deepEqual([byAdmin.before!.fullname, byAdmin.after!.fullname, byAdmin.actorId, byAdmin.ip], ['Nama Baru', 'Nama Ketiga', admin.id, '198.51.100.31']);
      assert.deepEqual([byOwner.before!.fullname, byOwner.after!.fullname, byOwner.actorId], ['Test User', 'Nama Baru', null]);
      for (const e of [byAdmin, byOwner]) {
        assert.ok(e.before && e.after, 'an update has both images');
        assert.deepEqual(Object.keys(e.before).sort(), Object.keys(e.after).sort());
        assert.equal(e.before.id, user.id);
        assert.equal(e.before.email, user.email);
      }
      assert.equal(added.before, null);
      assert.equal(added.after!.id, user.id);
      assert.equal(added.after!.status, 'ACTIVE');

      // The hash is really on the row; the trail of the user (row and memberships) never shows it.
      const [row] = await ownerQuery<{ password_hash: string }>(`select password_hash from auth_user where id = $1::bigint`, [user.id]);
      assert.match(row!.password_hash, /^\$argon2id\$/);
      const everything = [...entries, ...(await walk(admin.accessToken, { entity: 'user_company', entityId: user.id })).items];
      assert.equal(everything.length, 4);
      for (const e of everything) assertNothingHidden(e);
    });

    it('an add has only the after image, a delete only the before image, neither with hidden columns', async () => {
      const company = await createCompany();
      const admin = await signIn({ companyId: company.id, role: 'ADMIN' });
      const user = await createUser({ companyId: company.id, passwordHash: tagged(3) });
      await asSuperAdmin((c) => c.query(`update auth_user set login_fail_count = 2, locked_until = now(), last_login = now() where id = $1::bigint`, [user.id]));
      await withTransaction({ companyIds: [company.id], userId: admin.id }, (tx) => tx.query(`delete from auth_user where id = $1::bigint`, [user.id]));

      const entries = [
        ...(await walk(admin.accessToken, { entity: 'user', entityId: user.id })).items,
        ...(await walk(admin.accessToken, { entity: 'user_company', entityId: user.id })).items,
      ];
      assert.deepEqual(entries.map((e) => `${e.entity} ${e.action}`), ['user delete', 'user add', 'user_company delete', 'user_company add']);
      for (const e of entries) {
        if (e.action === 'add') assert.ok(e.before === null && e.after !== null);
        else assert.ok(e.before !== null && e.after === null);
        if (e.action === 'delete') assert.equal(e.actorId, admin.id);
        assertNothingHidden(e);
      }
      assert.equal(entries[0]!.before!.id, user.id);
      assert.equal(entries[0]!.before!.email, user.email);
    });
  });
});

describe('audit rows are immutable for the app role', () => {
  let company: { id: number };
  let adminId: number;

  before(async () => {
    company = await createCompany();
    adminId = (await createUser({ companyId: company.id, role: 'ADMIN' })).id;
  });

  const snapshot = () =>
    asSuperAdmin(async (c) => (await c.query(`select * from auth_user_action_log where company_id = $1::bigint order by id`, [company.id])).rows);

  const writes: Array<[string, string, (companyId: number) => unknown[]]> = [
    ['update', `update auth_user_action_log set entity = 'tampered', new_entity_value = null where company_id = $1::bigint`, (id) => [id]],
    ['delete', `delete from auth_user_action_log where company_id = $1::bigint`, (id) => [id]],
    ['insert', `insert into auth_user_action_log (company_id, entity, entity_id, action_name) values ($1::bigint, 'company', 'forged', 'add')`, (id) => [id]],
    ['truncate', `truncate auth_user_action_log`, () => []],
  ];
  const actors: Array<[string, (companyId: number, userId: number) => DbActor]> = [
    ['an admin of the company', (companyId, userId) => ({ companyIds: [companyId], userId })],
    ['a super admin', (companyId, userId) => ({ companyIds: [companyId], userId, superAdmin: true })],
  ];

  for (const [what, sql, values] of writes) {
    for (const [who, actor] of actors) {
      it(`refuses ${what} as ${who}: FORBIDDEN from the permission error 42501, rows unchanged`, async () => {
        const before = await snapshot();
        assert.ok(before.length >= 3, 'there are rows to tamper with');
        await assert.rejects(
          withTransaction(actor(company.id, adminId), (tx) => tx.query(sql, values(company.id))),
          (err: unknown) => {
            assert.ok(isAppError(err), `an AppError, got ${String(err)}`);
            assert.equal(err.code, 'FORBIDDEN');
            assert.equal((err.cause as { code?: string }).code, '42501');
            return true;
          },
        );
        // Bare, outside any transaction helper: the privilege check itself.
        const pool = await getPool();
        await assert.rejects(pool.query(sql, values(company.id)), (err: { code?: string }) => err.code === '42501');
        assert.deepEqual(await snapshot(), before);
      });
    }
  }

  it('still reads its company’s rows (the refusals above are about writing)', async () => {
    const { rows } = await withTransaction({ companyIds: [company.id], userId: adminId }, (tx) =>
      tx.query<{ n: number }>(`select count(*)::int as n from auth_user_action_log where company_id = $1::bigint`, [company.id]),
    );
    assert.equal(rows[0]!.n, (await snapshot()).length);
    const bare = await (await getPool()).query<{ n: number }>(`select count(*)::int as n from auth_user_action_log where company_id = $1::bigint`, [company.id]);
    assert.equal(bare.rows[0]!.n, 0, 'RLS: nothing without a tenant');
  });
});
