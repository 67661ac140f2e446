import type { Queryable } from '../../../shared/db/tx.js';

/** Ends the investor's links not used or revoked yet: one live registration link per investor. */
export async function revokeOpenInvestorTokens(q: Queryable, investorId: string): Promise<number> {
  const { rowCount } = await q.query(
    `update investor_token set revoked_at = now() where investor_id = $1::uuid and used_at is null and revoked_at is null`,
    [investorId],
  );
  return rowCount ?? 0;
}

/** A registration link's token (only its SHA-256), valid for the company's investor_link_ttl_hours. */
export async function insertInvestorToken(q: Queryable, t: { companyId: number; investorId: string; hash: string }): Promise<{ id: number; expiresAt: Date }> {
  const { rows } = await q.query<{ id: string; expires_at: Date }>(
    `insert into investor_token (company_id, investor_id, purpose, token_hash, expires_at, created_by)
     select c.id, $2::uuid, 'REMOTE_REGISTRATION', $3::text, now() + make_interval(hours => c.investor_link_ttl_hours), app.user_id()
       from auth_company c
      where c.id = $1::bigint
     returning id, expires_at`,
    [t.companyId, t.investorId, t.hash],
  );
  const r = rows[0]!;
  return { id: Number(r.id), expiresAt: r.expires_at };
}

/** The tenant's display name, for the email (auth_company is readable by every caller). */
export async function findCompanyName(q: Queryable, companyId: number): Promise<string | undefined> {
  const { rows } = await q.query<{ name: string }>(`select name from auth_company where id = $1::bigint`, [companyId]);
  return rows[0]?.name;
}
