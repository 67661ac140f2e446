import { AppError } from '../../../shared/errors.js';
import { withTransaction, type DbActor } from '../../../shared/db/tx.js';
import { enforceLimits } from '../../../shared/rate-limit.js';
import { notFound } from '../crm-access.js';
import { findInstruction, renewLinkExpiry, type InstructionRecord } from './instruction.repo.js';
import { sendSignatureLink } from './signature-link.js';
import { lockOpenTokens } from './instruction-token.repo.js';

export interface ResendLinkOptions {
  actor: DbActor;
  id: string;
}

/** Links emailed per instruction per hour: enough for a lost email, not enough to flood an inbox. */
export const resendLinkLimit = { windowSeconds: 3600, limit: 5 };

/**
 * Emails the investor a new signature link for a pending instruction, with a fresh lifetime; the previous
 * link stops working; one whose link already ran out is not revived. Counted per instruction once the caller is known to see it, so nobody spends another's
 * allowance.
 */
export async function resendSignatureLink(o: ResendLinkOptions): Promise<InstructionRecord> {
  return withTransaction(o.actor, async (tx) => {
    await lockOpenTokens(tx, o.id);
    const instruction = await findInstruction(tx, o.id, true);
    if (!instruction) throw notFound('instruction');
    if (instruction.status !== 'PENDING_SIGNATURE') {
      throw new AppError('CONFLICT', { detail: `A ${instruction.status} instruction has no signature link to send`, extra: { instructionStatus: instruction.status } });
    }
    // A link that ran out ends the instruction (the expiry job marks it within minutes): whether a resend
    // revives it must not depend on when the job last ran. The RM makes a new instruction.
    if (instruction.linkExpiresAt.getTime() <= Date.now()) {
      throw new AppError('CONFLICT', { detail: 'The signature link ran out; the instruction is expiring. Create a new one', extra: { instructionStatus: 'EXPIRED' } });
    }
    await enforceLimits([{ name: 'instruction:resend-link', subject: instruction.id, ...resendLinkLimit }]);
    const renewed = await renewLinkExpiry(tx, instruction.id);
    await sendSignatureLink(tx, renewed);
    return renewed;
  });
}
