import type { Queryable } from '../../../shared/db/tx.js';
import { QueryParams } from '../../../shared/db/query-params.js';
import type { InstructionStatus } from './instruction-status.js';
import { instructionColumns, toInstruction, type InstructionRecord, type InstructionRow } from './instruction.repo.js';

export interface InstructionFilter {
  companyIds: readonly number[];
  agentId?: number;
  status?: InstructionStatus;
  investorId?: string;
  /** The sort key of the last row of the previous page: created_at as Postgres text (microseconds kept), id. */
  before?: [createdAt: string, id: string];
  limit: number;
}

export interface ListedInstruction extends InstructionRecord {
  /** created_at as text, exact to the microsecond, for the next page's cursor. */
  createdKey: string;
}

/**
 * One page of instructions, newest first. Per company an index range (instruction_investor_created for an
 * investor, instruction_company_agent_created for an agent, instruction_company_status_created for a status,
 * instruction_company_created otherwise) read as far as the page needs; the company pages are merged.
 */
export async function listInstructions(q: Queryable, f: InstructionFilter): Promise<ListedInstruction[]> {
  const params = new QueryParams(f.companyIds, f.limit).and('i.company_id = c.id');
  if (f.agentId !== undefined) params.and(`i.agent_id = ${params.param(f.agentId)}::bigint`);
  if (f.status) params.and(`i.status = ${params.param(f.status)}::text`);
  if (f.investorId) params.and(`i.investor_id = ${params.param(f.investorId)}::uuid`);
  if (f.before) params.and(`(i.created_at, i.id) < (${params.param(f.before[0])}::timestamptz, ${params.param(f.before[1])}::uuid)`);
  const { rows } = await q.query<InstructionRow & { created_key: string }>(
    `select x.* from unnest($1::bigint[]) as c (id)
      cross join lateral (
        select ${instructionColumns}, i.created_at::text as created_key from instruction i
         where ${params.where.join(' and ')}
         order by i.created_at desc, i.id desc
         limit $2::int) as x
      order by x.created_at desc, x.id desc
      limit $2::int`,
    params.values,
  );
  return rows.map((r) => ({ ...toInstruction(r), createdKey: r.created_key }));
}
