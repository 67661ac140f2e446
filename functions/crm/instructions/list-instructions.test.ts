import { strict as assert } from 'node:assert';
import { randomUUID } from 'node:crypto';
import { encodeCursor } from '../../../shared/http/pagination.js';
import { recordEvents, signIn } from '../../../test/support/auth.js';
import { fieldsOf } from '../../../test/support/crm.js';
import { validLicence } from '../../../test/support/idty.js';
import {
  approvedInvestor,
  asOwner,
  createInstruction,
  instructionApi,
  instructionTeam,
  subscriptionBody,
  type Instruction,
} from '../../../test/support/instructions.js';

/** GET /crm/instructions and GET /crm/instructions/{id}: who sees what, the filters and keyset pagination. */

const idsOf = (body: { items: Array<{ id: string }> }) => body.items.map((i) => i.id);
const sorted = (ids: string[]) => [...ids].sort();

describe('crm: GET /crm/instructions', () => {
  recordEvents();

  /** Two agents of one company, each with two investors and instructions for them; one cancelled. */
  async function arrange() {
    const team = await instructionTeam();
    const colleague = await signIn({ companyId: team.company.id, licence: validLicence });
    const mine = [await approvedInvestor(team.agent, team.admin), await approvedInvestor(team.agent, team.admin)];
    const theirs = await approvedInvestor(colleague, team.admin);
    const make = (token: string, investorId: string) => createInstruction(token, subscriptionBody(investorId));
    const a1 = await make(team.agent.accessToken, mine[0]!.id);
    const a2 = await make(team.agent.accessToken, mine[1]!.id);
    const a3 = await make(team.agent.accessToken, mine[0]!.id);
    const c1 = await make(colleague.accessToken, theirs.id);
    await instructionApi.cancel(team.agent.accessToken, a2.id).expect(200);
    return { ...team, colleague, mine, theirs, a1, a2, a3, c1 };
  }

  it('shows an agent only its own instructions, newest first, and an admin the company’s; never another company’s', async () => {
    const { agent, admin, colleague, a1, a2, a3, c1 } = await arrange();
    const other = await instructionTeam();
    const foreign = await createInstruction(other.agent.accessToken, subscriptionBody((await approvedInvestor(other.agent, other.admin)).id));

    const own = (await instructionApi.list(agent.accessToken).expect(200)).body;
    assert.deepEqual(idsOf(own), [a3.id, a2.id, a1.id]);
    assert.equal(own.nextCursor, null);
    assert.deepEqual(idsOf((await instructionApi.list(colleague.accessToken).expect(200)).body), [c1.id]);
    const all = (await instructionApi.list(admin.accessToken).expect(200)).body;
    assert.deepEqual(idsOf(all), [c1.id, a3.id, a2.id, a1.id]);
    assert.ok(!idsOf(all).includes(foreign.id));
    // Items are <instruction>, as GET /crm/instructions/{id} answers them.
    assert.deepEqual(all.items[1], (await instructionApi.get(agent.accessToken, a3.id).expect(200)).body);
  });

  it('filters by status and investorId; an agent cannot widen what it sees by naming a colleague’s investor', async () => {
    const { agent, admin, colleague, mine, theirs, a1, a2, a3, c1 } = await arrange();
    const cases: Array<[string, Record<string, string>, Instruction[]]> = [
      ['admin', { status: 'PENDING_SIGNATURE' }, [a1, a3, c1]],
      ['admin', { status: 'CANCELLED' }, [a2]],
      ['admin', { status: 'SIGNED' }, []],
      ['admin', { investorId: mine[0]!.id }, [a1, a3]],
      ['admin', { investorId: theirs.id }, [c1]],
      ['admin', { investorId: mine[1]!.id, status: 'PENDING_SIGNATURE' }, []],
      ['admin', { investorId: randomUUID() }, []],
      ['agent', { status: 'PENDING_SIGNATURE' }, [a1, a3]],
      ['agent', { investorId: mine[1]!.id }, [a2]],
      ['agent', { investorId: theirs.id }, []],
      ['colleague', { investorId: mine[0]!.id }, []],
      ['colleague', { status: 'PENDING_SIGNATURE' }, [c1]],
    ];
    const tokens = { admin: admin.accessToken, agent: agent.accessToken, colleague: colleague.accessToken };
    for (const [who, query, expected] of cases) {
      const res = await instructionApi.list(tokens[who as keyof typeof tokens], query).expect(200);
      assert.deepEqual(sorted(idsOf(res.body)), sorted(expected.map((i) => i.id)), `${who} ${JSON.stringify(query)}`);
    }
    const bad: Array<Record<string, string | number>> = [{ status: 'PENDING' }, { investorId: 'budi' }, { limit: 0 }, { limit: 101 }, { agentId: agent.id }];
    for (const query of bad) {
      assert.equal((await instructionApi.list(admin.accessToken, query).expect(400)).body.code, 'VALIDATION_FAILED', JSON.stringify(query));
    }
  });

  it('pages newest first with limit and cursor, each instruction exactly once, also for rows created in the same instant', async () => {
    const { agent, admin } = await instructionTeam();
    const investor = await approvedInvestor(agent, admin);
    const created: string[] = [];
    for (let i = 0; i < 5; i++) created.push((await createInstruction(agent.accessToken, subscriptionBody(investor.id))).id);
    // Two rows with one created_at: the id breaks the tie.
    await asOwner(`update instruction set created_at = (select created_at from instruction where id = $1::uuid) where id = $2::uuid`, [created[1], created[2]]);
    const expected = (await asOwner<{ id: string }>(`select id from instruction where investor_id = $1::uuid order by created_at desc, id desc`, [investor.id])).map((r) => r.id);
    for (const token of [admin.accessToken, agent.accessToken]) {
      const seen: string[] = [];
      const sizes: number[] = [];
      let cursor: string | undefined;
      do {
        const page = (await instructionApi.list(token, { limit: 2, ...(cursor ? { cursor } : {}) }).expect(200)).body;
        seen.push(...idsOf(page));
        sizes.push(page.items.length);
        cursor = page.nextCursor ?? undefined;
      } while (cursor);
      assert.deepEqual(sizes, [2, 2, 1]);
      assert.deepEqual(seen, expected);
      assert.deepEqual(sorted(seen), sorted(created));
    }
  });

  it('refuses a cursor it did not make', async () => {
    const { admin } = await instructionTeam();
    for (const cursor of ['garbage', encodeCursor([1, 2]), encodeCursor(['2026-01-01 00:00:00+00', 'not-a-uuid'])]) {
      const res = await instructionApi.list(admin.accessToken, { cursor }).expect(400);
      assert.deepEqual(fieldsOf(res.body), ['query.cursor'], cursor);
    }
  });
});

describe('crm: GET /crm/instructions/{id}', () => {
  recordEvents();

  it('answers the owning agent and the company’s admin; 404 to a colleague, another company and an unknown id', async () => {
    const { company, agent, admin } = await instructionTeam();
    const colleague = await signIn({ companyId: company.id, licence: validLicence });
    const other = await instructionTeam();
    const instruction = await createInstruction(agent.accessToken, subscriptionBody((await approvedInvestor(agent, admin)).id));
    assert.deepEqual((await instructionApi.get(agent.accessToken, instruction.id).expect(200)).body, instruction);
    assert.deepEqual((await instructionApi.get(admin.accessToken, instruction.id).expect(200)).body, instruction);
    for (const [who, token] of [['colleague', colleague], ['other company’s admin', other.admin], ['other company’s agent', other.agent]] as const) {
      assert.equal((await instructionApi.get(token.accessToken, instruction.id).expect(404)).body.code, 'NOT_FOUND', who);
    }
    assert.equal((await instructionApi.get(admin.accessToken, randomUUID()).expect(404)).body.code, 'NOT_FOUND');
    assert.deepEqual(fieldsOf((await instructionApi.get(admin.accessToken, 'not-a-uuid').expect(400)).body), ['params.id']);
  });
});
