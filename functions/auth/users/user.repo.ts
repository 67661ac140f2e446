import type { Queryable } from '../../../shared/db/tx.js';

export type Role = 'RM_AGENT' | 'ADMIN' | 'SUPER_ADMIN';
export type UserStatus = 'PENDING_VERIFICATION' | 'PENDING_APPROVAL' | 'ACTIVE' | 'REJECTED' | 'INACTIVE';

export interface UserRecord {
  id: number;
  companyId: number;
  fullname: string;
  email: string;
  phone: string;
  role: Role;
  status: UserStatus;
  passwordHash: string | null;
  locale: 'id' | 'en';
  loginFailCount: number;
  lockedUntil: Date | null;
  companyActive: boolean;
  /** Companies the user may act in: memberships of active companies, or every active company for a super admin. */
  companyIds: number[];
  /** The RM agent's WAPERD licence; the expiry is a calendar date (YYYY-MM-DD) in Jakarta. */
  licence: { number: string; expiresOn: string; expired: boolean } | null;
  createdAt: Date;
  approvedAt: Date | null;
  approvedBy: number | null;
  rejectedReason: string | null;
  deletedAt: Date | null;
}

export interface UserRow {
  id: number;
  company_id: number;
  fullname: string;
  email: string;
  phone: string;
  role: Role;
  status: UserStatus;
  password_hash: string | null;
  locale: 'id' | 'en';
  login_fail_count: number;
  locked_until: Date | null;
  company_active: boolean;
  company_ids: Array<number | string>;
  waperd_number: string | null;
  waperd_expires_on: string | null;
  licence_expired: boolean | null;
  created_at: Date;
  approved_at: Date | null;
  approved_by: number | null;
  rejected_reason: string | null;
  deleted_at: Date | null;
}

export const userSelect = `select u.id, u.company_id, u.fullname, u.email, u.phone, u.role, u.status, u.password_hash, u.locale,
       u.login_fail_count, u.locked_until,
       (select c.status = 'ACTIVE' from auth_company c where c.id = u.company_id) as company_active,
       -- As app.session_principal answers GET /auth/companyIds: inactive companies left out, agents at home only.
       case u.role
         when 'SUPER_ADMIN' then array(select c.id from auth_company c where c.status = 'ACTIVE' order by c.id)
         when 'ADMIN' then array(select m.company_id from auth_user_company m join auth_company c on c.id = m.company_id
                                  where m.user_id = u.id and c.status = 'ACTIVE' order by m.company_id)
         else array(select c.id from auth_company c where c.id = u.company_id and c.status = 'ACTIVE')
       end as company_ids,
       u.waperd_number, to_char(u.waperd_expires_on, 'YYYY-MM-DD') as waperd_expires_on,
       u.waperd_expires_on < (now() at time zone 'Asia/Jakarta')::date as licence_expired,
       u.created_at, u.approved_at, u.approved_by, u.rejected_reason, u.deleted_at
  from auth_user u`;

export const userByIdSql = { name: 'auth.user-by-id', text: `${userSelect} where u.id = $1::bigint` };

export function toRecord(r: UserRow): UserRecord {
  return {
    id: r.id,
    companyId: r.company_id,
    fullname: r.fullname,
    email: r.email,
    phone: r.phone,
    role: r.role,
    status: r.status,
    passwordHash: r.password_hash,
    locale: r.locale,
    loginFailCount: r.login_fail_count,
    lockedUntil: r.locked_until,
    companyActive: r.company_active,
    companyIds: r.company_ids.map(Number),
    licence:
      r.waperd_number && r.waperd_expires_on
        ? { number: r.waperd_number, expiresOn: r.waperd_expires_on, expired: r.licence_expired === true }
        : null,
    createdAt: r.created_at,
    approvedAt: r.approved_at,
    approvedBy: r.approved_by === null ? null : Number(r.approved_by),
    rejectedReason: r.rejected_reason,
    deletedAt: r.deleted_at,
  };
}

/** `forUpdate` locks the row: counters and status changes of one user are serialised. */
export async function findUser(q: Queryable, id: number, opts: { forUpdate?: boolean } = {}): Promise<UserRecord | undefined> {
  const sql = opts.forUpdate ? { name: 'auth.user-by-id-for-update', text: `${userByIdSql.text} for update of u` } : userByIdSql;
  const { rows } = await q.query<UserRow>(sql, [id]);
  return rows[0] && toRecord(rows[0]);
}

export type NewUser = Pick<UserRecord, 'companyId' | 'fullname' | 'email' | 'phone' | 'role' | 'status' | 'passwordHash'> & {
  locale?: 'id' | 'en';
  licence?: { number: string; expiresOn: string } | null;
  /** Companies beyond the home one (admins of several); the home membership is always written. */
  extraCompanyIds?: number[];
};

export async function insertUser(q: Queryable, u: NewUser): Promise<number> {
  const { rows } = await q.query<{ id: number }>(
    `insert into auth_user (company_id, fullname, email, phone, role, status, password_hash, password_changed_at, locale,
                            waperd_number, waperd_expires_on, created_by)
     values ($1::bigint, $2::text, $3::text, $4::text, $5::text, $6::text, $7::text,
             case when $7::text is null then null else now() end, $8::text, $9::text, $10::date, app.user_id())
     returning id`,
    [u.companyId, u.fullname, u.email, u.phone, u.role, u.status, u.passwordHash, u.locale ?? 'id', u.licence?.number ?? null, u.licence?.expiresOn ?? null],
  );
  const id = rows[0]!.id;
  await q.query(
    `insert into auth_user_company (user_id, company_id)
     select $1::bigint, c from unnest($2::bigint[]) as c on conflict do nothing`,
    [id, [u.companyId, ...(u.extraCompanyIds ?? [])]],
  );
  return id;
}

export async function setUserStatus(q: Queryable, id: number, status: UserStatus): Promise<void> {
  await q.query(`update auth_user set status = $2::text, updated_by = app.user_id() where id = $1::bigint`, [id, status]);
}

export async function markPhoneVerified(q: Queryable, id: number): Promise<void> {
  await q.query(`update auth_user set phone_verified_at = now() where id = $1::bigint`, [id]);
}

export async function markEmailVerified(q: Queryable, id: number): Promise<void> {
  await q.query(`update auth_user set email_verified_at = now() where id = $1::bigint and email_verified_at is null`, [id]);
}

/** Sets a new password hash; the password-log trigger keeps the history the reuse check reads. */
export async function setPasswordHash(q: Queryable, id: number, hash: string): Promise<void> {
  await q.query(
    `update auth_user set password_hash = $2::text, password_changed_at = now(), login_fail_count = 0, locked_until = null,
            updated_by = app.user_id()
      where id = $1::bigint`,
    [id, hash],
  );
}

/**
 * Replaces a hash made with older argon2 parameters by one of the same password with the current ones. Not a
 * password change: password_changed_at, the counters and the sessions stay; only if the hash is still the one
 * that was verified (a concurrent password change wins).
 */
export async function upgradePasswordHash(q: Queryable, id: number, verifiedHash: string, hash: string): Promise<void> {
  await q.query(`update auth_user set password_hash = $3::text where id = $1::bigint and password_hash = $2::text`, [id, verifiedHash, hash]);
}

/** The newest five password hashes (auth_password_log), the current one included. */
export async function recentPasswordHashes(q: Queryable, id: number): Promise<string[]> {
  const { rows } = await q.query<{ pwd_hash: string }>(
    `select pwd_hash from auth_password_log where user_id = $1::bigint order by created_at desc, id desc limit 5`,
    [id],
  );
  return rows.map((r) => r.pwd_hash);
}

export async function setContact(q: Queryable, id: number, field: 'email' | 'phone', value: string): Promise<void> {
  const verified = field === 'email' ? 'email_verified_at' : 'phone_verified_at';
  await q.query(`update auth_user set ${field} = $2::text, ${verified} = now(), updated_by = app.user_id() where id = $1::bigint`, [id, value]);
}

export interface Recipient {
  id: number;
  email: string;
  fullname: string;
  locale: 'id' | 'en';
}

/** Active admins of a company, who are told about new agent registrations. */
export async function companyAdmins(q: Queryable, companyId: number): Promise<Recipient[]> {
  const { rows } = await q.query<Recipient>(
    `select u.id, u.email, u.fullname, u.locale
       from auth_user u join auth_user_company m on m.user_id = u.id
      where m.company_id = $1::bigint and u.role = 'ADMIN' and u.status = 'ACTIVE'
      order by u.id`,
    [companyId],
  );
  return rows;
}
