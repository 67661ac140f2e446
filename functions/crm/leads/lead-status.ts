import { AppError } from '../../../shared/errors.js';
import type { LeadStatus } from './lead.repo.js';

/**
 * The sales pipeline: one step forward at a time, LOST from any open stage. CONVERTED is reached only
 * through POST /crm/leads/{id}/convert, which also creates the investor; both end states are final.
 */
const next: Record<LeadStatus, readonly LeadStatus[]> = {
  NEW: ['CONTACTED', 'LOST'],
  CONTACTED: ['INTERESTED', 'LOST'],
  INTERESTED: ['CONVERTED', 'LOST'],
  CONVERTED: [],
  LOST: [],
};

export function canMove(from: LeadStatus, to: LeadStatus): boolean {
  return next[from].includes(to);
}

export function assertLeadTransition(from: LeadStatus, to: LeadStatus): void {
  if (from === to) return;
  if (to === 'CONVERTED' && canMove(from, to)) {
    throw new AppError('CONFLICT', { detail: 'Convert a lead with POST /crm/leads/{id}/convert', extra: { leadStatus: from } });
  }
  if (!canMove(from, to)) {
    throw new AppError('CONFLICT', { detail: `A ${from} lead cannot become ${to}`, extra: { leadStatus: from, allowed: next[from] } });
  }
}

export function assertLeadOpen(status: LeadStatus): void {
  if (next[status].length === 0) throw new AppError('CONFLICT', { detail: `The lead is ${status}`, extra: { leadStatus: status } });
}
