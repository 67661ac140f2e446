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

export interface CompanyRecord extends CompanySummary {
  status: 'ACTIVE' | 'INACTIVE';
  /** How long an investor's emailed link (signature, remote registration) works, in hours. */
  investorLinkTtlHours: number;
  createdAt: Date;
  updatedAt: Date;
}

const companyColumns = `id, code, name, status, investor_link_ttl_hours as "investorLinkTtlHours", created_at as "createdAt", updated_at as "updatedAt"`;

/** Every tenant, active or not, by (name, id): keyset pagination on auth_company_name. */
export async function listCompanies(
  q: Queryable,
  f: { status?: 'ACTIVE' | 'INACTIVE'; pattern?: string; after?: [string, number]; limit: number },
): Promise<CompanyRecord[]> {
  const { rows } = await q.query<CompanyRecord>(
    `select ${companyColumns}
       from auth_company
      where ($1::text is null or status = $1::text)
        and ($2::text is null or name ilike $2::text or code ilike $2::text)
        and ($3::text is null or (name, id) > ($3::text, $4::bigint))
      order by name, id
      limit $5::int`,
    [f.status ?? null, f.pattern ?? null, f.after?.[0] ?? null, f.after?.[1] ?? null, f.limit],
  );
  return rows;
}

export async function findCompany(q: Queryable, id: number, opts: { forUpdate?: boolean } = {}): Promise<CompanyRecord | undefined> {
  const { rows } = await q.query<CompanyRecord>(`select ${companyColumns} from auth_company where id = $1::bigint${opts.forUpdate ? ' for update' : ''}`, [id]);
  return rows[0];
}

export async function insertCompany(q: Queryable, c: { code: string; name: string }): Promise<CompanyRecord> {
  const { rows } = await q.query<CompanyRecord>(
    `insert into auth_company (code, name, created_by, updated_by) values ($1::text, $2::text, app.user_id(), app.user_id())
     returning ${companyColumns}`,
    [c.code, c.name],
  );
  return rows[0]!;
}

export interface CompanyChanges {
  name?: string;
  status?: 'ACTIVE' | 'INACTIVE';
  investorLinkTtlHours?: number;
}

export async function updateCompany(q: Queryable, id: number, c: CompanyChanges): Promise<CompanyRecord> {
  const { rows } = await q.query<CompanyRecord>(
    `update auth_company
        set name = coalesce($2::text, name), status = coalesce($3::text, status),
            investor_link_ttl_hours = coalesce($4::int, investor_link_ttl_hours), updated_by = app.user_id()
      where id = $1::bigint
     returning ${companyColumns}`,
    [id, c.name ?? null, c.status ?? null, c.investorLinkTtlHours ?? null],
  );
  return rows[0]!;
}

export async function isCallersHome(q: Queryable, companyId: number): Promise<boolean> {
  const { rows } = await q.query(`select 1 from auth_user where id = app.user_id() and company_id = $1::bigint`, [companyId]);
  return rows.length > 0;
}
