import { strict as assert } from 'node:assert';
import { randomUUID } from 'node:crypto';
import { getFunction } from '@google-cloud/functions-framework/testing';
import type { CloudEvent, CloudEventFunction } from '@google-cloud/functions-framework';
import { recordEvents } from '../../../test/support/auth.js';
import { ownerPool } from '../../../test/support/owner.js';
import '../../../test/support/http.js';
import {
  approvedInvestor,
  asOwner,
  createInstruction,
  instructionApi,
  instructionTeam,
  instructionTrail,
  subscriptionBody,
  type InstructionTeam,
} from '../../../test/support/instructions.js';
import { expireInstructionLinks } from './expire-instruction-links.js';

/** The scheduled expiry of signature links, across tenants, each expired under its own tenant. */

type Push = { userIds: number[]; type: string; title: string; body: string; data: Record<string, string> };

async function pendingOf(team: InstructionTeam, productCode = 'MMF-KAS') {
  const investor = await approvedInvestor(team.agent, team.admin);
  const instruction = await createInstruction(team.agent.accessToken, subscriptionBody(investor.id, { productCode, amount: '100000' }));
  return { investor, instruction };
}

/** The link ran out `minutes` ago (negative: runs out in the future). */
const linkRanOut = (id: string, minutes: number) =>
  asOwner(`update instruction set link_expires_at = now() - make_interval(mins => $2::int) where id = $1::uuid`, [id, minutes]);
const statusOf = async (id: string) => (await asOwner<{ status: string }>(`select status from instruction where id = $1::uuid`, [id]))[0]!.status;
const pushesOf = (id: string) =>
  asOwner<{ payload: Push; company_id: string }>(`select payload, company_id from outbox where topic = 'push.requested' and payload -> 'data' ->> 'instructionId' = $1::text`, [id]);

describe('expireInstructionLinks', () => {
  const events = recordEvents();

  it('expires the pending instructions of every tenant whose link ran out, pushes each RM, and leaves the rest', async () => {
    const a = await instructionTeam();
    const b = await instructionTeam();
    const dueA = await pendingOf(a, 'FIF-OBLIGASI');
    const dueB = await pendingOf(b);
    const later = await pendingOf(a);
    const signed = await pendingOf(a);
    const cancelled = await pendingOf(b);
    for (const x of [dueA, dueB, signed, cancelled]) await linkRanOut(x.instruction.id, 10);
    await linkRanOut(later.instruction.id, -10);
    await asOwner(`update instruction set status = 'SIGNED', signed_at = now() where id = $1::uuid`, [signed.instruction.id]);
    await instructionApi.cancel(b.agent.accessToken, cancelled.instruction.id).expect(200);

    const report = await expireInstructionLinks();
    assert.ok(report.expired! >= 2 && report.companies! >= 2 && report.due! >= report.expired!, JSON.stringify(report));
    assert.equal(report.failedCompanies, 0);
    assert.deepEqual(
      await Promise.all([dueA, dueB, later, signed, cancelled].map((x) => statusOf(x.instruction.id))),
      ['EXPIRED', 'EXPIRED', 'PENDING_SIGNATURE', 'SIGNED', 'CANCELLED'],
    );
    assert.equal((await instructionApi.get(a.agent.accessToken, dueA.instruction.id).expect(200)).body.status, 'EXPIRED');

    for (const [x, team, productName] of [[dueA, a, 'Dana Obligasi Negara Plus'], [dueB, b, 'Dana Kas Likuid']] as const) {
      const [push, ...more] = await pushesOf(x.instruction.id);
      assert.equal(more.length, 0);
      assert.equal(Number(push!.company_id), team.company.id);
      assert.deepEqual(push!.payload, {
        userIds: [team.agent.id],
        type: 'INSTRUCTION_EXPIRED',
        title: 'Signature link expired',
        body: `${x.investor.fullName}: ${productName}`,
        data: { instructionId: x.instruction.id, status: 'EXPIRED' },
      });
      // Published right after the commit.
      assert.ok(events.messages.some((m) => m.topic === 'push.requested' && (m.data as Push).data.instructionId === x.instruction.id));
      // The transition is audited, by no user.
      const trail = await instructionTrail(x.instruction.id);
      assert.deepEqual(trail.map((r) => [r.action_name, r.actor_id, r.after!.status]).at(-1), ['update', null, 'EXPIRED']);
      assert.equal(trail.at(-1)!.before!.status, 'PENDING_SIGNATURE');
    }
    for (const x of [later, signed, cancelled]) assert.deepEqual(await pushesOf(x.instruction.id), []);

    // A second run finds nothing more of these and tells nobody twice.
    await expireInstructionLinks();
    assert.equal((await pushesOf(dueA.instruction.id)).length, 1);
    assert.equal(await statusOf(later.instruction.id), 'PENDING_SIGNATURE');
  });

  it('skips an instruction another transaction holds (the investor signing it) and expires it on a later run', async () => {
    const team = await instructionTeam();
    const { instruction } = await pendingOf(team);
    await linkRanOut(instruction.id, 1);
    const holder = await ownerPool().connect();
    try {
      await holder.query('begin');
      await holder.query(`select set_config('app.super_admin', 'on', true)`);
      await holder.query(`select id from instruction where id = $1::uuid for update`, [instruction.id]);
      await expireInstructionLinks();
      assert.equal(await statusOf(instruction.id), 'PENDING_SIGNATURE');
    } finally {
      await holder.query('rollback');
      holder.release();
    }
    await expireInstructionLinks();
    assert.equal(await statusOf(instruction.id), 'EXPIRED');
    assert.equal((await pushesOf(instruction.id)).length, 1);
  });

  it('runs as the scheduled function expireInstructionLinks (a Cloud Scheduler message)', async () => {
    const team = await instructionTeam();
    const { instruction } = await pendingOf(team);
    await linkRanOut(instruction.id, 1);
    const fn = getFunction('expireInstructionLinks') as CloudEventFunction<unknown>;
    assert.ok(fn, 'registered');
    const data = { message: { data: Buffer.from(JSON.stringify({ job: 'expire-instruction-links' })).toString('base64') } };
    await fn({ id: randomUUID(), specversion: '1.0', type: 'google.cloud.pubsub.topic.v1.messagePublished', source: 'test', data } as CloudEvent<unknown>);
    assert.equal(await statusOf(instruction.id), 'EXPIRED');
  });
});
