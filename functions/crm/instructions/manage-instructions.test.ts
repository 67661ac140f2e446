import { strict as assert } from 'node:assert';
import { randomUUID } from 'node:crypto';
import { decrypt } from '../../../shared/crypto/encryption.js';
import { hashOpaqueToken } from '../../../shared/auth/opaque-token.js';
import { recordEvents, signIn } from '../../../test/support/auth.js';
import { fieldsOf } from '../../../test/support/crm.js';
import { validLicence } from '../../../test/support/idty.js';
import {
  approvedInvestor,
  asOwner,
  createInstruction,
  instructionApi,
  instructionTeam,
  instructionTrail,
  liveTokenHashes,
  subscriptionBody,
  tokensOf,
  type Instruction,
} from '../../../test/support/instructions.js';
import type { InstructionStatus } from '../../../shared/instructions/instruction-status.js';

/** POST /crm/instructions/{id}/cancel and /resend-link: who may, from which status, and what happens to the links. */

const hour = 3_600_000;

/** Each status the instruction can be put in by SQL as the owner, with the columns its constraints ask for. */
const setStatus: Record<Exclude<InstructionStatus, 'PENDING_SIGNATURE'>, string> = {
  SIGNED: `status = 'SIGNED', signed_at = now()`,
  REJECTED_BY_INVESTOR: `status = 'REJECTED_BY_INVESTOR', investor_reason = 'Tidak sesuai'`,
  EXPIRED: `status = 'EXPIRED'`,
  CANCELLED: `status = 'CANCELLED', cancelled_at = now()`,
  SUBMITTED: `status = 'SUBMITTED', signed_at = now()`,
  COMPLETED: `status = 'COMPLETED', signed_at = now()`,
  FAILED: `status = 'FAILED', signed_at = now(), failure_reason = 'Dana tidak cukup'`,
};

/** The signature-link emails of an instruction, oldest first, with the token each carries. */
async function linkEmails(instructionId: string): Promise<Array<{ token: string; agentName: unknown; expiresAt: unknown }>> {
  const rows = await asOwner<{ payload: { secureLink: string; variables: Record<string, unknown> } }>(
    `select payload from outbox where topic = 'email.requested' and payload -> 'entity' ->> 'id' = $1::text order by created_at, id`,
    [instructionId],
  );
  return Promise.all(
    rows.map(async (r) => ({
      token: new URL(await decrypt(r.payload.secureLink, 'email.link')).pathname.replace('/crm/links/', ''),
      agentName: r.payload.variables.agentName,
      expiresAt: r.payload.variables.expiresAt,
    })),
  );
}

async function pendingInstruction() {
  const team = await instructionTeam();
  const instruction = await createInstruction(team.agent.accessToken, subscriptionBody((await approvedInvestor(team.agent, team.admin)).id));
  return { ...team, instruction };
}

describe('crm: POST /crm/instructions/{id}/cancel', () => {
  recordEvents();

  it('the agent cancels its pending instruction with a reason: CANCELLED, the link revoked, the audit row', async () => {
    const { agent, instruction } = await pendingInstruction();
    const res = await instructionApi.cancel(agent.accessToken, instruction.id, { reason: '  Investor berubah pikiran  ' }).expect(200);
    const cancelled = res.body as Instruction;
    assert.deepEqual(
      { ...cancelled, cancelledAt: '', updatedAt: '' },
      { ...instruction, status: 'CANCELLED', cancelReason: 'Investor berubah pikiran', cancelledAt: '', updatedAt: '' },
    );
    assert.ok(Math.abs(Date.parse(cancelled.cancelledAt!) - Date.now()) < 60_000);
    assert.deepEqual((await instructionApi.get(agent.accessToken, instruction.id).expect(200)).body, cancelled);
    const [row] = await asOwner<{ cancelled_by: number }>(`select cancelled_by from instruction where id = $1::uuid`, [instruction.id]);
    assert.equal(Number(row!.cancelled_by), agent.id);

    const tokens = await tokensOf(instruction.id);
    assert.equal(tokens.length, 1);
    assert.ok(tokens[0]!.revoked_at instanceof Date, 'the link is revoked');
    assert.deepEqual(await liveTokenHashes(instruction.id), []);

    const trail = await instructionTrail(instruction.id);
    assert.deepEqual(trail.map((r) => [r.action_name, r.actor_id]), [['add', agent.id], ['update', agent.id]]);
    assert.deepEqual([trail[1]!.before!.status, trail[1]!.after!.status, trail[1]!.after!.cancel_reason], ['PENDING_SIGNATURE', 'CANCELLED', 'Investor berubah pikiran']);
  });

  it('an admin of the company cancels without a reason', async () => {
    const { admin, instruction } = await pendingInstruction();
    const res = await instructionApi.cancel(admin.accessToken, instruction.id).expect(200);
    assert.deepEqual([res.body.status, res.body.cancelReason], ['CANCELLED', null]);
    const [row] = await asOwner<{ cancelled_by: number }>(`select cancelled_by from instruction where id = $1::uuid`, [instruction.id]);
    assert.equal(Number(row!.cancelled_by), admin.id);
  });

  it('answers 404 to a colleague, another company and an unknown id, 400 to a bad body; nothing changes', async () => {
    const { company, agent, instruction } = await pendingInstruction();
    const colleague = await signIn({ companyId: company.id, licence: validLicence });
    const other = await instructionTeam();
    for (const [who, token, id] of [
      ['colleague', colleague.accessToken, instruction.id],
      ['other company’s admin', other.admin.accessToken, instruction.id],
      ['other company’s agent', other.agent.accessToken, instruction.id],
      ['unknown id', other.admin.accessToken, randomUUID()],
    ] as const) {
      assert.equal((await instructionApi.cancel(token, id).expect(404)).body.code, 'NOT_FOUND', who);
    }
    for (const [body, field] of [[{ reason: 'x'.repeat(501) }, 'body.reason'], [{ reason: '   ' }, 'body.reason'], [{ why: 'x' }, 'body.why']] as const) {
      assert.deepEqual(fieldsOf((await instructionApi.cancel(agent.accessToken, instruction.id, body).expect(400)).body), [field]);
    }
    assert.deepEqual((await asOwner(`select status from instruction where id = $1::uuid`, [instruction.id]))[0], { status: 'PENDING_SIGNATURE' });
    assert.equal((await liveTokenHashes(instruction.id)).length, 1);
  });
});

describe('crm: cancel and resend-link after the investor or the system moved on', () => {
  recordEvents();

  for (const [status, sql] of Object.entries(setStatus)) {
    it(`an instruction now ${status}: 409 CONFLICT naming its status, for cancel and for resend-link`, async () => {
      const { agent, admin, instruction } = await pendingInstruction();
      await asOwner(`update instruction set ${sql} where id = $1::uuid`, [instruction.id]);
      for (const [name, call] of [
        ['cancel', () => instructionApi.cancel(agent.accessToken, instruction.id, { reason: 'Terlambat' })],
        ['cancel by the admin', () => instructionApi.cancel(admin.accessToken, instruction.id)],
        ['resend-link', () => instructionApi.resend(agent.accessToken, instruction.id)],
      ] as const) {
        const res = await call().expect(409);
        assert.deepEqual([res.body.code, res.body.instructionStatus], ['CONFLICT', status], name);
      }
      assert.deepEqual((await asOwner(`select status from instruction where id = $1::uuid`, [instruction.id]))[0], { status });
      assert.equal((await tokensOf(instruction.id)).length, 1, 'no new link');
      assert.equal((await linkEmails(instruction.id)).length, 1, 'no new email');
    });
  }
});

describe('crm: POST /crm/instructions/{id}/resend-link', () => {
  recordEvents();

  it('emails a new link with a fresh lifetime; the old link is revoked and no longer live', async () => {
    const { agent, instruction } = await pendingInstruction();
    // Most of the first link's lifetime has passed.
    await asOwner(`update instruction set link_expires_at = now() + interval '1 hour' where id = $1::uuid`, [instruction.id]);
    await asOwner(`update instruction_token set expires_at = now() + interval '1 hour' where instruction_id = $1::uuid`, [instruction.id]);
    const [first] = await linkEmails(instruction.id);
    assert.deepEqual(await liveTokenHashes(instruction.id), [hashOpaqueToken(first!.token)]);

    const started = Date.now();
    const res = await instructionApi.resend(agent.accessToken, instruction.id).expect(200);
    const renewed = res.body as Instruction;
    assert.deepEqual({ ...renewed, linkExpiresAt: '', updatedAt: '' }, { ...instruction, linkExpiresAt: '', updatedAt: '' });
    assert.ok(Math.abs(Date.parse(renewed.linkExpiresAt) - started - 24 * hour) < 60_000, renewed.linkExpiresAt);

    const emails = await linkEmails(instruction.id);
    assert.equal(emails.length, 2);
    const second = emails[1]!;
    assert.notEqual(second.token, first!.token);
    assert.equal(second.expiresAt, renewed.linkExpiresAt);
    const tokens = await tokensOf(instruction.id);
    assert.deepEqual(tokens.map((t) => [t.token_hash, t.revoked_at instanceof Date]), [[hashOpaqueToken(first!.token), true], [hashOpaqueToken(second.token), false]]);
    assert.equal(tokens[1]!.expires_at.toISOString(), renewed.linkExpiresAt);
    assert.deepEqual(await liveTokenHashes(instruction.id), [hashOpaqueToken(second.token)], 'only the new link is live');

    const trail = await instructionTrail(instruction.id);
    assert.deepEqual(trail.map((r) => [r.action_name, r.actor_id]), [['add', agent.id], ['update', null], ['update', agent.id]]);
    assert.deepEqual([trail[2]!.before!.status, trail[2]!.after!.status], ['PENDING_SIGNATURE', 'PENDING_SIGNATURE']);
  });

  it('does not revive an instruction whose link ran out before the expiry job marked it: 409, no new link', async () => {
    const { agent, instruction } = await pendingInstruction();
    await asOwner(`update instruction set link_expires_at = now() - interval '1 minute' where id = $1::uuid`, [instruction.id]);
    const refused = await instructionApi.resend(agent.accessToken, instruction.id).expect(409);
    assert.deepEqual([refused.body.code, refused.body.instructionStatus], ['CONFLICT', 'EXPIRED']);
    assert.equal((await tokensOf(instruction.id)).length, 1);
  });

  it('an admin resends in the agent’s name', async () => {
    const { agent, admin, instruction } = await pendingInstruction();
    await instructionApi.resend(admin.accessToken, instruction.id).expect(200);
    assert.deepEqual((await linkEmails(instruction.id)).map((e) => e.agentName), [agent.fullname, agent.fullname]);
  });

  it('sends at most 5 links per instruction per hour: 429 with Retry-After, and nothing new', async () => {
    const { agent, admin, instruction } = await pendingInstruction();
    const another = await createInstruction(agent.accessToken, subscriptionBody(instruction.investorId));
    for (let i = 0; i < 5; i++) await instructionApi.resend(i % 2 ? admin.accessToken : agent.accessToken, instruction.id).expect(200);
    const refused = await instructionApi.resend(agent.accessToken, instruction.id).expect(429);
    assert.equal(refused.body.code, 'RATE_LIMITED');
    assert.ok(Number(refused.headers['retry-after']) > 0 && Number(refused.headers['retry-after']) <= 3600, refused.headers['retry-after']);
    assert.equal((await tokensOf(instruction.id)).length, 6);
    assert.equal((await linkEmails(instruction.id)).length, 6);
    assert.equal((await liveTokenHashes(instruction.id)).length, 1);
    // The allowance is the instruction's own.
    await instructionApi.resend(agent.accessToken, another.id).expect(200);
  });

  it('answers 404 to a colleague, another company and an unknown id', async () => {
    const { company, instruction } = await pendingInstruction();
    const colleague = await signIn({ companyId: company.id, licence: validLicence });
    const other = await instructionTeam();
    for (const [who, token, id] of [
      ['colleague', colleague.accessToken, instruction.id],
      ['other company’s admin', other.admin.accessToken, instruction.id],
      ['unknown id', other.admin.accessToken, randomUUID()],
    ] as const) {
      assert.equal((await instructionApi.resend(token, id).expect(404)).body.code, 'NOT_FOUND', who);
    }
    assert.equal((await tokensOf(instruction.id)).length, 1);
  });
});
