import { strict as assert } from 'node:assert';
import { randomBytes, randomUUID } from 'node:crypto';
import { auth, bearer, freshIp, recordEvents, signIn, strongPassword, type SignedInUser } from '../../../test/support/auth.js';
import { asSuperAdmin, createCompany, ownerQuery } from '../../../test/support/owner.js';
import { uniqueContact, type Role } from '../../../test/support/users.js';

/**
 * Tenant administration (/idty/companies, SUPER_ADMIN only) through the Functions Framework test server
 * against the real database: create, list, read, rename, deactivate and activate again, what deactivation
 * does to the tenant's users, and the audit rows every change leaves.
 */

interface CompanyBody {
  id: number;
  code: string;
  name: string;
  status: 'ACTIVE' | 'INACTIVE';
  investorLinkTtlHours: number;
  createdAt: string;
  updatedAt: string;
}

/** Lower-case letters and digits of its own, for codes and names no other test uses. */
const tag = () => randomBytes(4).toString('hex');
/** A client address whose textual form Postgres keeps as is (host(inet) of an IPv4 address). */
const testNetIp = () => `203.0.113.${1 + Math.floor(Math.random() * 254)}`;

/** The admin routes, called with `token` (none: no Authorization header). */
const companies = (token?: string) => {
  const as = <T extends { set(field: string, value: string): T }>(req: T): T => (token ? req.set('Authorization', `Bearer ${token}`) : req);
  return {
    list: (query: Record<string, string | number> = {}) => as(auth().get('/idty/companies').query(query)),
    create: (body: Record<string, unknown>, ip = freshIp()) => as(auth().post('/idty/companies').set('X-Forwarded-For', ip)).send(body),
    get: (id: number | string) => as(auth().get(`/idty/companies/${id}`)),
    rename: (id: number | string, body: Record<string, unknown>, ip = freshIp()) => as(auth().put(`/idty/companies/${id}`).set('X-Forwarded-For', ip)).send(body),
    activeOrDe: (id: number | string, active: unknown, ip = freshIp()) => as(auth().patch(`/idty/companies/${id}/activeOrDe`).set('X-Forwarded-For', ip)).send({ active }),
  };
};

const me = (token: string) => auth().get('/auth/me').set(bearer(token));
const refresh = (refreshToken: string) => auth().post('/auth/refresh-token').set('X-Forwarded-For', freshIp()).send({ refreshToken });
const login = (user: { email: string; password: string; deviceId: string }) =>
  auth().post('/auth/login').set('X-Forwarded-For', freshIp()).send({ identifier: user.email, password: user.password, deviceId: user.deviceId });
const register = (companyId: number) =>
  auth()
    .post('/auth/register')
    .set('X-Forwarded-For', freshIp())
    .send({ companyId, fullname: 'Sari Wulandari', ...uniqueContact(), password: strongPassword, deviceId: `device-${randomUUID()}`, platform: 'ANDROID', deviceName: 'Pixel 8' });

/** Every id GET /auth/companies lists, walking all its pages. */
async function publicCompanyIds(): Promise<number[]> {
  const ids: number[] = [];
  let cursor: string | undefined;
  for (let page = 0; page < 1000; page++) {
    const res = await auth()
      .get('/auth/companies')
      .query({ limit: 100, ...(cursor ? { cursor } : {}) })
      .expect(200);
    ids.push(...(res.body.items as Array<{ id: number }>).map((c) => c.id));
    cursor = res.body.nextCursor ?? undefined;
    if (!cursor) return ids;
  }
  throw new Error('GET /auth/companies never ended');
}

interface CompanyAuditRow {
  action_name: string;
  actor_id: number | null;
  ip: string | null;
  company_id: number;
  before: Record<string, unknown> | null;
  after: Record<string, unknown> | null;
}

/** The audit rows about one company, oldest first (reading the whole trail takes the super-admin setting). */
async function companyAudit(companyId: number): Promise<CompanyAuditRow[]> {
  return asSuperAdmin(async (c) =>
    (
      await c.query<CompanyAuditRow>(
        `select action_name, actor_id, host(user_ip) as ip, company_id, prev_entity_value as before, new_entity_value as after
           from auth_user_action_log
          where entity = 'company' and entity_id = $1::text
          order by id`,
        [String(companyId)],
      )
    ).rows.map((r) => ({ ...r, actor_id: r.actor_id === null ? null : Number(r.actor_id), company_id: Number(r.company_id) })),
  );
}

async function sessionsOf(companyId: number): Promise<Array<{ user_id: number; revoked_at: Date | null; revoked_reason: string | null }>> {
  return ownerQuery(`select user_id, revoked_at, revoked_reason from auth_session where company_id = $1::bigint order by created_at`, [companyId]);
}

describe('company administration (/idty/companies)', () => {
  recordEvents();
  let home: { id: number };
  let root: SignedInUser;

  before(async () => {
    home = await createCompany();
    root = await signIn({ companyId: home.id, role: 'SUPER_ADMIN' });
  });

  describe('POST /idty/companies', () => {
    it('creates an active company with its code trimmed and upper-cased: 201 with a Location', async () => {
      const code = `n${tag()}-x_1`;
      const started = Date.now();
      const res = await companies(root.accessToken).create({ code: `  ${code} `, name: '  PT Maju Jaya  ' }).expect(201);
      const body = res.body as CompanyBody;
      assert.deepEqual(Object.keys(body).sort(), ['code', 'createdAt', 'id', 'investorLinkTtlHours', 'name', 'status', 'updatedAt']);
      assert.equal(body.investorLinkTtlHours, 24, 'a new tenant’s links work a day');
      assert.equal(typeof body.id, 'number');
      assert.equal(body.code, code.toUpperCase());
      assert.equal(body.name, 'PT Maju Jaya');
      assert.equal(body.status, 'ACTIVE');
      assert.ok(Math.abs(Date.parse(body.createdAt) - started) < 60_000);
      assert.equal(body.updatedAt, body.createdAt);
      assert.equal(res.headers.location, `/idty/companies/${body.id}`);

      // The Location answers with the same company, and the row names its creator.
      assert.deepEqual((await auth().get(res.headers.location!).set(bearer(root.accessToken)).expect(200)).body, body);
      const [row] = await ownerQuery<{ code: string; status: string; created_by: number; updated_by: number }>(
        `select code, status, created_by, updated_by from auth_company where id = $1::bigint`,
        [body.id],
      );
      assert.deepEqual({ ...row, created_by: Number(row!.created_by), updated_by: Number(row!.updated_by) }, { code: code.toUpperCase(), status: 'ACTIVE', created_by: root.id, updated_by: root.id });
      // A new tenant is open for registration at once.
      assert.ok((await publicCompanyIds()).includes(body.id));
    });

    it('answers 409 CONFLICT on the code field for a code in use, whatever its case', async () => {
      const code = `D${tag()}`.toUpperCase();
      const first = await companies(root.accessToken).create({ code, name: 'PT Pertama' }).expect(201);
      for (const again of [code, code.toLowerCase(), ` ${code} `]) {
        const res = await companies(root.accessToken).create({ code: again, name: 'PT Kedua' }).expect(409);
        assert.equal(res.body.code, 'CONFLICT');
        assert.equal(res.body.errors[0].field, 'code');
      }
      const rows = await ownerQuery<{ id: number; name: string }>(`select id, name from auth_company where code = $1::text`, [code]);
      assert.deepEqual(rows.map((r) => [Number(r.id), r.name]), [[first.body.id, 'PT Pertama']]);
    });

    const invalid: Array<{ name: string; body: Record<string, unknown>; field: string }> = [
      { name: 'a code of one character', body: { code: 'A', name: 'PT Valid' }, field: 'body.code' },
      { name: 'a code of 33 characters', body: { code: `A${'B'.repeat(32)}`, name: 'PT Valid' }, field: 'body.code' },
      { name: 'a code starting with a dash', body: { code: '-ABC', name: 'PT Valid' }, field: 'body.code' },
      { name: 'a code with a space', body: { code: 'AB CD', name: 'PT Valid' }, field: 'body.code' },
      { name: 'a code with a dot', body: { code: 'AB.CD', name: 'PT Valid' }, field: 'body.code' },
      { name: 'a code with a letter outside A-Z', body: { code: 'ÄBC', name: 'PT Valid' }, field: 'body.code' },
      { name: 'a numeric code', body: { code: 12345, name: 'PT Valid' }, field: 'body.code' },
      { name: 'no code', body: { name: 'PT Valid' }, field: 'body.code' },
      { name: 'a name of one character', body: { code: 'VALID1', name: 'X' }, field: 'body.name' },
      { name: 'a blank name', body: { code: 'VALID1', name: '    ' }, field: 'body.name' },
      { name: 'a name of 201 characters', body: { code: 'VALID1', name: 'N'.repeat(201) }, field: 'body.name' },
      { name: 'an unknown field', body: { code: 'VALID1', name: 'PT Valid', status: 'INACTIVE' }, field: 'body.status' },
    ];
    for (const c of invalid) {
      it(`answers 400 VALIDATION_FAILED for ${c.name}`, async () => {
        const body = typeof c.body.code === 'string' && c.body.code === 'VALID1' ? { ...c.body, code: `V${tag()}` } : c.body;
        const res = await companies(root.accessToken).create(body).expect(400);
        assert.equal(res.body.code, 'VALIDATION_FAILED');
        assert.deepEqual(res.body.errors.map((e: { field: string }) => e.field), [c.field]);
        if (typeof body.code === 'string') {
          assert.deepEqual(await ownerQuery(`select id from auth_company where upper(code) = upper($1::text)`, [body.code]), [], 'nothing was created');
        }
      });
    }
  });

  describe('GET /idty/companies', () => {
    // Each test names its companies "<prefix> <word>", the prefix its own: q narrows the list to them.
    async function arrange(prefix: string) {
      const made: Array<{ id: number; code: string; name: string; status: 'ACTIVE' | 'INACTIVE' }> = [];
      for (const [word, status] of [
        ['Gamma', 'ACTIVE'],
        ['Beta', 'ACTIVE'],
        ['Delta', 'INACTIVE'],
        ['Alpha', 'ACTIVE'],
        // The same name again (inactive: GET /auth/companies keeps one company per name for other suites).
        ['Beta', 'INACTIVE'],
        ['Epsilon', 'INACTIVE'],
      ] as const) {
        made.push({ ...(await createCompany({ name: `${prefix} ${word}`, status })), status });
      }
      // By name, then by id: the two Betas in the order they were made.
      return made.sort((a, b) => (a.name === b.name ? a.id - b.id : a.name < b.name ? -1 : 1));
    }

    async function walk(token: string, query: Record<string, string | number>): Promise<{ items: CompanyBody[]; pageSizes: number[] }> {
      const items: CompanyBody[] = [];
      const pageSizes: number[] = [];
      let cursor: string | undefined;
      do {
        const res = await companies(token)
          .list({ ...query, ...(cursor ? { cursor } : {}) })
          .expect(200);
        items.push(...res.body.items);
        pageSizes.push(res.body.items.length);
        cursor = res.body.nextCursor ?? undefined;
        assert.ok(pageSizes.length <= 20, 'the walk ends');
      } while (cursor);
      return { items, pageSizes };
    }

    it('lists active and inactive companies by name then id, page by page without gaps or repeats', async () => {
      const prefix = `Lst ${tag()}`;
      const made = await arrange(prefix);
      const { items, pageSizes } = await walk(root.accessToken, { q: prefix, limit: 4 });
      assert.deepEqual(pageSizes, [4, 2]);
      assert.deepEqual(
        items.map((c) => [c.id, c.code, c.name, c.status]),
        made.map((c) => [c.id, c.code, c.name, c.status]),
      );
      for (const c of items) {
        assert.deepEqual(Object.keys(c).sort(), ['code', 'createdAt', 'id', 'investorLinkTtlHours', 'name', 'status', 'updatedAt']);
        assert.ok(!Number.isNaN(Date.parse(c.createdAt)) && !Number.isNaN(Date.parse(c.updatedAt)));
      }
      // A page size that divides the list: the last full page says there is no more.
      assert.deepEqual((await walk(root.accessToken, { q: prefix, limit: 2 })).pageSizes, [2, 2, 2]);
      assert.deepEqual((await walk(root.accessToken, { q: prefix, limit: 1 })).items.map((c) => c.id), made.map((c) => c.id));
    });

    it('filters by status and by q in the name or the code, case-insensitive, with LIKE wildcards taken literally', async () => {
      const t = tag();
      const prefix = `Flt ${t}`;
      const made = await arrange(prefix);
      const ids = (rows: Array<{ id: number }>) => rows.map((c) => c.id);
      const cases: Array<{ name: string; query: Record<string, string>; expected: number[] }> = [
        { name: 'ACTIVE', query: { q: prefix, status: 'ACTIVE' }, expected: ids(made.filter((c) => c.status === 'ACTIVE')) },
        { name: 'INACTIVE', query: { q: prefix, status: 'INACTIVE' }, expected: ids(made.filter((c) => c.status === 'INACTIVE')) },
        { name: 'q in upper case', query: { q: prefix.toUpperCase() }, expected: ids(made) },
        { name: 'q in the middle of the name', query: { q: `${t} beta` }, expected: ids(made.filter((c) => c.name.endsWith('Beta'))) },
        { name: 'q of a code, in lower case', query: { q: made[2]!.code.toLowerCase() }, expected: [made[2]!.id] },
        { name: 'q of a code and the wrong status', query: { q: made[2]!.code, status: made[2]!.status === 'ACTIVE' ? 'INACTIVE' : 'ACTIVE' }, expected: [] },
        { name: 'q with %', query: { q: `${t}%` }, expected: [] },
        { name: 'q with _', query: { q: `${t}_` }, expected: [] },
      ];
      for (const c of cases) {
        const { items } = await walk(root.accessToken, { ...c.query, limit: 100 });
        assert.deepEqual(ids(items), c.expected, c.name);
      }
    });

    const bad: Array<[string, Record<string, string>, string]> = [
      ['an unknown status', { status: 'DELETED' }, 'query.status'],
      ['an empty q', { q: '  ' }, 'query.q'],
      ['a q of 101 characters', { q: 'q'.repeat(101) }, 'query.q'],
      ['a cursor that is not ours', { cursor: 'Zm9v' }, 'query.cursor'],
      ['a cursor of the wrong shape', { cursor: Buffer.from('[1,"a"]').toString('base64url') }, 'query.cursor'],
      ['limit 0', { limit: '0' }, 'query.limit'],
      ['an unknown parameter', { sort: 'code' }, 'query.sort'],
    ];
    for (const [name, query, field] of bad) {
      it(`answers 400 VALIDATION_FAILED for ${name}`, async () => {
        const res = await companies(root.accessToken).list(query).expect(400);
        assert.equal(res.body.code, 'VALIDATION_FAILED');
        assert.deepEqual(res.body.errors.map((e: { field: string }) => e.field), [field]);
      });
    }
  });

  describe('GET and PUT /idty/companies/{id}', () => {
    it('reads one company, active or not; 404 for an unknown id, 400 for one that is no id', async () => {
      for (const status of ['ACTIVE', 'INACTIVE'] as const) {
        const c = await createCompany({ name: `PT Satu ${tag()}`, status });
        const { createdAt, updatedAt, ...rest } = (await companies(root.accessToken).get(c.id).expect(200)).body as CompanyBody;
        assert.deepEqual(rest, { id: c.id, code: c.code, name: c.name, status, investorLinkTtlHours: 24 });
        assert.ok(Date.parse(updatedAt) >= Date.parse(createdAt));
      }
      const [{ next }] = (await ownerQuery<{ next: number }>(`select coalesce(max(id), 0) + 1000 as next from auth_company`)) as [{ next: number }];
      const missing = await companies(root.accessToken).get(Number(next)).expect(404);
      assert.equal(missing.body.code, 'NOT_FOUND');
      for (const id of ['abc', '0', '-1', '1.5']) {
        assert.equal((await companies(root.accessToken).get(id).expect(400)).body.code, 'VALIDATION_FAILED', id);
      }
    });

    it('renames a company; its code stays, updatedAt moves on', async () => {
      const c = await createCompany({ name: `PT Lama ${tag()}` });
      const before = (await companies(root.accessToken).get(c.id).expect(200)).body as CompanyBody;
      const newName = `PT Baru ${tag()}`;
      const res = await companies(root.accessToken).rename(c.id, { name: `  ${newName}  ` }).expect(200);
      assert.deepEqual({ ...res.body, updatedAt: undefined }, { ...before, name: newName, updatedAt: undefined });
      assert.ok(Date.parse(res.body.updatedAt) > Date.parse(before.updatedAt));
      assert.deepEqual((await companies(root.accessToken).get(c.id).expect(200)).body, res.body);
      const [row] = await ownerQuery<{ name: string; updated_by: number }>(`select name, updated_by from auth_company where id = $1::bigint`, [c.id]);
      assert.deepEqual([row!.name, Number(row!.updated_by)], [newName, root.id]);
    });

    it('sets how long the tenant’s investor links work (investorLinkTtlHours), alone or with a new name', async () => {
      const c = await createCompany({ name: `PT Tautan ${tag()}` });
      const before = (await companies(root.accessToken).get(c.id).expect(200)).body as CompanyBody;
      const cases: Array<[Record<string, unknown>, Partial<CompanyBody>]> = [
        [{ investorLinkTtlHours: 48 }, { investorLinkTtlHours: 48 }],
        [{ investorLinkTtlHours: 1 }, { investorLinkTtlHours: 1 }],
        [{ investorLinkTtlHours: 168, name: `${c.name} Baru` }, { investorLinkTtlHours: 168, name: `${c.name} Baru` }],
        [{ name: c.name }, { name: c.name, investorLinkTtlHours: 168 }],
      ];
      for (const [body, expected] of cases) {
        const res = await companies(root.accessToken).rename(c.id, body).expect(200);
        assert.deepEqual({ ...res.body, updatedAt: undefined }, { ...before, ...expected, updatedAt: undefined }, JSON.stringify(body));
        const [row] = await ownerQuery<{ investor_link_ttl_hours: number }>(`select investor_link_ttl_hours from auth_company where id = $1::bigint`, [c.id]);
        assert.equal(row!.investor_link_ttl_hours, res.body.investorLinkTtlHours);
      }
      const [audit] = (await companyAudit(c.id)).filter((r) => r.before?.investor_link_ttl_hours === 24);
      assert.deepEqual([audit!.after!.investor_link_ttl_hours, audit!.actor_id], [48, root.id]);
    });

    it('refuses a rename to a bad name, one that tries to change the code, a link lifetime out of 1 to 168 hours, and one of an unknown company', async () => {
      const c = await createCompany({ name: `PT Tetap ${tag()}` });
      const refusals: Array<[Record<string, unknown>, string]> = [
        [{ name: 'X' }, 'body.name'],
        [{}, 'body'],
        [{ name: 'PT Lain', code: 'OTHER' }, 'body.code'],
        [{ investorLinkTtlHours: 0 }, 'body.investorLinkTtlHours'],
        [{ investorLinkTtlHours: 169 }, 'body.investorLinkTtlHours'],
        [{ investorLinkTtlHours: 1.5 }, 'body.investorLinkTtlHours'],
        [{ investorLinkTtlHours: '24' }, 'body.investorLinkTtlHours'],
        [{ investorLinkTtlHours: null }, 'body.investorLinkTtlHours'],
      ];
      for (const [body, field] of refusals) {
        const res = await companies(root.accessToken).rename(c.id, body).expect(400);
        assert.equal(res.body.code, 'VALIDATION_FAILED');
        assert.deepEqual(res.body.errors.map((e: { field: string }) => e.field), [field]);
      }
      const [row] = await ownerQuery<{ name: string; code: string; investor_link_ttl_hours: number }>(`select name, code, investor_link_ttl_hours from auth_company where id = $1::bigint`, [c.id]);
      assert.deepEqual(row, { name: c.name, code: c.code, investor_link_ttl_hours: 24 });
      assert.equal((await companies(root.accessToken).rename(999_999_999, { name: 'PT Hantu' }).expect(404)).body.code, 'NOT_FOUND');
      assert.equal((await companies(root.accessToken).activeOrDe(999_999_999, false).expect(404)).body.code, 'NOT_FOUND');
      assert.equal((await companies(root.accessToken).activeOrDe(c.id, 'no').expect(400)).body.code, 'VALIDATION_FAILED');
    });
  });

  describe('who may call', () => {
    const calls: Array<[string, (api: ReturnType<typeof companies>, target: { id: number }) => ReturnType<ReturnType<typeof auth>['get']>]> = [
      ['GET /idty/companies', (api) => api.list()],
      ['POST /idty/companies', (api) => api.create({ code: `F${tag()}`, name: 'PT Terlarang' })],
      ['GET /idty/companies/{id}', (api, target) => api.get(target.id)],
      ['PUT /idty/companies/{id}', (api, target) => api.rename(target.id, { name: 'PT Diganti' })],
      ['PATCH /idty/companies/{id}/activeOrDe', (api, target) => api.activeOrDe(target.id, false)],
    ];
    for (const role of ['ADMIN', 'RM_AGENT'] as Role[]) {
      describe(role, () => {
        let target: { id: number; code: string; name: string };
        let caller: SignedInUser;
        before(async () => {
          target = await createCompany();
          // At home in the very company it tries to change: still no permission.
          caller = await signIn({ companyId: target.id, role });
        });
        for (const [name, call] of calls) {
          it(`${name} answers 403 FORBIDDEN and changes nothing`, async () => {
            const companiesBefore = (await ownerQuery<{ n: number }>(`select count(*)::int as n from auth_company`))[0]!.n;
            const res = await call(companies(caller.accessToken), target).expect(403);
            assert.equal(res.body.code, 'FORBIDDEN');
            assert.equal((await ownerQuery<{ n: number }>(`select count(*)::int as n from auth_company`))[0]!.n, companiesBefore);
            const [row] = await ownerQuery<{ name: string; status: string }>(`select name, status from auth_company where id = $1::bigint`, [target.id]);
            assert.deepEqual(row, { name: target.name, status: 'ACTIVE' });
            await me(caller.accessToken).expect(200);
          });
        }
      });
    }

    for (const [name, call] of calls) {
      it(`${name} answers 401 UNAUTHENTICATED without a token`, async () => {
        const target = await createCompany();
        const res = await call(companies(), target).expect(401);
        assert.equal(res.body.code, 'UNAUTHENTICATED');
      });
    }
  });

  describe('PATCH /idty/companies/{id}/activeOrDe', () => {
    it('deactivating ends the sessions of its users, refuses their sign-in and registrations, and takes it off GET /auth/companies', async () => {
      const target = await createCompany({ name: `PT Tutup ${tag()}` });
      const agent = await signIn({ companyId: target.id });
      const admin = await signIn({ companyId: target.id, role: 'ADMIN' });
      // Someone at home elsewhere who is also a member of the company keeps its own session.
      const elsewhere = await createCompany();
      const member = await signIn({ companyId: elsewhere.id, role: 'ADMIN', extraCompanyIds: [target.id] });
      assert.ok((await publicCompanyIds()).includes(target.id), 'listed while active');
      await me(agent.accessToken).expect(200);
      assert.deepEqual((await auth().get('/auth/companyIds').set(bearer(member.accessToken)).expect(200)).body.items, [target.id, elsewhere.id].sort((a, b) => a - b));

      const res = await companies(root.accessToken).activeOrDe(target.id, false).expect(200);
      assert.equal(res.body.status, 'INACTIVE');
      assert.equal(res.body.id, target.id);

      assert.ok(!(await publicCompanyIds()).includes(target.id), 'gone from GET /auth/companies');
      for (const user of [agent, admin]) {
        const denied = await me(user.accessToken).expect(401);
        assert.equal(denied.body.code, 'UNAUTHENTICATED');
        const refused = await refresh(user.refreshToken).expect(401);
        assert.equal(refused.body.code, 'SESSION_EXPIRED');
      }
      const sessions = await sessionsOf(target.id);
      assert.deepEqual(
        sessions.map((s) => [Number(s.user_id), s.revoked_at instanceof Date, s.revoked_reason]),
        [
          [agent.id, true, 'DEACTIVATED'],
          [admin.id, true, 'DEACTIVATED'],
        ],
      );
      assert.deepEqual((await sessionsOf(elsewhere.id)).map((s) => s.revoked_reason), [null]);
      await me(member.accessToken).expect(200);
      assert.deepEqual((await auth().get('/auth/companyIds').set(bearer(member.accessToken)).expect(200)).body.items, [elsewhere.id]);

      for (const user of [agent, admin]) {
        const refusedLogin = await login(user).expect(403);
        assert.equal(refusedLogin.body.code, 'ACCOUNT_INACTIVE');
      }
      const refusedRegistration = await register(target.id).expect(422);
      assert.equal(refusedRegistration.body.code, 'COMPANY_UNAVAILABLE');
      assert.equal(refusedRegistration.body.errors[0].field, 'companyId');

      // The super admins still see it, as inactive.
      assert.equal((await companies(root.accessToken).get(target.id).expect(200)).body.status, 'INACTIVE');
      assert.deepEqual(
        (await companies(root.accessToken).list({ q: target.name, status: 'INACTIVE' }).expect(200)).body.items.map((c: CompanyBody) => c.id),
        [target.id],
      );
      // Deactivating again is harmless.
      assert.equal((await companies(root.accessToken).activeOrDe(target.id, false).expect(200)).body.status, 'INACTIVE');
    });

    it('activating again brings it back to GET /auth/companies and lets its users sign in; ended sessions stay ended', async () => {
      const target = await createCompany({ name: `PT Buka ${tag()}` });
      const agent = await signIn({ companyId: target.id });
      await companies(root.accessToken).activeOrDe(target.id, false).expect(200);
      assert.equal((await login(agent).expect(403)).body.code, 'ACCOUNT_INACTIVE');

      const res = await companies(root.accessToken).activeOrDe(target.id, true).expect(200);
      assert.equal(res.body.status, 'ACTIVE');
      assert.ok((await publicCompanyIds()).includes(target.id), 'listed again');

      const again = await login(agent).expect(200);
      assert.equal((await me(again.body.accessToken).expect(200)).body.id, agent.id);
      assert.deepEqual(again.body.user.companyIds, [target.id]);
      await me(agent.accessToken).expect(401);
      assert.equal((await refresh(agent.refreshToken).expect(401)).body.code, 'SESSION_EXPIRED');
      await register(target.id).expect(201);
    });

    it('refuses a super admin deactivating its own home company: 422 BUSINESS_RULE, nothing changes', async () => {
      const own = await createCompany();
      const superAdmin = await signIn({ companyId: own.id, role: 'SUPER_ADMIN' });
      const colleague = await signIn({ companyId: own.id });
      const auditBefore = (await companyAudit(own.id)).length;

      const res = await companies(superAdmin.accessToken).activeOrDe(own.id, false).expect(422);
      assert.equal(res.body.code, 'BUSINESS_RULE');
      assert.equal((await companies(superAdmin.accessToken).get(own.id).expect(200)).body.status, 'ACTIVE');
      assert.deepEqual((await sessionsOf(own.id)).map((s) => s.revoked_reason), [null, null]);
      await me(superAdmin.accessToken).expect(200);
      await me(colleague.accessToken).expect(200);
      assert.equal((await companyAudit(own.id)).length, auditBefore, 'no audit row for a refused change');

      // Another super admin may; activating it back is no concern of the rule.
      await companies(root.accessToken).activeOrDe(own.id, false).expect(200);
      await me(superAdmin.accessToken).expect(401);
      await companies(root.accessToken).activeOrDe(own.id, true).expect(200);
    });
  });

  describe('audit trail', () => {
    it('writes an audit row (entity company, actor the super admin) for create, rename, deactivate and activate', async () => {
      const ip = testNetIp();
      const created = (await companies(root.accessToken).create({ code: `a${tag()}`, name: 'PT Audit Awal' }, ip).expect(201)).body as CompanyBody;
      await companies(root.accessToken).rename(created.id, { name: 'PT Audit Baru' }, ip).expect(200);
      await companies(root.accessToken).activeOrDe(created.id, false, ip).expect(200);
      await companies(root.accessToken).activeOrDe(created.id, true, ip).expect(200);

      const rows = await companyAudit(created.id);
      assert.deepEqual(
        rows.map((r) => [r.action_name, r.actor_id, r.ip, r.company_id]),
        [
          ['add', root.id, ip, created.id],
          ['update', root.id, ip, created.id],
          ['update', root.id, ip, created.id],
          ['update', root.id, ip, created.id],
        ],
      );
      const [add, rename, deactivate, activate] = rows as [CompanyAuditRow, CompanyAuditRow, CompanyAuditRow, CompanyAuditRow];
      assert.equal(add.before, null);
      assert.deepEqual(
        [add.after!.id, add.after!.code, add.after!.name, add.after!.status, add.after!.created_by],
        [created.id, created.code, 'PT Audit Awal', 'ACTIVE', root.id],
      );
      assert.deepEqual([rename.before!.name, rename.after!.name, rename.before!.status, rename.after!.status], ['PT Audit Awal', 'PT Audit Baru', 'ACTIVE', 'ACTIVE']);
      assert.deepEqual([deactivate.before!.status, deactivate.after!.status, deactivate.after!.updated_by], ['ACTIVE', 'INACTIVE', root.id]);
      assert.deepEqual([activate.before!.status, activate.after!.status], ['INACTIVE', 'ACTIVE']);
    });

    it('writes no audit row for a refused create (duplicate code) or a refused call', async () => {
      const code = `R${tag()}`.toUpperCase();
      const created = (await companies(root.accessToken).create({ code, name: 'PT Unik' }).expect(201)).body as CompanyBody;
      await companies(root.accessToken).create({ code, name: 'PT Kembar' }).expect(409);
      const admin = await signIn({ companyId: created.id, role: 'ADMIN' });
      await companies(admin.accessToken).rename(created.id, { name: 'PT Dibajak' }).expect(403);
      await companies(root.accessToken).rename(created.id, { name: 'X' }).expect(400);
      assert.deepEqual((await companyAudit(created.id)).map((r) => r.action_name), ['add']);
      const [{ n }] = (await asSuperAdmin(async (c) => (await c.query<{ n: number }>(`select count(*)::int as n from auth_user_action_log where entity = 'company' and new_entity_value ->> 'name' = 'PT Kembar'`)).rows)) as [{ n: number }];
      assert.equal(n, 0);
    });
  });
});
