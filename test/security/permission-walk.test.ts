import { strict as assert } from 'node:assert';
import { allFunctions } from '../../functions/manifest.js';
import type { AnyRoute } from '../../shared/http/route.js';
import { request } from '../support/http.js';
import { bearer, signIn } from '../support/auth.js';
import { createCompany, ownerQuery } from '../support/owner.js';

/**
 * Walks every route table of the system: each private route names a permission that some role holds, and
 * refuses a caller without a token (401) and a signed-in caller whose role lacks that permission (403). The
 * ACL lives in the database, so the 403 is proven by taking the permission away from the caller's role for
 * one request: the session check reads the role's permissions on every request.
 */
const privateRoutes = allFunctions.flatMap((f) =>
  f.kind === 'http' ? f.routes.filter((r) => r.access === 'private').map((route) => ({ fn: f.name, route })) : [],
);

/** A concrete URL for a route's path; the permission check comes before any parsing, so any id will do. */
const urlOf = (route: AnyRoute) => route.path.replace(/\{[^}]+\}/g, '1');

function send(fn: string, route: AnyRoute, token?: string) {
  const req = request(fn)[route.method.toLowerCase() as 'get' | 'post' | 'put' | 'patch' | 'delete'](urlOf(route));
  return token ? req.set(bearer(token)) : req;
}

describe('permission walk: every private route', () => {
  let superAdminToken: string;
  let granted: Map<string, Set<string>>;

  before(async () => {
    const company = await createCompany();
    superAdminToken = (await signIn({ companyId: company.id, role: 'SUPER_ADMIN' })).accessToken;
    const rows = await ownerQuery<{ role: string; permission: string }>(`select role, permission from auth_role_permission`);
    granted = new Map();
    for (const r of rows) granted.set(r.permission, (granted.get(r.permission) ?? new Set()).add(r.role));
  });

  it('covers the private routes of every function', () => {
    assert.ok(privateRoutes.length >= 25, `only ${privateRoutes.length} private routes found`);
  });

  for (const { fn, route } of privateRoutes) {
    describe(`${route.method} ${route.path}`, () => {
      it('names a permission that a role holds', () => {
        assert.ok(route.permission, 'no permission named');
        assert.ok(granted.get(route.permission)?.size, `no role holds ${route.permission}`);
      });

      it('answers 401 without a token', async () => {
        const res = await send(fn, route).expect(401);
        assert.equal(res.body.code, 'UNAUTHENTICATED');
      });

      it('answers 403 to a caller whose role lacks the permission', async () => {
        const permission = route.permission!;
        // Agents-only permissions (investor:write) are not the super admin's to lose: the 403 stands as is.
        const taken = await ownerQuery(`delete from auth_role_permission where role = 'SUPER_ADMIN' and permission = $1::text returning 1`, [permission]);
        try {
          const res = await send(fn, route, superAdminToken).expect(403);
          assert.equal(res.body.code, 'FORBIDDEN');
        } finally {
          if (taken.length) await ownerQuery(`insert into auth_role_permission (role, permission) values ('SUPER_ADMIN', $1::text)`, [permission]);
        }
      });
    });
  }
});

/** The seeded ACL (migrations 0005 to 0008): what each role may do. */
describe('the seeded role permissions', () => {
  const expected: Record<string, string[]> = {
    RM_AGENT: [
      'instruction:create', 'instruction:manage', 'instruction:read', 'investor:read', 'investor:write', 'lead:read', 'lead:write',
      'profile:read', 'profile:write',
    ],
    ADMIN: [
      'audit:read', 'instruction:manage', 'instruction:read', 'investor:approve', 'investor:read', 'investor:reveal', 'investor:sync', 'lead:read', 'lead:write',
      'profile:read', 'profile:write', 'user:approve', 'user:read', 'user:write',
    ],
    SUPER_ADMIN: [
      'audit:read', 'company:read', 'company:write', 'instruction:manage', 'instruction:read', 'investor:approve', 'investor:read', 'investor:reveal', 'investor:sync',
      'lead:read', 'lead:write', 'profile:read', 'profile:write', 'user:approve', 'user:read', 'user:write',
    ],
  };
  for (const [role, permissions] of Object.entries(expected)) {
    it(`${role}: ${permissions.join(', ')}`, async () => {
      const rows = await ownerQuery<{ permission: string }>(`select permission from auth_role_permission where role = $1::text order by permission`, [role]);
      assert.deepEqual(rows.map((r) => r.permission), permissions);
    });
  }

  it('keeps agents out of the admin routes and admins out of tenant management', async () => {
    const company = await createCompany();
    const agent = await signIn({ companyId: company.id, role: 'RM_AGENT' });
    const admin = await signIn({ companyId: company.id, role: 'ADMIN' });
    for (const path of ['/idty/users', '/idty/audit-logs', '/idty/companies']) {
      assert.equal((await request('auth').get(path).set(bearer(agent.accessToken)).expect(403)).body.code, 'FORBIDDEN');
    }
    assert.equal((await request('auth').get('/idty/companies').set(bearer(admin.accessToken)).expect(403)).body.code, 'FORBIDDEN');
    await request('auth').get('/idty/users').set(bearer(admin.accessToken)).expect(200);
  });
});
