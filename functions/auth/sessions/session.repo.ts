import type { Queryable } from '../../../shared/db/tx.js';

export type RevokeReason = 'LOGOUT' | 'REFRESH_REUSED' | 'PASSWORD_CHANGED' | 'PASSWORD_RESET' | 'REVOKED_BY_USER' | 'DEACTIVATED' | 'EXPIRED';

export interface NewSession {
  id: string;
  companyId: number;
  userId: number;
  deviceId: string;
  ip: string | null;
  userAgent: string | null;
  maxDays: number;
}

export async function insertSession(q: Queryable, s: NewSession): Promise<void> {
  await q.query(
    `insert into auth_session (id, company_id, user_id, device_id, ip, user_agent, expires_at)
     values ($1::uuid, $2::bigint, $3::bigint, $4::text, $5::inet, $6::text, now() + make_interval(days => $7::int))`,
    [s.id, s.companyId, s.userId, s.deviceId, s.ip, s.userAgent?.slice(0, 500) ?? null, s.maxDays],
  );
}

export async function insertRefreshToken(q: Queryable, companyId: number, sessionId: string, hash: string): Promise<void> {
  await q.query(`insert into auth_refresh_token (company_id, session_id, token_hash) values ($1::bigint, $2::uuid, $3::text)`, [companyId, sessionId, hash]);
}

export interface RefreshRecord {
  tokenId: number;
  usedAt: Date | null;
  sessionId: string;
  userId: number;
  deviceId: string;
  revokedAt: Date | null;
  revokedReason: RevokeReason | null;
  expired: boolean;
  idle: boolean;
}

/** The token and its session, the session locked: two refreshes of one family run one after the other. */
export async function findRefreshToken(q: Queryable, hash: string, idleDays: number): Promise<RefreshRecord | undefined> {
  const { rows } = await q.query<{
    token_id: number;
    used_at: Date | null;
    session_id: string;
    user_id: number;
    device_id: string;
    revoked_at: Date | null;
    revoked_reason: RevokeReason | null;
    expired: boolean;
    idle: boolean;
  }>(
    `select t.id as token_id, t.used_at, s.id as session_id, s.user_id, s.device_id, s.revoked_at, s.revoked_reason,
            s.expires_at <= now() as expired,
            s.last_used_at + make_interval(days => $2::int) <= now() as idle
       from auth_refresh_token t join auth_session s on s.id = t.session_id
      where t.token_hash = $1::text
      for update of s`,
    [hash, idleDays],
  );
  const r = rows[0];
  return (
    r && {
      tokenId: r.token_id,
      usedAt: r.used_at,
      sessionId: r.session_id,
      userId: r.user_id,
      deviceId: r.device_id,
      revokedAt: r.revoked_at,
      revokedReason: r.revoked_reason,
      expired: r.expired,
      idle: r.idle,
    }
  );
}

export async function markRefreshTokenUsed(q: Queryable, tokenId: number): Promise<void> {
  await q.query(`update auth_refresh_token set used_at = now() where id = $1::bigint`, [tokenId]);
}

export async function touchSession(q: Queryable, sessionId: string, ip: string | null): Promise<void> {
  await q.query(`update auth_session set last_used_at = now(), ip = coalesce($2::inet, ip) where id = $1::uuid`, [sessionId, ip]);
}

export async function revokeSession(q: Queryable, sessionId: string, reason: RevokeReason, userId?: number): Promise<boolean> {
  const { rowCount } = await q.query(
    `update auth_session set revoked_at = now(), revoked_reason = $2::text
      where id = $1::uuid and revoked_at is null and ($3::bigint is null or user_id = $3::bigint)`,
    [sessionId, reason, userId ?? null],
  );
  return (rowCount ?? 0) > 0;
}

/** Revokes every live session of a user, except `keep` (the caller's own, after a password change). */
export async function revokeUserSessions(q: Queryable, userId: number, reason: RevokeReason, keep?: string): Promise<number> {
  const { rowCount } = await q.query(
    `update auth_session set revoked_at = now(), revoked_reason = $2::text
      where user_id = $1::bigint and revoked_at is null and ($3::uuid is null or id <> $3::uuid)`,
    [userId, reason, keep ?? null],
  );
  return rowCount ?? 0;
}

/** A deactivated tenant's sessions end with it (app.session_principal also refuses them per request). */
export async function revokeCompanySessions(q: Queryable, companyId: number): Promise<number> {
  const { rowCount } = await q.query(
    `update auth_session set revoked_at = now(), revoked_reason = 'DEACTIVATED' where company_id = $1::bigint and revoked_at is null`,
    [companyId],
  );
  return rowCount ?? 0;
}

export interface SessionSummary {
  id: string;
  deviceId: string;
  deviceName: string | null;
  ip: string | null;
  userAgent: string | null;
  createdAt: Date;
  lastUsedAt: Date;
  expiresAt: Date;
  /** created_at to the microsecond (ISO, UTC) for the cursor: a JS Date keeps only milliseconds. */
  createdAtKey: string;
}

/** Live sessions of a user, newest first, after the keyset (createdAtKey, id). */
export async function listSessions(q: Queryable, userId: number, after: [string, string] | undefined, limit: number): Promise<SessionSummary[]> {
  const { rows } = await q.query<SessionSummary>(
    `select s.id, s.device_id as "deviceId", d.device_name as "deviceName", host(s.ip) as ip, s.user_agent as "userAgent",
            s.created_at as "createdAt", s.last_used_at as "lastUsedAt", s.expires_at as "expiresAt",
            to_char(s.created_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') as "createdAtKey"
       from auth_session s left join device_info d on d.user_id = s.user_id and d.device_id = s.device_id
      where s.user_id = $1::bigint and s.revoked_at is null and s.expires_at > now()
        and ($2::timestamptz is null or (s.created_at, s.id) < ($2::timestamptz, $3::uuid))
      order by s.created_at desc, s.id desc
      limit $4::int`,
    [userId, after?.[0] ?? null, after?.[1] ?? null, limit],
  );
  return rows;
}
