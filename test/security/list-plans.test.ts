import { strict as assert } from 'node:assert';
import pg from 'pg';
import type { DbActor, Queryable } from '../../shared/db/tx.js';
import { listUsers } from '../../functions/auth/user-admin/user-admin.repo.js';
import { listAuditEntries } from '../../functions/auth/audit/audit-log.repo.js';
import { listCompanies } from '../../functions/auth/companies/company.repo.js';
import { containsPattern } from '../../shared/db/like.js';
import { scratchDatabase, type ScratchDatabase } from '../support/database.js';
import { seedUsers } from '../../tools/bench/seed-users.js';
import { explain } from '../support/plans.js';

/**
 * The admin lists stay on indexes under RLS at scale: 100,000 users (and their 200,000 audit entries) in one
 * company beside two small ones, and EXPLAIN of each list query, run as the app role with a tenant's
 * settings, shows no sequential scan of the big tables.
 */
const big = new Set(['auth_user', 'auth_user_action_log', 'auth_user_company']);

describe('list queries at 100k users under RLS', function () {
  this.timeout(180_000);
  let db: ScratchDatabase;
  let pool: pg.Pool;
  let companies: { big: number; small: number };
  let admin: DbActor;

  before(async () => {
    db = await scratchDatabase();
    companies = await seedUsers(db.ownerUrl, { users: 100_000 });
    pool = new pg.Pool({ connectionString: db.appUrl, max: 2 });
    admin = { companyIds: [companies.big], userId: 1 };
  });
  after(async () => {
    await pool?.end();
    await db?.drop();
  });

  const cases: Array<[string, () => DbActor, (q: Queryable) => Promise<unknown>]> = [
    ['users of a company', () => admin, (q) => listUsers(q, { companyIds: [companies.big], limit: 21 })],
    ['users of a company, next page', () => admin, (q) => listUsers(q, { companyIds: [companies.big], beforeId: 50_000, limit: 21 })],
    ['users by status', () => admin, (q) => listUsers(q, { companyIds: [companies.big], status: 'PENDING_APPROVAL', limit: 21 })],
    ['users by role and q', () => admin, (q) => listUsers(q, { companyIds: [companies.big], role: 'RM_AGENT', pattern: containsPattern('agen 42'), limit: 21 })],
    ['users of an admin of two companies', () => ({ companyIds: [companies.big, companies.small], userId: 1 }), (q) => listUsers(q, { companyIds: [companies.big, companies.small], limit: 21 })],
    ['users of every company (super admin)', () => ({ companyIds: [companies.big, companies.small], superAdmin: true }), (q) => listUsers(q, { companyIds: null, limit: 21 })],
    ['audit trail of a company', () => admin, (q) => listAuditEntries(q, { companyIds: [companies.big], limit: 21 })],
    ['audit trail of one user', () => admin, (q) => listAuditEntries(q, { companyIds: [companies.big], entity: 'user', entityId: '777', limit: 21 })],
    ['audit trail by actor', () => admin, (q) => listAuditEntries(q, { companyIds: [companies.big], actorId: 1, limit: 21 })],
    ['whole audit trail (super admin)', () => ({ companyIds: [], superAdmin: true }), (q) => listAuditEntries(q, { companyIds: null, limit: 21 })],
    ['companies (super admin)', () => ({ companyIds: [], superAdmin: true }), (q) => listCompanies(q, { limit: 21 })],
  ];

  for (const [name, actor, run] of cases) {
    it(`${name}: no sequential scan of a big table`, async () => {
      const plan = await explain(pool, actor(), run);
      const seq = plan.filter((n) => n['Node Type'] === 'Seq Scan' && big.has(n['Relation Name'] ?? ''));
      assert.deepEqual(seq.map((n) => n['Relation Name']), [], JSON.stringify(plan.map((n) => [n['Node Type'], n['Relation Name'], n['Index Name']])));
      if (name !== 'companies (super admin)') assert.ok(plan.some((n) => n['Index Name']), 'uses an index');
    });
  }
});
