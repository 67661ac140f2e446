import { withTransaction, type DbActor } from '../../../shared/db/tx.js';
import { notFound } from '../crm-access.js';
import { assertInstructionTransition } from '../../../shared/instructions/instruction-status.js';
import { lockOpenTokens, revokeOpenTokens } from './instruction-token.repo.js';
import { findInstruction, markCancelled, type InstructionRecord } from './instruction.repo.js';

export interface CancelInstructionOptions {
  actor: DbActor;
  id: string;
  reason?: string;
}

/**
 * The RM (or an admin) withdraws an instruction the investor has not decided yet. Its link stops working at
 * once; the row lock makes a cancellation and the investor's signature exclude each other.
 */
export async function cancelInstruction(o: CancelInstructionOptions): Promise<InstructionRecord> {
  return withTransaction(o.actor, async (tx) => {
    await lockOpenTokens(tx, o.id);
    const instruction = await findInstruction(tx, o.id, true);
    if (!instruction) throw notFound('instruction');
    assertInstructionTransition(instruction.status, 'CANCELLED');
    await revokeOpenTokens(tx, instruction.id);
    return markCancelled(tx, instruction.id, o.reason ?? null);
  });
}
