import { strict as assert } from 'node:assert';
import { withTransaction, type DbActor } from '../../shared/db/tx.js';
import { listLeads } from '../../functions/crm/leads/lead.repo.js';
import { listInvestors } from '../../functions/crm/investors/investor-list.repo.js';
import { bearer, recordEvents, signIn, type SignedInUser } from '../support/auth.js';
import { createCompany } from '../support/owner.js';
import { crm, submitIndividual } from '../support/crm.js';

/**
 * The CRM's second fence (DESIGN §5): an agent sees its own leads and investors and nothing of its colleagues',
 * by policy, whatever the SQL asks for. Admins see their company's; nobody sees another company's.
 */
describe('row level security of the CRM: own rows for agents', () => {
  recordEvents();
  let companyA: number;
  let companyB: number;
  let agent1: SignedInUser;
  let agent2: SignedInUser;
  let admin: SignedInUser;
  const investorsOf = new Map<number, string[]>();

  before(async () => {
    companyA = (await createCompany()).id;
    companyB = (await createCompany()).id;
    agent1 = await signIn({ companyId: companyA, role: 'RM_AGENT' });
    agent2 = await signIn({ companyId: companyA, role: 'RM_AGENT' });
    admin = await signIn({ companyId: companyA, role: 'ADMIN' });
    const agentB = await signIn({ companyId: companyB, role: 'RM_AGENT' });
    for (const agent of [agent1, agent2, agentB]) {
      const ids: string[] = [];
      for (let i = 0; i < 2; i++) {
        await crm().post('/crm/leads').set(bearer(agent.accessToken)).send({ fullname: `Lead ${i} of ${agent.id}` }).expect(201);
        const { investor } = await submitIndividual(agent.accessToken);
        await crm().post(`/crm/investors/${investor.id}/documents`).set(bearer(agent.accessToken)).send({ kind: 'KTP', contentType: 'image/png', size: 10 }).expect(201);
        ids.push(investor.id);
      }
      investorsOf.set(agent.id, ids);
    }
  });

  const asAgent = (agent: SignedInUser): DbActor => ({ companyIds: [companyA, companyB], userId: agent.id, ownRowsOnly: true });

  it('listLeads and listInvestors without an owner filter, over both companies, return only the agent’s own rows', async () => {
    const { leads, investors } = await withTransaction(asAgent(agent1), async (tx) => ({
      leads: await listLeads(tx, { companyIds: [companyA, companyB], limit: 100 }),
      investors: await listInvestors(tx, { companyIds: [companyA, companyB], limit: 100 }),
    }));
    assert.equal(leads.length, 2);
    assert.ok(leads.every((l) => l.ownerId === agent1.id));
    assert.deepEqual(investors.map((i) => i.id).sort(), [...investorsOf.get(agent1.id)!].sort());
  });

  it('a bare select of each investor detail table returns only the agent’s investors’ rows', async () => {
    for (const table of ['investor_individual', 'investor_bank_account', 'investor_document']) {
      const rows = await withTransaction(asAgent(agent1), async (tx) => (await tx.query<{ investor_id: string }>(`select investor_id from ${table}`)).rows);
      assert.ok(rows.length >= 2, table);
      assert.ok(rows.every((r) => investorsOf.get(agent1.id)!.includes(r.investor_id)), `${table} shows a colleague's rows`);
    }
  });

  it('refuses an agent writing a lead or investor row for a colleague', async () => {
    await assert.rejects(
      withTransaction(asAgent(agent1), (tx) => tx.query(`insert into lead (company_id, owner_id, fullname) values ($1::bigint, $2::bigint, 'Planted')`, [companyA, agent2.id])),
      /row-level security|FORBIDDEN|Not allowed/i,
    );
    const updated = await withTransaction(asAgent(agent1), async (tx) => (await tx.query(`update investor set full_name = 'Renamed' where agent_id = $1::bigint`, [agent2.id])).rowCount);
    assert.equal(updated, 0);
  });

  it('an admin sees every agent of its company and no other company', async () => {
    const investors = await withTransaction({ companyIds: [companyA], userId: admin.id }, (tx) => listInvestors(tx, { companyIds: [companyA, companyB], limit: 100 }));
    assert.deepEqual(investors.map((i) => i.id).sort(), [...investorsOf.get(agent1.id)!, ...investorsOf.get(agent2.id)!].sort());
  });
});
