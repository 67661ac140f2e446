import { withTransaction } from '../../../shared/db/tx.js';
import type { InstructionStatus } from '../../../shared/instructions/instruction-status.js';
import type { OpenedLink } from '../links/link-access.js';
import type { ClosedReason } from '../links/link-page.js';
import { findInstructionStatus } from './signature.repo.js';

/** Why an instruction can no longer be signed, in the link pages' words; undefined while it waits for the investor. */
export function instructionClosedReason(status: InstructionStatus): ClosedReason | undefined {
  if (status === 'PENDING_SIGNATURE') return undefined;
  if (status === 'CANCELLED') return 'cancelled';
  if (status === 'EXPIRED') return 'expired';
  return 'decided';
}

/**
 * The instruction's own reason behind a closed link, when it has one: cancelling an instruction revokes its
 * link, and the investor should read "cancelled", not "a newer link was sent".
 */
export async function signatureLinkClosedReason(opened: OpenedLink): Promise<ClosedReason | undefined> {
  const status = await withTransaction(opened.actor, (tx) => findInstructionStatus(tx, opened.link.subjectId));
  return status && instructionClosedReason(status);
}
