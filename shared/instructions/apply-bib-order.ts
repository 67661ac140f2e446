import type { BibOrder, BibOrderStatus } from '../bib/contract.js';
import { systemActor, withTransaction, type Tx } from '../db/tx.js';
import { logger, type Logger } from '../logging.js';
import { actAsTenant, findInstructionTenant, lockOrderInstruction, writeOrderState, type OrderInstruction } from './bib-order.repo.js';
import { pushInstructionStatus } from './instruction-push.js';
import { canMoveInstruction, type InstructionStatus } from './instruction-status.js';

export type ApplyOutcome = 'applied' | 'unchanged' | 'stale' | 'unknown' | 'mismatch';

export interface ApplyBibOrderOptions {
  /** The caller's transaction (the webhook's dedupe, the pull's watermark); one of our own otherwise. */
  tx?: Tx;
  log?: Logger;
}

/** The instruction status each order status means: Bib's outcome is final, anything before it is SUBMITTED. */
const impliedStatus: Record<BibOrderStatus, InstructionStatus> = {
  RECEIVED: 'SUBMITTED',
  PROCESSING: 'SUBMITTED',
  COMPLETED: 'COMPLETED',
  REJECTED: 'FAILED',
};

const maxReason = 500;

/**
 * Applies Bib's view of an order to its instruction (found by order.clientRef), as that instruction's tenant, in one
 * transaction: only when order.version > instruction.bib_order_version (or it is null); COMPLETED/REJECTED move the
 * instruction to COMPLETED/FAILED (from SUBMITTED; an instruction still SIGNED whose order Bib already has is moved
 * SIGNED→SUBMITTED first, external_id = order.id, sync_status SYNCED), RECEIVED/PROCESSING only record the order
 * status; the RM is pushed on COMPLETED/FAILED (pushInstructionStatus, in the same transaction, outbox). 'unknown' =
 * no such instruction; 'mismatch' = the instruction's external_id is set and differs from order.id, or the
 * instruction's status cannot take Bib's (log a warning, change nothing); 'stale' = version not newer; 'unchanged' =
 * newer version but nothing to change except the recorded version.
 *
 * Given a transaction, the apply switches it to the instruction's tenant (system actor, no user) and back after.
 */
export async function applyBibOrder(order: BibOrder, opts: ApplyBibOrderOptions = {}): Promise<ApplyOutcome> {
  const log = opts.log ?? logger();
  if (opts.tx) return applyIn(opts.tx, order, log);
  return withTransaction(systemActor, (tx) => applyIn(tx, order, log));
}

async function applyIn(tx: Tx, order: BibOrder, log: Logger): Promise<ApplyOutcome> {
  const companyId = await findInstructionTenant(tx, order.clientRef);
  if (companyId === undefined) return 'unknown';
  const restore = await actAsTenant(tx, companyId);
  const outcome = await applyAsTenant(tx, order, log);
  await restore();
  return outcome;
}

async function applyAsTenant(tx: Tx, order: BibOrder, log: Logger): Promise<ApplyOutcome> {
  const instruction = await lockOrderInstruction(tx, order.clientRef);
  if (!instruction) return 'unknown';
  const context = { instructionId: instruction.id, orderId: order.id, orderStatus: order.status, orderVersion: order.version };
  if (instruction.externalId !== null && instruction.externalId !== order.id) {
    log.warn({ ...context, externalId: instruction.externalId }, 'Bib order does not match the order id of its instruction; ignored');
    return 'mismatch';
  }
  if (instruction.bibOrderVersion !== null && order.version <= instruction.bibOrderVersion) return 'stale';
  const moves = movesTo(instruction.status, impliedStatus[order.status]);
  if (!moves) {
    log.warn({ ...context, instructionStatus: instruction.status }, 'Bib order status does not fit the instruction status; ignored');
    return 'mismatch';
  }
  const status = moves.at(-1) ?? instruction.status;
  const failureReason = status === 'FAILED' ? truncate(order.reason) : null;
  await writeOrderState(tx, {
    id: instruction.id,
    status,
    orderId: order.id,
    orderStatus: order.status,
    orderVersion: order.version,
    orderUpdatedAt: order.updatedAt,
    failureReason,
    submitted: instruction.status === 'SIGNED',
  });
  if (status !== instruction.status && (status === 'COMPLETED' || status === 'FAILED')) {
    await pushRm(tx, instruction, status, failureReason);
  }
  return moves.length > 0 || instruction.bibOrderStatus !== order.status ? 'applied' : 'unchanged';
}

/**
 * The statuses an instruction goes through to reach `target`, each allowed by the transition table: none when it
 * is there already, SIGNED passes through SUBMITTED (Bib has the order, so it was submitted). Undefined when the
 * table does not allow it (a CANCELLED instruction, or a final one that Bib reports otherwise).
 */
function movesTo(from: InstructionStatus, target: InstructionStatus): InstructionStatus[] | undefined {
  if (from === target) return [];
  const path: InstructionStatus[] = from === 'SIGNED' && target !== 'SUBMITTED' ? ['SUBMITTED', target] : [target];
  let at = from;
  for (const step of path) {
    if (!canMoveInstruction(at, step)) return undefined;
    at = step;
  }
  return path;
}

function truncate(reason: string | null): string | null {
  if (reason === null) return null;
  const chars = Array.from(reason);
  return chars.length > maxReason ? chars.slice(0, maxReason).join('') : reason;
}

function pushRm(tx: Tx, i: OrderInstruction, status: 'COMPLETED' | 'FAILED', reason: string | null): Promise<void> {
  return pushInstructionStatus(tx, {
    id: i.id,
    companyId: i.companyId,
    agentId: i.agentId,
    investorName: i.investorName,
    productName: i.productName,
    status,
    reason,
  });
}
