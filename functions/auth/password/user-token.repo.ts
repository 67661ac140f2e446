import type { Queryable } from '../../../shared/db/tx.js';

export type UserTokenPurpose = 'RESET_PASSWORD' | 'SET_PASSWORD';

export async function insertUserToken(
  q: Queryable,
  t: { companyId: number; userId: number; purpose: UserTokenPurpose; hash: string; ttlSeconds: number },
): Promise<Date> {
  // One live token per user and purpose: a new one replaces the old.
  await q.query(`update auth_user_token set used_at = now() where user_id = $1::bigint and purpose = $2::text and used_at is null`, [t.userId, t.purpose]);
  const { rows } = await q.query<{ expires_at: Date }>(
    `insert into auth_user_token (company_id, user_id, purpose, token_hash, expires_at)
     values ($1::bigint, $2::bigint, $3::text, $4::text, now() + make_interval(secs => $5::int)) returning expires_at`,
    [t.companyId, t.userId, t.purpose, t.hash, t.ttlSeconds],
  );
  return rows[0]!.expires_at;
}

/** Marks the token used if it is live and of this purpose; returns its user, or nothing. Single use by construction. */
export async function useUserToken(q: Queryable, hash: string, purpose: UserTokenPurpose): Promise<number | undefined> {
  const { rows } = await q.query<{ user_id: number }>(
    `update auth_user_token set used_at = now()
      where token_hash = $1::text and purpose = $2::text and used_at is null and expires_at > now()
      returning user_id`,
    [hash, purpose],
  );
  return rows[0]?.user_id;
}

export async function isUserTokenLive(q: Queryable, hash: string, purpose: UserTokenPurpose): Promise<boolean> {
  const { rows } = await q.query(
    `select 1 from auth_user_token where token_hash = $1::text and purpose = $2::text and used_at is null and expires_at > now()`,
    [hash, purpose],
  );
  return rows.length > 0;
}
