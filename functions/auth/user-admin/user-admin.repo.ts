import type { Queryable } from '../../../shared/db/tx.js';
import { QueryParams } from '../../../shared/db/query-params.js';
import { toRecord, userSelect, type Role, type UserRecord, type UserRow, type UserStatus } from '../users/user.repo.js';

export interface UserFilter {
  /** Home companies to list; null: every company (super admins). */
  companyIds: readonly number[] | null;
  status?: UserStatus;
  role?: Role;
  /** Already a LIKE pattern (escaped, with its % wildcards). */
  pattern?: string;
  /** Id of the last user of the previous page (newest first). */
  beforeId?: number;
  limit: number;
}

/**
 * One page of users, newest first. Each company is an index range of its own (auth_user_company_id or
 * auth_user_company_status_id) read only as far as the page needs, and the per-company pages are merged:
 * `company_id = any(...) order by id` would instead read every user of those companies and sort them.
 */
export async function listUsers(q: Queryable, f: UserFilter): Promise<UserRecord[]> {
  const params = new QueryParams(f.companyIds, f.limit).and('u.company_id = c.id').and('u.deleted_at is null');
  if (f.status) params.and(`u.status = ${params.param(f.status)}::text`);
  if (f.role) params.and(`u.role = ${params.param(f.role)}::text`);
  if (f.pattern) {
    const p = params.param(f.pattern);
    params.and(`(u.fullname ilike ${p}::text or u.email like lower(${p}::text) or u.phone like ${p}::text)`);
  }
  if (f.beforeId !== undefined) params.and(`u.id < ${params.param(f.beforeId)}::bigint`);
  const { rows } = await q.query<UserRow>(
    `with page as (
       select x.id
         from unnest(coalesce($1::bigint[], array(select id from auth_company))) as c (id)
        cross join lateral (
          select u.id from auth_user u
           where ${params.where.join(' and ')}
           order by u.id desc
           limit $2::int) as x
        order by x.id desc
        limit $2::int)
     ${userSelect} join page on page.id = u.id
     order by u.id desc`,
    params.values,
  );
  return rows.map(toRecord);
}

export interface UserChanges {
  fullname?: string;
  email?: string;
  phone?: string;
  role?: Role;
  locale?: 'id' | 'en';
  licence?: { number: string; expiresOn: string } | null;
}

/** Writes the given fields; a new email or phone is unverified until its owner confirms it. */
export async function updateUser(q: Queryable, id: number, c: UserChanges): Promise<void> {
  const values: unknown[] = [id];
  const sets: string[] = ['updated_by = app.user_id()'];
  const set = (column: string, cast: string, value: unknown) => {
    values.push(value);
    sets.push(`${column} = $${values.length}::${cast}`);
  };
  if (c.fullname !== undefined) set('fullname', 'text', c.fullname);
  if (c.email !== undefined) {
    set('email', 'text', c.email);
    sets.push(`email_verified_at = case when email = $${values.length}::text then email_verified_at end`);
  }
  if (c.phone !== undefined) {
    set('phone', 'text', c.phone);
    sets.push(`phone_verified_at = case when phone = $${values.length}::text then phone_verified_at end`);
  }
  if (c.role !== undefined) set('role', 'text', c.role);
  if (c.locale !== undefined) set('locale', 'text', c.locale);
  if (c.licence !== undefined) {
    set('waperd_number', 'text', c.licence?.number ?? null);
    set('waperd_expires_on', 'date', c.licence?.expiresOn ?? null);
  }
  await q.query(`update auth_user set ${sets.join(', ')} where id = $1::bigint`, values);
}

/**
 * The companies an admin acts in, as far as the caller can see them: memberships in `manageable` companies
 * become exactly `wanted` (the home company always stays); memberships elsewhere are left alone.
 */
export async function setMemberships(q: Queryable, userId: number, home: number, wanted: readonly number[], manageable: readonly number[] | null): Promise<void> {
  await q.query(
    `delete from auth_user_company
      where user_id = $1::bigint and company_id <> $2::bigint and company_id <> all ($3::bigint[])
        and ($4::bigint[] is null or company_id = any ($4::bigint[]))`,
    [userId, home, wanted, manageable],
  );
  await q.query(
    `insert into auth_user_company (user_id, company_id)
     select $1::bigint, c from unnest($2::bigint[]) as c on conflict do nothing`,
    [userId, [home, ...wanted]],
  );
}

export async function recordDecision(q: Queryable, id: number, d: { approve: boolean; reason: string | null }): Promise<boolean> {
  const { rowCount } = await q.query(
    `update auth_user
        set status = case when $2::boolean then 'ACTIVE' else 'REJECTED' end,
            approved_by = case when $2::boolean then app.user_id() end,
            approved_at = case when $2::boolean then now() end,
            rejected_reason = $3::text,
            updated_by = app.user_id()
      where id = $1::bigint and status = 'PENDING_APPROVAL'`,
    [id, d.approve, d.reason],
  );
  return rowCount === 1;
}

/** Deactivates (or, with `deleted`, soft-deletes) a user; activation only brings back an INACTIVE, undeleted one. */
export async function setActive(q: Queryable, id: number, active: boolean, opts: { deleted?: boolean } = {}): Promise<void> {
  await q.query(
    `update auth_user
        set status = case when $2::boolean then 'ACTIVE' else 'INACTIVE' end,
            deleted_at = case when $3::boolean then now() else deleted_at end,
            updated_by = app.user_id()
      where id = $1::bigint`,
    [id, active, opts.deleted === true],
  );
}
