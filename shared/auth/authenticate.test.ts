import { strict as assert } from 'node:assert';
import { randomUUID } from 'node:crypto';
import { AppError } from '../errors.js';
import { asTenant } from '../../test/support/notify.js';
import { asSuperAdmin, createCompany, ownerQuery } from '../../test/support/owner.js';
import { createUser, type Role, type UserStatus } from '../../test/support/users.js';
import { signAccessToken } from './access-token.js';
import { authenticateAccessToken } from './authenticate.js';

/**
 * The per-request token check: the JWT says who signed in, app.session_principal whether that session, user
 * and tenant are still alive, and what the caller may do now. Sessions are made here directly in the database.
 */
const ctx = { requestId: 'authenticate-test', ip: '203.0.113.1' };

async function sessionFor(user: { id: number; companyId: number; role: Role }, role: string = user.role) {
  const sessionId = randomUUID();
  await asTenant(
    user.companyId,
    `insert into auth_session (id, company_id, user_id, device_id, expires_at) values ($1::uuid, $2::bigint, $3::bigint, 'device-1', now() + interval '30 days')`,
    [sessionId, user.companyId, user.id],
  );
  const { token } = await signAccessToken({ userId: user.id, sessionId, role });
  return { sessionId, token };
}

function unauthenticated(err: unknown): true {
  assert.ok(err instanceof AppError, `expected an AppError, got ${String(err)}`);
  assert.equal(err.code, 'UNAUTHENTICATED');
  assert.equal(err.status, 401);
  assert.deepEqual(err.headers, { 'WWW-Authenticate': 'Bearer error="invalid_token"' });
  return true;
}

describe('authenticateAccessToken', () => {
  let company: { id: number };

  before(async () => {
    company = await createCompany();
  });

  it('returns the principal: user, session, role, companies and the permissions of auth_role_permission', async () => {
    const user = await createUser({ companyId: company.id });
    const { sessionId, token } = await sessionFor(user);
    const principal = await authenticateAccessToken(token, ctx);
    const granted = await ownerQuery<{ permission: string }>(`select permission from auth_role_permission where role = 'RM_AGENT' order by permission`);
    const agentPermissions = ['instruction:create', 'instruction:manage', 'instruction:read', 'investor:read', 'investor:write', 'lead:read', 'lead:write', 'profile:read', 'profile:write'];
    assert.deepEqual(granted.map((g) => g.permission), agentPermissions);
    assert.deepEqual(
      { ...principal, permissions: [...principal.permissions].sort() },
      { userId: user.id, sessionId, role: 'RM_AGENT', companyIds: [company.id], permissions: agentPermissions },
    );
    assert.ok(principal.permissions instanceof Set);
  });

  it('follows the permission table: a permission granted or taken away counts on the next request', async () => {
    const user = await createUser({ companyId: company.id, role: 'ADMIN' });
    const { token } = await sessionFor(user);
    await asSuperAdmin((c) => c.query(`insert into auth_role_permission (role, permission) values ('ADMIN', 'audit:read-test')`));
    try {
      assert.ok((await authenticateAccessToken(token, ctx)).permissions.has('audit:read-test'));
    } finally {
      await asSuperAdmin((c) => c.query(`delete from auth_role_permission where role = 'ADMIN' and permission = 'audit:read-test'`));
    }
    assert.ok(!(await authenticateAccessToken(token, ctx)).permissions.has('audit:read-test'));
  });

  it('takes the role from the database, not from the token', async () => {
    const user = await createUser({ companyId: company.id });
    const { token } = await sessionFor(user, 'SUPER_ADMIN');
    const principal = await authenticateAccessToken(token, ctx);
    assert.equal(principal.role, 'RM_AGENT');
    assert.deepEqual(principal.companyIds, [company.id]);
  });

  it('lists the active companies of an admin with several, ascending, and every active one for a super admin', async () => {
    const second = await createCompany();
    const dormant = await createCompany({ status: 'INACTIVE' });
    const admin = await createUser({ companyId: second.id, role: 'ADMIN', extraCompanyIds: [company.id, dormant.id] });
    assert.deepEqual((await authenticateAccessToken((await sessionFor(admin)).token, ctx)).companyIds, [company.id, second.id].sort((a, b) => a - b));

    const root = await createUser({ companyId: company.id, role: 'SUPER_ADMIN' });
    const active = (await ownerQuery<{ id: number }>(`select id from auth_company where status = 'ACTIVE' order by id`)).map((r) => Number(r.id));
    const principal = await authenticateAccessToken((await sessionFor(root)).token, ctx);
    assert.deepEqual(principal.companyIds, active);
    assert.ok(!principal.companyIds.includes(dormant.id));
  });

  const dead: Array<{ name: string; arrange: (s: { userId: number; sessionId: string; companyId: number }) => Promise<unknown> }> = [
    {
      name: 'a revoked session',
      arrange: (s) => asTenant(s.companyId, `update auth_session set revoked_at = now(), revoked_reason = 'LOGOUT' where id = $1::uuid`, [s.sessionId]),
    },
    {
      name: 'a session past its absolute lifetime',
      arrange: (s) => asTenant(s.companyId, `update auth_session set expires_at = now() - interval '1 second' where id = $1::uuid`, [s.sessionId]),
    },
    ...(['INACTIVE', 'PENDING_APPROVAL', 'PENDING_VERIFICATION', 'REJECTED'] satisfies UserStatus[]).map((status) => ({
      name: `a user now ${status}`,
      arrange: (s: { userId: number }) => asSuperAdmin((c) => c.query(`update auth_user set status = $2::text where id = $1::bigint`, [s.userId, status])),
    })),
    {
      name: 'an inactive home company',
      arrange: (s) => asSuperAdmin((c) => c.query(`update auth_company set status = 'INACTIVE' where id = $1::bigint`, [s.companyId])),
    },
    {
      name: 'a deleted user',
      arrange: (s) => asSuperAdmin((c) => c.query(`delete from auth_user where id = $1::bigint`, [s.userId])),
    },
  ];
  for (const d of dead) {
    it(`refuses ${d.name}: UNAUTHENTICATED`, async () => {
      const home = d.name === 'an inactive home company' ? await createCompany() : company;
      const user = await createUser({ companyId: home.id });
      const { sessionId, token } = await sessionFor(user);
      await authenticateAccessToken(token, ctx);
      await d.arrange({ userId: user.id, sessionId, companyId: home.id });
      await assert.rejects(authenticateAccessToken(token, ctx), unauthenticated);
    });
  }

  it("refuses a token naming another user than the session's, and a session that does not exist", async () => {
    const user = await createUser({ companyId: company.id });
    const other = await createUser({ companyId: company.id });
    const { sessionId } = await sessionFor(user);
    const swapped = await signAccessToken({ userId: other.id, sessionId, role: 'RM_AGENT' });
    await assert.rejects(authenticateAccessToken(swapped.token, ctx), unauthenticated);
    const nowhere = await signAccessToken({ userId: user.id, sessionId: randomUUID(), role: 'RM_AGENT' });
    await assert.rejects(authenticateAccessToken(nowhere.token, ctx), unauthenticated);
  });

  it('refuses a token that is not ours', async () => {
    for (const token of ['garbage', 'eyJhbGciOiJFUzI1NiJ9.eyJzdWIiOiIxIn0.c2ln', '']) {
      await assert.rejects(authenticateAccessToken(token, ctx), unauthenticated);
    }
  });
});
