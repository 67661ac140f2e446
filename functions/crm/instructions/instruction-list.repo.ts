import type { Queryable } from '../../../shared/db/tx.js';
import { companyKeysetParams, listNewestFirstByCompany, type CreatedKey, type WithCreatedKey } from '../../../shared/db/keyset.js';
import type { InstructionStatus } from '../../../shared/instructions/instruction-status.js';
import { instructionColumns, toInstruction, type InstructionRecord } from './instruction.repo.js';

export interface InstructionFilter {
  companyIds: readonly number[];
  agentId?: number;
  status?: InstructionStatus;
  investorId?: string;
  before?: CreatedKey;
  limit: number;
}

export type ListedInstruction = WithCreatedKey<InstructionRecord>;

/**
 * One page of instructions, newest first. Per company an index range (instruction_investor_created for an
 * investor, instruction_company_agent_created for an agent, instruction_company_status_created for a status,
 * instruction_company_created otherwise) read as far as the page needs; the company pages are merged.
 */
export async function listInstructions(q: Queryable, f: InstructionFilter): Promise<ListedInstruction[]> {
  const params = companyKeysetParams(f.companyIds, f.limit);
  if (f.agentId !== undefined) params.and(`i.agent_id = ${params.param(f.agentId)}::bigint`);
  if (f.status) params.and(`i.status = ${params.param(f.status)}::text`);
  if (f.investorId) params.and(`i.investor_id = ${params.param(f.investorId)}::uuid`);
  return listNewestFirstByCompany(q, { table: 'instruction', columns: instructionColumns, params, before: f.before }, toInstruction);
}
