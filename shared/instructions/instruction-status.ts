import { AppError } from '../errors.js';

export const instructionStatuses = ['PENDING_SIGNATURE', 'SIGNED', 'REJECTED_BY_INVESTOR', 'EXPIRED', 'CANCELLED', 'SUBMITTED', 'COMPLETED', 'FAILED'] as const;
export type InstructionStatus = (typeof instructionStatuses)[number];

/**
 * The lifecycle. The investor decides a pending instruction from the link (SIGNED or REJECTED_BY_INVESTOR),
 * the RM or an admin may cancel it before that, and the expiry job ends it when the link runs out. Bib takes
 * it from SIGNED (bib-sync): SUBMITTED with an order id, then COMPLETED or FAILED. Every other move is a 409.
 * In shared/ because crm (routes, webhook) and bib-sync (push, pull) both move instructions.
 */
const next: Record<InstructionStatus, readonly InstructionStatus[]> = {
  PENDING_SIGNATURE: ['SIGNED', 'REJECTED_BY_INVESTOR', 'EXPIRED', 'CANCELLED'],
  SIGNED: ['SUBMITTED'],
  SUBMITTED: ['COMPLETED', 'FAILED'],
  REJECTED_BY_INVESTOR: [],
  EXPIRED: [],
  CANCELLED: [],
  COMPLETED: [],
  FAILED: [],
};

export function canMoveInstruction(from: InstructionStatus, to: InstructionStatus): boolean {
  return next[from].includes(to);
}

export function assertInstructionTransition(from: InstructionStatus, to: InstructionStatus): void {
  if (!canMoveInstruction(from, to)) {
    throw new AppError('CONFLICT', { detail: `A ${from} instruction cannot become ${to}`, extra: { instructionStatus: from, allowed: next[from] } });
  }
}
