import { query } from '../../../shared/db/tx.js';

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
