import { strict as assert } from 'node:assert';
import pg from 'pg';
import type { DbActor, Queryable } from '../../shared/db/tx.js';
import { containsPattern } from '../../shared/db/like.js';
import { listInvestors } from '../../functions/crm/investors/investor-list.repo.js';
import { listBankAccounts } from '../../functions/crm/investors/bank-account.repo.js';
import { listLeads } from '../../functions/crm/leads/lead.repo.js';
import { listInstructions } from '../../functions/crm/instructions/instruction-list.repo.js';
import { scratchDatabase, type ScratchDatabase } from '../support/database.js';
import { seedInvestors } from '../../tools/bench/seed-investors.js';
import { explain } from '../support/plans.js';

/**
 * The CRM lists stay on indexes under RLS at scale: 100,000 investors, 100,000 leads and 120,000 instructions in
 * one company shared by 50 agents; EXPLAIN of each list query as the app role, for the admin and for one agent (own rows only),
 * shows no sequential scan of the big tables. A free-text q is the exception by nature: under RLS, LIKE is not
 * leakproof and cannot use a trigram index, so a search reads the range it filters (here one tenant's 100,000
 * rows, ~70 ms); an agent's search reads only its own range (covered below).
 */
const big = new Set(['investor', 'investor_bank_account', 'lead', 'instruction']);

describe('CRM list queries at 100k investors, leads and instructions under RLS', function () {
  this.timeout(180_000);
  let db: ScratchDatabase;
  let pool: pg.Pool;
  let companyId: number;
  let agentId: number;

  before(async () => {
    db = await scratchDatabase();
    const seeded = await seedInvestors(db.ownerUrl, { investors: 100_000, agents: 50 });
    companyId = seeded.companyId;
    agentId = seeded.agentIds[7]!;
    const owner = new pg.Client({ connectionString: db.ownerUrl });
    await owner.connect();
    try {
      await owner.query(`select set_config('app.super_admin', 'on', false)`);
      await owner.query(
        `insert into lead (company_id, owner_id, fullname, phone, status)
         select $1::bigint, ($2::bigint[])[1 + i % 50], 'Prospek ' || i, '+6282' || lpad(i::text, 9, '0'),
                (array['NEW', 'CONTACTED', 'INTERESTED', 'LOST'])[1 + i % 4]
           from generate_series(1, 100000) as i`,
        [companyId, seeded.agentIds],
      );
      await owner.query('analyze lead');
      // Two instructions per approved investor, by its agent, in three statuses.
      await owner.query(
        `insert into instruction (company_id, investor_id, agent_id, type, product_code, product_name, amount, suitability, status,
            link_expires_at, cancelled_at, created_at)
         select v.company_id, v.id, v.agent_id, 'SUBSCRIPTION', 'MMF-KAS', 'Dana Kas Likuid', 100000, '{"suitable": true}'::jsonb, s.status,
                now() + interval '1 day', case when s.status = 'CANCELLED' then now() end, v.created_at + make_interval(secs => n)
           from investor v
          cross join generate_series(1, 2) as n
          cross join lateral (select (array['PENDING_SIGNATURE', 'EXPIRED', 'CANCELLED'])[1 + (abs(hashtext(v.id::text)) + n) % 3] as status) as s
          where v.company_id = $1::bigint and v.status = 'APPROVED'`,
        [companyId],
      );
      await owner.query('analyze instruction');
    } finally {
      await owner.end();
    }
    pool = new pg.Pool({ connectionString: db.appUrl, max: 2 });
  });
  after(async () => {
    await pool?.end();
    await db?.drop();
  });

  const admin = (): DbActor => ({ companyIds: [companyId], userId: 1 });
  const agent = (): DbActor => ({ companyIds: [companyId], userId: agentId, ownRowsOnly: true });
  const ids = ['00000000-0000-4000-8000-000000000001', '00000000-0000-4000-8000-000000000002'];
  const cases: Array<[string, () => DbActor, (q: Queryable) => Promise<unknown>]> = [
    ['investors of a company (admin)', admin, (q) => listInvestors(q, { companyIds: [companyId], limit: 21 })],
    ['investors, a later page', admin, (q) => listInvestors(q, { companyIds: [companyId], before: [new Date(Date.now() - 50_000 * 60_000).toISOString(), ids[0]!], limit: 21 })],
    ['investors by status (review queue)', admin, (q) => listInvestors(q, { companyIds: [companyId], status: 'SUBMITTED', limit: 21 })],
    ['investors by NIK hash', admin, (q) => listInvestors(q, { companyIds: [companyId], identityHashes: ['x', 'y'], limit: 21 })],
    ['an agent’s investors', agent, (q) => listInvestors(q, { companyIds: [companyId], agentId, limit: 21 })],
    ['an agent’s investors without the filter (RLS alone)', agent, (q) => listInvestors(q, { companyIds: [companyId], limit: 21 })],
    ['bank accounts of a page', admin, (q) => listBankAccounts(q, ids)],
    ['leads of a company (admin)', admin, (q) => listLeads(q, { companyIds: [companyId], limit: 21 })],
    ['leads by status', admin, (q) => listLeads(q, { companyIds: [companyId], status: 'INTERESTED', limit: 21 })],
    ['an agent’s leads', agent, (q) => listLeads(q, { companyIds: [companyId], ownerId: agentId, limit: 21 })],
    ['an agent’s leads by q', agent, (q) => listLeads(q, { companyIds: [companyId], ownerId: agentId, pattern: containsPattern('prospek 12'), limit: 21 })],
    ['instructions of a company (admin)', admin, (q) => listInstructions(q, { companyIds: [companyId], limit: 21 })],
    ['instructions, a later page', admin, (q) => listInstructions(q, { companyIds: [companyId], before: [new Date(Date.now() - 50_000 * 60_000).toISOString(), ids[0]!], limit: 21 })],
    ['instructions by status', admin, (q) => listInstructions(q, { companyIds: [companyId], status: 'PENDING_SIGNATURE', limit: 21 })],
    ['instructions of an investor', admin, (q) => listInstructions(q, { companyIds: [companyId], investorId: ids[0]!, limit: 21 })],
    ['an agent’s instructions', agent, (q) => listInstructions(q, { companyIds: [companyId], agentId, limit: 21 })],
    ['an agent’s instructions without the filter (RLS alone)', agent, (q) => listInstructions(q, { companyIds: [companyId], limit: 21 })],
    ['an agent’s instructions by status', agent, (q) => listInstructions(q, { companyIds: [companyId], agentId, status: 'EXPIRED', limit: 21 })],
  ];

  for (const [name, actor, run] of cases) {
    it(`${name}: no sequential scan of a big table`, async () => {
      const plan = await explain(pool, actor(), run);
      const seq = plan.filter((n) => n['Node Type'] === 'Seq Scan' && big.has(n['Relation Name'] ?? ''));
      assert.deepEqual(seq.map((n) => n['Relation Name']), [], JSON.stringify(plan.map((n) => [n['Node Type'], n['Relation Name'], n['Index Name']])));
      assert.ok(plan.some((n) => n['Index Name']), 'uses an index');
    });
  }
});
