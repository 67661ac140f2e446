import type { Queryable } from '../../../shared/db/tx.js';
import { companyKeysetParams, listNewestFirstByCompany, type CreatedKey, type WithCreatedKey } from '../../../shared/db/keyset.js';
import { investorColumns, toInvestor, type InvestorRecord, type InvestorStatus, type InvestorType } from './investor.repo.js';

export interface InvestorFilter {
  companyIds: readonly number[];
  agentId?: number;
  status?: InvestorStatus;
  type?: InvestorType;
  /** Already a LIKE pattern, matched against name, email and phone. */
  pattern?: string;
  /** Keyed hashes of a NIK or NPWP typed into the search box. */
  identityHashes?: string[];
  before?: CreatedKey;
  limit: number;
}

export type ListedInvestor = WithCreatedKey<InvestorRecord>;

/**
 * One page of investors, newest first. Per company an index range (investor_company_agent_created for an agent,
 * investor_company_status_created for a status, investor_company_created otherwise) read as far as the page
 * needs; the company pages are merged.
 */
export async function listInvestors(q: Queryable, f: InvestorFilter): Promise<ListedInvestor[]> {
  const params = companyKeysetParams(f.companyIds, f.limit);
  if (f.agentId !== undefined) params.and(`i.agent_id = ${params.param(f.agentId)}::bigint`);
  if (f.status) params.and(`i.status = ${params.param(f.status)}::text`);
  if (f.type) params.and(`i.type = ${params.param(f.type)}::text`);
  if (f.pattern !== undefined || f.identityHashes?.length) {
    const terms: string[] = [];
    if (f.pattern !== undefined) {
      const p = params.param(f.pattern);
      terms.push(`i.full_name ilike ${p}::text`, `i.email ilike ${p}::text`, `i.phone like ${p}::text`);
    }
    if (f.identityHashes?.length) {
      const p = `${params.param(f.identityHashes)}::text[]`;
      // The investor's own identity number (NIK, or an institution's NPWP), or an individual's NPWP.
      terms.push(
        `i.id_number_hash = any (${p})`,
        `i.id in (select ind.investor_id from investor_individual ind where ind.company_id = c.id and ind.npwp_hash = any (${p}))`,
      );
    }
    params.and(`(${terms.join(' or ')})`);
  }
  return listNewestFirstByCompany(q, { table: 'investor', columns: investorColumns, params, before: f.before }, toInvestor);
}

/** Approved investors of the caller's companies not yet at Bib. */
export async function countDueForSync(q: Queryable): Promise<number> {
  const { rows } = await q.query<{ n: number }>(`select count(*)::int as n from investor where status = 'APPROVED' and sync_status <> 'SYNCED'`);
  return rows[0]!.n;
}
