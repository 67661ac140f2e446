import { strict as assert } from 'node:assert';
import { config } from '../../../shared/config.js';
import { decrypt } from '../../../shared/crypto/encryption.js';
import { hashOpaqueToken } from '../../../shared/auth/opaque-token.js';
import { recordEvents } from '../../../test/support/auth.js';
import {
  approvedInvestor,
  asOwner,
  createInstruction,
  instructionApi,
  instructionTeam,
  instructionTrail,
  subscriptionBody,
  tokensOf,
  type Instruction,
} from '../../../test/support/instructions.js';

/**
 * POST /crm/instructions through the Functions Framework test server against the real database: what an RM
 * gets back, what is stored, the signature link and its email. Who may create for whom is in
 * instruction-access.test.ts, the rules each type obeys in instruction-rules.test.ts, the suitability check in
 * suitability.test.ts.
 */

const instructionKeys = [
  'agentId', 'amount', 'bankAccountId', 'bibOrderStatus', 'cancelReason', 'cancelledAt', 'companyId', 'createdAt', 'externalId', 'failureReason',
  'feePct', 'id', 'investorId', 'investorReason', 'linkExpiresAt', 'productCode', 'productName', 'signedAt', 'status', 'suitability', 'sync',
  'syncStatus', 'targetProductCode', 'targetProductName', 'type', 'units', 'updatedAt',
];
const hour = 3_600_000;

type EmailEvent = { template: string; to: string; variables: Record<string, unknown>; secureLink: string; locale: string; entity: { type: string; id: string } };

/** The outbox rows written for an instruction, oldest first: the event as it was queued in the transaction. */
async function outboxOf(instructionId: string) {
  return asOwner<{ topic: string; payload: EmailEvent; company_id: string }>(
    `select topic, payload, company_id from outbox where payload -> 'entity' ->> 'id' = $1::text order by created_at, id`,
    [instructionId],
  );
}

describe('crm: POST /crm/instructions', () => {
  recordEvents();

  it('creates a PENDING_SIGNATURE subscription: 201, Location, the decimals as strings, the fee, the link’s lifetime, the audit row', async () => {
    const { company, agent, admin } = await instructionTeam();
    const investor = await approvedInvestor(agent, admin);
    const started = Date.now();
    const res = await instructionApi.create(agent.accessToken, subscriptionBody(investor.id, { productCode: 'EQF-SAHAM', amount: 2500000.5 })).expect(201);
    const instruction = res.body as Instruction;
    assert.deepEqual(Object.keys(instruction).sort(), instructionKeys);
    assert.equal(res.headers.location, `/crm/instructions/${instruction.id}`);
    assert.deepEqual(
      { ...instruction, id: '', linkExpiresAt: '', createdAt: '', updatedAt: '' },
      {
        id: '',
        companyId: company.id,
        investorId: investor.id,
        agentId: agent.id,
        type: 'SUBSCRIPTION',
        productCode: 'EQF-SAHAM',
        productName: 'Dana Saham Unggulan',
        targetProductCode: null,
        targetProductName: null,
        amount: '2500000.50',
        units: null,
        bankAccountId: null,
        feePct: '2.00',
        suitability: { productRiskLevel: 4, investorRiskProfile: 'AGGRESSIVE', maxRiskLevel: 5, suitable: true },
        status: 'PENDING_SIGNATURE',
        linkExpiresAt: '',
        signedAt: null,
        investorReason: null,
        cancelledAt: null,
        cancelReason: null,
        externalId: null,
        syncStatus: 'NOT_READY',
        sync: { attempts: 0, lastError: null, nextAttemptAt: null, syncedAt: null },
        bibOrderStatus: null,
        failureReason: null,
        createdAt: '',
        updatedAt: '',
      },
    );
    // The company's default lifetime: a day.
    assert.ok(Math.abs(Date.parse(instruction.linkExpiresAt) - started - 24 * hour) < 60_000, instruction.linkExpiresAt);
    assert.deepEqual((await instructionApi.get(agent.accessToken, instruction.id).expect(200)).body, instruction);

    const trail = await instructionTrail(instruction.id);
    assert.deepEqual(trail.map((r) => [r.action_name, r.actor_id]), [['add', agent.id]]);
    assert.deepEqual([trail[0]!.after!.status, trail[0]!.after!.amount, trail[0]!.after!.created_by], ['PENDING_SIGNATURE', 2500000.5, agent.id]);
    // The fund as Bib's catalogue listed it, kept for the signing page and its evidence.
    assert.deepEqual(
      ['product_name', 'product_house', 'product_type', 'product_risk_level', 'target_product_name'].map((k) => trail[0]!.after![k]),
      ['Dana Saham Unggulan', 'Nusantara Asset Management', 'EQUITY', 4, null],
    );
  });

  it('emails the investor a signature link in the same transaction: only the token’s hash is stored, the link travels encrypted', async () => {
    const { agent, admin } = await instructionTeam();
    const investor = await approvedInvestor(agent, admin);
    const instruction = await createInstruction(agent.accessToken, subscriptionBody(investor.id, { amount: '1500000' }));

    const [row, ...more] = await outboxOf(instruction.id);
    assert.equal(more.length, 0, 'one email');
    assert.equal(row!.topic, 'email.requested');
    assert.equal(Number(row!.company_id), instruction.companyId);
    const mail = row!.payload;
    assert.deepEqual(
      { ...mail, secureLink: undefined },
      {
        template: 'INSTRUCTION_SIGNATURE_LINK',
        to: investor.email,
        variables: {
          investorName: investor.fullName,
          instructionType: 'SUBSCRIPTION',
          productName: 'Dana Kas Likuid',
          amount: '1500000.00',
          units: null,
          agentName: agent.fullname,
          expiresAt: instruction.linkExpiresAt,
        },
        secureLink: undefined,
        locale: 'id',
        entity: { type: 'instruction', id: instruction.id },
      },
    );

    const url = new URL(await decrypt(mail.secureLink, 'email.link'));
    assert.equal(url.origin, new URL(config().PUBLIC_BASE_URL).origin);
    const match = /^\/crm\/links\/([A-Za-z0-9_-]{43})$/.exec(url.pathname);
    assert.ok(match, url.pathname);
    const token = match[1]!;
    const tokens = await tokensOf(instruction.id);
    assert.equal(tokens.length, 1);
    assert.equal(tokens[0]!.token_hash, hashOpaqueToken(token));
    assert.equal(tokens[0]!.expires_at.toISOString(), instruction.linkExpiresAt, 'the link lives as long as the instruction’s');
    assert.deepEqual([tokens[0]!.used_at, tokens[0]!.revoked_at], [null, null]);

    // The token itself is nowhere in the database: not in the event, the audit trail or any instruction row.
    for (const table of ['outbox', 'auth_user_action_log', 'instruction', 'instruction_token']) {
      const [found] = await asOwner<{ n: number }>(`select count(*)::int as n from ${table} t where position($1::text in t::text) > 0`, [token]);
      assert.equal(found!.n, 0, table);
    }
    // The token row is audited without its hash.
    const [audit] = await asOwner<{ after: Record<string, unknown> }>(
      `select new_entity_value as after from auth_user_action_log where entity = 'instruction_token' and entity_id = $1::text`,
      [String(tokens[0]!.id)],
    );
    assert.equal(audit!.after.instruction_id, instruction.id);
    assert.ok(!('token_hash' in audit!.after));
  });

  it('runs the link for as long as the company says (auth_company.investor_link_ttl_hours)', async () => {
    const { company, agent, admin } = await instructionTeam();
    const investor = await approvedInvestor(agent, admin);
    await asOwner(`update auth_company set investor_link_ttl_hours = 2 where id = $1::bigint`, [company.id]);
    const started = Date.now();
    const instruction = await createInstruction(agent.accessToken, subscriptionBody(investor.id));
    assert.ok(Math.abs(Date.parse(instruction.linkExpiresAt) - started - 2 * hour) < 60_000, instruction.linkExpiresAt);
  });
});
