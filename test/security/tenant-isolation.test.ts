import { strict as assert } from 'node:assert';
import { randomUUID } from 'node:crypto';
import { allFunctions } from '../../functions/manifest.js';
import { verifyAccessToken } from '../../shared/auth/access-token.js';
import { withTransaction } from '../../shared/db/tx.js';
import { request } from '../support/http.js';
import { bearer, recordEvents, signIn, strongPasswordHash, type SignedInUser } from '../support/auth.js';
import { createCompany } from '../support/owner.js';
import { createUser } from '../support/users.js';
import { asTenant } from '../support/notify.js';
import { crmRowsOfB, crmCases } from './tenant-isolation.crm.js';

/**
 * The isolation matrix: an admin of company A (an agent for agents' routes) sends every private route the ids of
 * company B's rows. Each
 * answers as if the row did not exist (404, or an empty list for filters), and nothing of B changes. Every
 * private route must be in the matrix or say why it takes no foreign id; a new route fails this test until
 * it is classified.
 */
/** `as: 'agent'`: routes only agents may call (investor:write) are sent by an agent of company A. */
type Case = { method: 'get' | 'post' | 'put' | 'patch' | 'delete'; url: string; body?: object; expect: 404 | 'empty'; as?: 'agent' };

/** Routes that name no row of another tenant: they act on the caller itself, or span tenants by design. */
const noForeignId: Record<string, string> = {
  'GET /auth/me': 'the caller itself',
  'GET /auth/companyIds': 'the caller itself',
  'GET /auth/logout': 'the caller’s session',
  'POST /auth/logout': 'the caller’s session',
  'PUT /auth/change-setting': 'the caller itself',
  'GET /auth/sessions': 'the caller’s sessions',
  'GET /auth/notifications': 'the caller’s inbox',
  'POST /auth/notifications/unsub': 'a device of the caller (looked up by the caller’s user id)',
  'PUT /auth/devices/{deviceId}/push-token': 'a device of the caller (keyed by the caller’s user id)',
  'GET /idty/companies': 'super admins only: tenants themselves, across tenants by design',
  'POST /idty/companies': 'super admins only',
  'GET /idty/companies/{id}': 'super admins only',
  'PUT /idty/companies/{id}': 'super admins only',
  'PATCH /idty/companies/{id}/activeOrDe': 'super admins only',
  'GET /crm/products': 'Bib’s catalogue: reference data of no tenant',
};

describe('tenant isolation matrix: company A’s admin with company B’s ids', () => {
  recordEvents();
  let admin: SignedInUser;
  let agentA: SignedInUser;
  let companyB: number;
  let matrix: Record<string, Case[]>;

  before(async () => {
    const a = await createCompany();
    const b = await createCompany();
    companyB = b.id;
    admin = await signIn({ companyId: a.id, role: 'ADMIN' });
    const licence = { number: 'KEP-01/PM.21/WPPE/2025', expiresOn: '2099-12-31' };
    // Licensed: an instruction of B's investor must meet the 404, not the licence check.
    agentA = await signIn({ companyId: a.id, role: 'RM_AGENT', licence });
    const pending = await createUser({ companyId: b.id, role: 'RM_AGENT', status: 'PENDING_APPROVAL', licence, passwordHash: await strongPasswordHash() });
    const invited = await createUser({ companyId: b.id, role: 'ADMIN' });
    const member = await signIn({ companyId: b.id, role: 'RM_AGENT', licence });
    const sessionId = (await verifyAccessToken(member.accessToken)).sessionId;
    const [note] = await asTenant<{ id: string }>(
      b.id,
      `insert into notification (company_id, user_id, type, title, body, event_id) values ($1::bigint, $2::bigint, 'TEST', 't', 'b', $3::text) returning id`,
      [b.id, member.id, randomUUID()],
    );
    const user = (id: number) => `/idty/users/${id}`;
    matrix = {
      'GET /idty/users': [
        { method: 'get', url: `/idty/users?companyId=${b.id}`, expect: 404 },
        { method: 'get', url: `/idty/users?q=${encodeURIComponent(pending.email)}`, expect: 'empty' },
      ],
      'POST /idty/users': [
        { method: 'post', url: '/idty/users', body: { companyId: b.id, fullname: 'Sneaky Admin', email: `sneaky-${randomUUID()}@example.test`, phone: '+6281299990001', role: 'ADMIN' }, expect: 404 },
      ],
      'GET /idty/users/{id}': [pending, invited, member].map((u) => ({ method: 'get', url: user(u.id), expect: 404 }) as Case),
      'PUT /idty/users/{id}': [{ method: 'put', url: user(member.id), body: { fullname: 'Renamed Elsewhere' }, expect: 404 }],
      'DELETE /idty/users/{id}': [{ method: 'delete', url: user(member.id), expect: 404 }],
      'PATCH /idty/users/{id}/approveOrReject': [{ method: 'patch', url: `${user(pending.id)}/approveOrReject`, body: { decision: 'APPROVE' }, expect: 404 }],
      'PATCH /idty/users/{id}/activeOrDe': [{ method: 'patch', url: `${user(member.id)}/activeOrDe`, body: { active: false }, expect: 404 }],
      'POST /idty/users/{id}/invite': [{ method: 'post', url: `${user(invited.id)}/invite`, expect: 404 }],
      'GET /idty/audit-logs': [
        { method: 'get', url: `/idty/audit-logs?entity=user&entityId=${member.id}`, expect: 'empty' },
        { method: 'get', url: `/idty/audit-logs?actorId=${member.id}`, expect: 'empty' },
      ],
      'DELETE /auth/sessions/{id}': [{ method: 'delete', url: `/auth/sessions/${sessionId}`, expect: 404 }],
      'PATCH /auth/notifications/{id}/read': [{ method: 'patch', url: `/auth/notifications/${note!.id}/read`, expect: 404 }],
      ...crmCases(await crmRowsOfB(member)),
    };
  });

  /** Everything of company B the routes could touch, as B itself sees it. */
  const snapshotB = () =>
    withTransaction({ companyIds: [companyB] }, async (tx) => {
      const read = async (sql: string) => (await tx.query(sql, [companyB])).rows;
      return {
        users: await read(`select * from auth_user where company_id = $1::bigint order by id`),
        memberships: await read(`select * from auth_user_company where company_id = $1::bigint order by user_id`),
        sessions: await read(`select id, revoked_at from auth_session where company_id = $1::bigint order by id`),
        notifications: await read(`select id, read_at from notification where company_id = $1::bigint order by id`),
        tokens: await read(`select id, used_at from auth_user_token where company_id = $1::bigint order by id`),
        audit: await read(`select count(*)::int as n from auth_user_action_log where company_id = $1::bigint`),
        outbox: await read(`select count(*)::int as n from outbox where company_id = $1::bigint`),
        leads: await read(`select * from lead where company_id = $1::bigint order by id`),
        investors: await read(`select * from investor where company_id = $1::bigint order by id`),
        bankAccounts: await read(`select * from investor_bank_account where company_id = $1::bigint order by id`),
        documents: await read(`select * from investor_document where company_id = $1::bigint order by id`),
        instructions: await read(`select * from instruction where company_id = $1::bigint order by id`),
        instructionTokens: await read(`select * from instruction_token where company_id = $1::bigint order by id`),
      };
    });

  it('classifies every private route', () => {
    const routes = allFunctions.flatMap((f) => (f.kind === 'http' ? f.routes.filter((r) => r.access === 'private') : []));
    const unclassified = routes.map((r) => `${r.method} ${r.path}`).filter((key) => !(key in matrix) && !(key in noForeignId));
    assert.deepEqual(unclassified, [], 'add these routes to the isolation matrix, or say why they take no foreign id');
  });

  it('answers 404 (or an empty list) for each of B’s ids and changes nothing of B', async () => {
    let cases = 0;
    for (const [route, list] of Object.entries(matrix)) {
      for (const c of list) {
        const before = await snapshotB();
        const caller = c.as === 'agent' ? agentA : admin;
        const req = request(c.url.startsWith('/crm/') ? 'crm' : 'auth')[c.method](c.url).set(bearer(caller.accessToken));
        const res = await (c.body ? req.send(c.body) : req);
        const where = `${route} (${c.method.toUpperCase()} ${c.url})`;
        if (c.expect === 404) {
          assert.equal(res.status, 404, `${where}: ${res.status} ${JSON.stringify(res.body)}`);
          assert.equal(res.body.code, 'NOT_FOUND', where);
        } else {
          assert.equal(res.status, 200, `${where}: ${res.status}`);
          assert.deepEqual(res.body.items, [], where);
        }
        assert.deepEqual(await snapshotB(), before, `${where} changed company B`);
        cases++;
      }
    }
    assert.ok(cases >= 45, `${cases} cases`);
  });
});
