import type { Queryable } from '../../../shared/db/tx.js';
import { QueryParams } from '../../../shared/db/query-params.js';
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
  /** The sort key of the last row of the previous page: created_at as Postgres text (microseconds kept), id. */
  before?: [createdAt: string, id: string];
  limit: number;
}

export interface ListedInvestor extends InvestorRecord {
  /** created_at as text, exact to the microsecond, for the next page's cursor. */
  createdKey: string;
}

/**
 * One page of investors, newest first. Per company an index range (investor_company_agent_created for an agent,
 * investor_company_status_created for a status, investor_company_created otherwise) read as far as the page
 * needs; the company pages are merged.
 */
export async function listInvestors(q: Queryable, f: InvestorFilter): Promise<ListedInvestor[]> {
  const params = new QueryParams(f.companyIds, f.limit).and('i.company_id = c.id');
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
  if (f.before) params.and(`(i.created_at, i.id) < (${params.param(f.before[0])}::timestamptz, ${params.param(f.before[1])}::uuid)`);
  const { rows } = await q.query<Parameters<typeof toInvestor>[0] & { created_key: string }>(
    `select x.* from unnest($1::bigint[]) as c (id)
      cross join lateral (
        select ${investorColumns}, i.created_at::text as created_key from investor i
         where ${params.where.join(' and ')}
         order by i.created_at desc, i.id desc
         limit $2::int) as x
      order by x.created_at desc, x.id desc
      limit $2::int`,
    params.values,
  );
  return rows.map((r) => ({ ...toInvestor(r), createdKey: r.created_key }));
}

/** Approved investors of the caller's companies not yet at Bib. */
export async function countDueForSync(q: Queryable): Promise<number> {
  const { rows } = await q.query<{ n: number }>(`select count(*)::int as n from investor where status = 'APPROVED' and sync_status <> 'SYNCED'`);
  return rows[0]!.n;
}
