import type { Tx } from '../db/tx.js';
import { emit } from '../events/outbox.js';
import type { InstructionStatus } from './instruction-status.js';

/** The statuses the RM hears about by push: the investor's decision, the link running out, Bib's outcome. */
export type PushedStatus = Extract<InstructionStatus, 'SIGNED' | 'REJECTED_BY_INVESTOR' | 'EXPIRED' | 'COMPLETED' | 'FAILED'>;

const titles: Record<PushedStatus, string> = {
  SIGNED: 'Instruction signed',
  REJECTED_BY_INVESTOR: 'Instruction rejected by the investor',
  EXPIRED: 'Signature link expired',
  COMPLETED: 'Instruction completed',
  FAILED: 'Instruction failed',
};

export interface PushedInstruction {
  id: string;
  companyId: number;
  agentId: number;
  investorName: string;
  productName: string;
  status: PushedStatus;
  /** The investor's reason (rejected) or Bib's (failed). */
  reason?: string | null;
}

/** Queues the RM's push (outbox → notify.sendPush) in the transaction that changed the status. */
export async function pushInstructionStatus(tx: Tx, i: PushedInstruction): Promise<void> {
  await emit(
    tx,
    'push.requested',
    {
      userIds: [i.agentId],
      type: `INSTRUCTION_${i.status}`,
      title: titles[i.status],
      body: `${i.investorName}: ${i.productName}${i.reason ? ` (${i.reason})` : ''}`.slice(0, 1000),
      data: { instructionId: i.id, status: i.status },
    },
    { companyId: i.companyId },
  );
}
