import { strict as assert } from 'node:assert';
import type { BibOrderStatus } from '../bib/contract.js';
import { recordEvents } from '../../test/support/auth.js';
import { captureLogs } from '../../test/support/logs.js';
import { instructionTrail } from '../../test/support/instructions.js';
import { systemActor, withTransaction } from '../db/tx.js';
import { logger } from '../logging.js';
import { applyBibOrder, type ApplyOutcome } from './apply-bib-order.js';
import type { InstructionStatus } from './instruction-status.js';
import {
  bibOrderOf,
  instructionIn,
  newOrderId,
  orderTeam,
  pushesOf,
  storedInstruction,
  unknownInstructionId,
  whileInstructionLocked,
  type InstructionState,
  type OrderTeam,
} from './test/bib-orders.js';

/** Bib's order status applied to instructions: the transition table, the order of versions, the RM's push. */

/** How each instruction status stands before Bib's order arrives (version 1 when Bib's order is known already). */
function stateBefore(status: InstructionStatus, orderId: string): InstructionState {
  switch (status) {
    case 'SUBMITTED':
      return { status, externalId: orderId, bibOrderStatus: 'RECEIVED', bibOrderVersion: 1 };
    case 'COMPLETED':
      return { status, externalId: orderId, bibOrderStatus: 'COMPLETED', bibOrderVersion: 1 };
    case 'FAILED':
      return { status, externalId: orderId, bibOrderStatus: 'REJECTED', bibOrderVersion: 1 };
    default:
      return { status };
  }
}

type Expected = [ApplyOutcome, InstructionStatus];
const mismatchAll: Record<BibOrderStatus, Expected> = {
  RECEIVED: ['mismatch', 'PENDING_SIGNATURE'],
  PROCESSING: ['mismatch', 'PENDING_SIGNATURE'],
  COMPLETED: ['mismatch', 'PENDING_SIGNATURE'],
  REJECTED: ['mismatch', 'PENDING_SIGNATURE'],
};
const untouched = (status: InstructionStatus): Record<BibOrderStatus, Expected> =>
  Object.fromEntries(Object.entries(mismatchAll).map(([k]) => [k, ['mismatch', status]])) as Record<BibOrderStatus, Expected>;

/** Instruction status × Bib's order status (version 2) → outcome and the instruction's status after. */
const matrix: Record<InstructionStatus, Record<BibOrderStatus, Expected>> = {
  SIGNED: { RECEIVED: ['applied', 'SUBMITTED'], PROCESSING: ['applied', 'SUBMITTED'], COMPLETED: ['applied', 'COMPLETED'], REJECTED: ['applied', 'FAILED'] },
  SUBMITTED: { RECEIVED: ['unchanged', 'SUBMITTED'], PROCESSING: ['applied', 'SUBMITTED'], COMPLETED: ['applied', 'COMPLETED'], REJECTED: ['applied', 'FAILED'] },
  COMPLETED: { RECEIVED: ['mismatch', 'COMPLETED'], PROCESSING: ['mismatch', 'COMPLETED'], COMPLETED: ['unchanged', 'COMPLETED'], REJECTED: ['mismatch', 'COMPLETED'] },
  FAILED: { RECEIVED: ['mismatch', 'FAILED'], PROCESSING: ['mismatch', 'FAILED'], COMPLETED: ['mismatch', 'FAILED'], REJECTED: ['unchanged', 'FAILED'] },
  PENDING_SIGNATURE: mismatchAll,
  REJECTED_BY_INVESTOR: untouched('REJECTED_BY_INVESTOR'),
  EXPIRED: untouched('EXPIRED'),
  CANCELLED: untouched('CANCELLED'),
};

describe('applyBibOrder', () => {
  recordEvents();
  let team: OrderTeam;
  before(async () => {
    team = await orderTeam();
  });

  for (const [from, row] of Object.entries(matrix) as Array<[InstructionStatus, Record<BibOrderStatus, Expected>]>) {
    for (const [bibStatus, [outcome, to]] of Object.entries(row) as Array<[BibOrderStatus, Expected]>) {
      it(`${from} + Bib ${bibStatus} → ${outcome}, ${to}`, async () => {
        const orderId = newOrderId();
        const id = await instructionIn(team, stateBefore(from, orderId));
        const was = await storedInstruction(id);
        const order = bibOrderOf(id, { id: orderId, status: bibStatus, version: 2 });

        assert.equal(await applyBibOrder(order), outcome);
        const now = await storedInstruction(id);
        assert.equal(now.status, to);
        if (outcome === 'mismatch') {
          assert.deepEqual(now, was, 'a mismatch changes nothing');
        } else {
          assert.equal(now.bib_order_version, 2);
          assert.equal(now.bib_order_status, bibStatus);
          assert.equal(now.external_id, orderId);
          assert.equal(now.bib_order_updated_at?.toISOString(), order.updatedAt);
          assert.equal(now.sync_status, 'SYNCED');
        }
        assert.equal(now.failure_reason, to === 'FAILED' ? 'Insufficient funds' : null);
        const pushes = await pushesOf(id);
        const pushed = to !== from && (to === 'COMPLETED' || to === 'FAILED');
        assert.deepEqual(
          pushes.map((p) => p.type),
          pushed ? [`INSTRUCTION_${to}`] : [],
        );
      });
    }
  }

  it('tells the RM who the investor is, what the product is and, on failure, why', async () => {
    const orderId = newOrderId();
    const id = await instructionIn(team, stateBefore('SUBMITTED', orderId));
    await applyBibOrder(bibOrderOf(id, { id: orderId, status: 'REJECTED', version: 2, reason: `Dana kurang ${'x'.repeat(600)}` }));
    const [push] = await pushesOf(id);
    assert.deepEqual(push!.userIds, [team.agentId]);
    assert.equal(push!.title, 'Instruction failed');
    assert.deepEqual(push!.data, { instructionId: id, status: 'FAILED' });
    assert.match(push!.body, new RegExp(`^${team.investorName}: Kas Pasar Uang \\(Dana kurang x+`));
    assert.equal((await storedInstruction(id)).failure_reason?.length, 500, "Bib's reason is kept to 500 characters");
  });

  it('leaves the change in the audit trail, made by the system (no user)', async () => {
    const orderId = newOrderId();
    const id = await instructionIn(team, stateBefore('SIGNED', orderId));
    await applyBibOrder(bibOrderOf(id, { id: orderId, status: 'COMPLETED', version: 4 }));
    const last = (await instructionTrail(id)).at(-1)!;
    assert.equal(last.action_name, 'update');
    assert.equal(last.actor_id, null);
    assert.equal(last.before?.status, 'SIGNED');
    assert.equal(last.after?.status, 'COMPLETED');
    assert.equal(last.after?.external_id, orderId);
  });

  const versions: Array<[string, number | null, number, ApplyOutcome]> = [
    ['an older version is stale', 5, 4, 'stale'],
    ['the same version is stale', 5, 5, 'stale'],
    ['a newer version applies', 5, 6, 'applied'],
    ['any version applies when none was recorded, 0 included', null, 0, 'applied'],
  ];
  for (const [name, recorded, version, outcome] of versions) {
    it(`versions: ${name}`, async () => {
      const orderId = newOrderId();
      const id = await instructionIn(team, { status: 'SUBMITTED', externalId: orderId, bibOrderStatus: recorded === null ? null : 'RECEIVED', bibOrderVersion: recorded });
      assert.equal(await applyBibOrder(bibOrderOf(id, { id: orderId, status: 'PROCESSING', version })), outcome);
      const now = await storedInstruction(id);
      assert.equal(now.bib_order_version, outcome === 'stale' ? recorded : version);
      assert.equal(now.bib_order_status, outcome === 'stale' ? 'RECEIVED' : 'PROCESSING');
    });
  }

  it('ignores an order whose id is not the order of its instruction, with a warning', async () => {
    const id = await instructionIn(team, stateBefore('SUBMITTED', 'ORD-OURS'));
    const was = await storedInstruction(id);
    const logs = captureLogs();
    try {
      assert.equal(await applyBibOrder(bibOrderOf(id, { id: 'ORD-OTHER', status: 'COMPLETED', version: 9 }), { log: logger() }), 'mismatch');
    } finally {
      logs.restore();
    }
    assert.deepEqual(await storedInstruction(id), was);
    assert.deepEqual(await pushesOf(id), []);
    const warning = logs.lines.find((l) => l.instructionId === id);
    assert.equal(warning?.severity, 'WARNING');
    assert.equal(warning?.externalId, 'ORD-OURS');
  });

  it('answers unknown for an order of no instruction of ours', async () => {
    assert.equal(await applyBibOrder(bibOrderOf(unknownInstructionId(), { id: newOrderId(), status: 'COMPLETED', version: 1 })), 'unknown');
  });

  it("runs in the caller's transaction as the instruction's tenant, and gives the caller its settings back", async () => {
    const orderId = newOrderId();
    const id = await instructionIn(team, stateBefore('SUBMITTED', orderId));
    const after = await withTransaction({ ...systemActor, companyIds: [team.companyId + 1_000_000] }, async (tx) => {
      assert.equal(await applyBibOrder(bibOrderOf(id, { id: orderId, status: 'COMPLETED', version: 2 }), { tx }), 'applied');
      return (await tx.query<{ c: string }>(`select current_setting('app.company_ids') as c`)).rows[0]!.c;
    });
    assert.equal(after, String(team.companyId + 1_000_000));
    assert.equal((await storedInstruction(id)).status, 'COMPLETED');
  });

  describe('two applies of one order at once (a webhook and the pull)', () => {
    for (const first of [2, 3]) {
      it(`end at version 3 when version ${first} takes the lock first`, async () => {
        const orderId = newOrderId();
        const id = await instructionIn(team, stateBefore('SUBMITTED', orderId));
        const second = first === 2 ? 3 : 2;
        const outcomes = await whileInstructionLocked(id, async (queued) => {
          const a = applyBibOrder(bibOrderOf(id, { id: orderId, status: 'PROCESSING', version: first }));
          await queued(1);
          const b = applyBibOrder(bibOrderOf(id, { id: orderId, status: 'COMPLETED', version: second }));
          await queued(2);
          return [a, b] as const;
        });
        const [a, b] = await Promise.all(outcomes);
        const now = await storedInstruction(id);
        assert.equal(now.bib_order_version, 3);
        if (first === 2) {
          assert.deepEqual([a, b], ['applied', 'applied']);
          assert.equal(now.status, 'COMPLETED');
        } else {
          assert.deepEqual([a, b], ['applied', 'stale']);
          assert.equal(now.status, 'SUBMITTED');
          assert.equal(now.bib_order_status, 'PROCESSING');
        }
      });
    }
  });
});
