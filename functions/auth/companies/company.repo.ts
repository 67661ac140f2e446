import { query, type Queryable } from '../../../shared/db/tx.js';

export interface CompanySummary {
  id: number;
  code: string;
  name: string;
}

/** Active tenants ordered by (name, id), after the given key: keyset pagination on auth_company_active_name. */
export const activeCompaniesSql = `select id, code, name
       from auth_company
      where status = 'ACTIVE'
        and ($1::text is null or (name, id) > ($1::text, $2::bigint))
      order by name, id
      limit $3::int`;

export async function listActiveCompanies(opts: { after?: [string, number]; limit: number }): Promise<CompanySummary[]> {
  const { rows } = await query<CompanySummary>(activeCompaniesSql, [opts.after?.[0] ?? null, opts.after?.[1] ?? null, opts.limit]);
  return rows;
}

export async function activeCompany(id: number): Promise<CompanySummary | undefined> {
  const { rows } = await query<CompanySummary>(`select id, code, name from auth_company where id = $1::bigint and status = 'ACTIVE'`, [id]);
  return rows[0];
}

export async function companyName(q: Queryable, id: number): Promise<string | undefined> {
  const { rows } = await q.query<{ name: string }>(`select name from auth_company where id = $1::bigint`, [id]);
  return rows[0]?.name;
}
