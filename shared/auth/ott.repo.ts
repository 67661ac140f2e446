import type { Queryable } from '../db/tx.js';

/**
 * auth_ott: every one-time code, the users' (auth) and the investors' (crm links, with no user and a
 * `subject` naming the link). Both flows apply the same rules (lifetime, attempts, cooldown, hourly cap).
 */
export type UserOtpPurpose = 'REGISTER' | 'NEW_DEVICE' | 'RESET_PASSWORD' | 'CHANGE_PHONE' | 'CHANGE_EMAIL';
export type InvestorOtpPurpose = 'INVESTOR_SIGNATURE' | 'INVESTOR_REGISTRATION';
export type OtpPurpose = UserOtpPurpose;

/**
 * The purposes the auth routes verify and resend. The investors' codes (crm links) are checked by their own
 * flow: to /auth/verify-otp and /auth/resend-otp those do not exist.
 */
export const authOtpPurposes: ReadonlySet<string> = new Set<OtpPurpose>(['REGISTER', 'NEW_DEVICE', 'RESET_PASSWORD', 'CHANGE_PHONE', 'CHANGE_EMAIL']);

export type OtpChannel = 'SMS' | 'EMAIL';

export interface OttRecord {
  id: string;
  companyId: number;
  userId: number;
  purpose: OtpPurpose;
  channel: OtpChannel;
  destination: string;
  codeHash: string;
  deviceId: string | null;
  locale: 'id' | 'en';
  attempts: number;
  expiresAt: Date;
  usedAt: Date | null;
  createdAt: Date;
}

export type NewOtt = Pick<OttRecord, 'id' | 'companyId' | 'userId' | 'purpose' | 'channel' | 'destination' | 'codeHash' | 'deviceId' | 'locale'> & {
  codeEncrypted: string;
  ttlSeconds: number;
};

export async function insertOtt(q: Queryable, o: NewOtt): Promise<Date> {
  const { rows } = await q.query<{ expires_at: Date }>(
    `insert into auth_ott (id, company_id, user_id, purpose, channel, destination, code_hash, code_encrypted, device_id, locale, expires_at)
     values ($1::uuid, $2::bigint, $3::bigint, $4::text, $5::text, $6::text, $7::text, $8::text, $9::text, $10::text,
             now() + make_interval(secs => $11::int))
     returning expires_at`,
    [o.id, o.companyId, o.userId, o.purpose, o.channel, o.destination, o.codeHash, o.codeEncrypted, o.deviceId, o.locale, o.ttlSeconds],
  );
  return rows[0]!.expires_at;
}

export async function findOtt(q: Queryable, id: string, opts: { forUpdate?: boolean } = {}): Promise<OttRecord | undefined> {
  const { rows } = await q.query<{
    id: string;
    company_id: number;
    user_id: number;
    purpose: OtpPurpose;
    channel: OtpChannel;
    destination: string;
    code_hash: string;
    device_id: string | null;
    locale: 'id' | 'en';
    attempts: number;
    expires_at: Date;
    used_at: Date | null;
    created_at: Date;
  }>(
    `select id, company_id, user_id, purpose, channel, destination, code_hash, device_id, locale, attempts, expires_at, used_at, created_at
       from auth_ott where id = $1::uuid${opts.forUpdate ? ' for update' : ''}`,
    [id],
  );
  const r = rows[0];
  return (
    r && {
      id: r.id,
      companyId: r.company_id,
      userId: r.user_id,
      purpose: r.purpose,
      channel: r.channel,
      destination: r.destination,
      codeHash: r.code_hash,
      deviceId: r.device_id,
      locale: r.locale,
      attempts: r.attempts,
      expiresAt: r.expires_at,
      usedAt: r.used_at,
      createdAt: r.created_at,
    }
  );
}

export async function countFailedAttempt(q: Queryable, id: string): Promise<number> {
  const { rows } = await q.query<{ attempts: number }>(`update auth_ott set attempts = attempts + 1 where id = $1::uuid returning attempts`, [id]);
  return rows[0]!.attempts;
}

/** Single use: the code can never verify again, and an undelivered code is wiped. */
export async function markOttUsed(q: Queryable, id: string): Promise<void> {
  await q.query(`update auth_ott set used_at = now(), code_encrypted = null where id = $1::uuid`, [id]);
}

/** When the user's newest code for this purpose was issued: the resend cooldown runs from it. */
export async function latestIssuedAt(q: Queryable, userId: number, purpose: OtpPurpose): Promise<Date | undefined> {
  const { rows } = await q.query<{ at: Date | null }>(`select max(created_at) as at from auth_ott where user_id = $1::bigint and purpose = $2::text`, [userId, purpose]);
  return rows[0]?.at ?? undefined;
}

/** A resent code replaces this one, which expires now. */
export async function supersedeOtt(q: Queryable, id: string): Promise<void> {
  await q.query(`update auth_ott set expires_at = least(expires_at, now()), code_encrypted = null where id = $1::uuid`, [id]);
}

/** Earlier live codes for the same purpose die when a new one is issued: only the newest can verify. */
export async function supersedeOpenOtts(q: Queryable, userId: number, purpose: OtpPurpose): Promise<void> {
  await q.query(
    `update auth_ott set expires_at = now(), code_encrypted = null
      where user_id = $1::bigint and purpose = $2::text and used_at is null and expires_at > now()`,
    [userId, purpose],
  );
}

// --- Investors' codes (crm links): no user; the subject names the link, device_id the browser session. ---

export interface InvestorOtt {
  id: string;
  channel: OtpChannel;
  destination: string;
  codeHash: string;
  deviceId: string | null;
  attempts: number;
  expiresAt: Date;
  usedAt: Date | null;
  createdAt: Date;
}

export interface NewInvestorOtt {
  id: string;
  companyId: number;
  subject: string;
  purpose: InvestorOtpPurpose;
  channel: OtpChannel;
  destination: string;
  codeHash: string;
  codeEncrypted: string;
  deviceId: string;
  locale: 'id' | 'en';
  ttlSeconds: number;
}

export async function insertInvestorOtt(q: Queryable, o: NewInvestorOtt): Promise<Date> {
  const { rows } = await q.query<{ expires_at: Date }>(
    `insert into auth_ott (id, company_id, subject, purpose, channel, destination, code_hash, code_encrypted, device_id, locale, expires_at)
     values ($1::uuid, $2::bigint, $3::text, $4::text, $5::text, $6::text, $7::text, $8::text, $9::text, $10::text,
             now() + make_interval(secs => $11::int))
     returning expires_at`,
    [o.id, o.companyId, o.subject, o.purpose, o.channel, o.destination, o.codeHash, o.codeEncrypted, o.deviceId, o.locale, o.ttlSeconds],
  );
  return rows[0]!.expires_at;
}

/**
 * The newest code issued for a link, or for a link in one browser session (`deviceId`): only it can verify
 * there (a new code expires the session's earlier ones).
 */
export async function newestSubjectOtt(
  q: Queryable,
  subject: string,
  purpose: InvestorOtpPurpose,
  opts: { forUpdate?: boolean; deviceId?: string } = {},
): Promise<InvestorOtt | undefined> {
  const { rows } = await q.query<{
    id: string;
    channel: OtpChannel;
    destination: string;
    code_hash: string;
    device_id: string | null;
    attempts: number;
    expires_at: Date;
    used_at: Date | null;
    created_at: Date;
  }>(
    `select id, channel, destination, code_hash, device_id, attempts, expires_at, used_at, created_at
       from auth_ott where subject = $1::text and purpose = $2::text and ($3::text is null or device_id = $3::text)
      order by created_at desc limit 1${opts.forUpdate ? ' for update' : ''}`,
    [subject, purpose, opts.deviceId ?? null],
  );
  const r = rows[0];
  return (
    r && {
      id: r.id,
      channel: r.channel,
      destination: r.destination,
      codeHash: r.code_hash,
      deviceId: r.device_id,
      attempts: r.attempts,
      expiresAt: r.expires_at,
      usedAt: r.used_at,
      createdAt: r.created_at,
    }
  );
}

export async function supersedeSubjectOtts(q: Queryable, subject: string, deviceId: string): Promise<void> {
  await q.query(
    `update auth_ott set expires_at = now(), code_encrypted = null
      where subject = $1::text and device_id = $2::text and used_at is null and expires_at > now()`,
    [subject, deviceId],
  );
}
