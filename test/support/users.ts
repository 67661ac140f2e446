import { randomBytes } from 'node:crypto';
import type { Role, UserStatus } from '../../functions/auth/users/user.repo.js';
import { asSuperAdmin } from './owner.js';

export type { Role, UserStatus };

export interface TestUser {
  id: number;
  companyId: number;
  email: string;
  phone: string;
  fullname: string;
  role: Role;
}

/** A unique Indonesian mobile number and email, so tests never collide on the global unique indexes. */
export function uniqueContact(): { email: string; phone: string } {
  const n = randomBytes(4).readUInt32BE(0) % 100_000_000;
  const tag = randomBytes(4).toString('hex');
  return { email: `user-${tag}@example.test`, phone: `+628${String(n).padStart(9, '0')}${Math.floor(Math.random() * 10)}` };
}

/** Inserts a user (and its company membership) as the owner; `passwordHash` lets a test log in. */
export async function createUser(opts: {
  companyId: number;
  role?: Role;
  status?: UserStatus;
  passwordHash?: string | null;
  fullname?: string;
  email?: string;
  phone?: string;
  extraCompanyIds?: number[];
  /** WAPERD licence; expiresOn YYYY-MM-DD. */
  licence?: { number: string; expiresOn: string };
}): Promise<TestUser> {
  const contact = uniqueContact();
  const email = opts.email ?? contact.email;
  const phone = opts.phone ?? contact.phone;
  const fullname = opts.fullname ?? 'Test User';
  const role = opts.role ?? 'RM_AGENT';
  return asSuperAdmin(async (c) => {
    const { rows } = await c.query<{ id: number }>(
      `insert into auth_user (company_id, fullname, email, phone, role, status, password_hash, waperd_number, waperd_expires_on)
       values ($1::bigint, $2::text, $3::text, $4::text, $5::text, $6::text, $7::text, $8::text, $9::date) returning id`,
      [opts.companyId, fullname, email, phone, role, opts.status ?? 'ACTIVE', opts.passwordHash ?? null, opts.licence?.number ?? null, opts.licence?.expiresOn ?? null],
    );
    const id = Number(rows[0]!.id);
    for (const companyId of [opts.companyId, ...(opts.extraCompanyIds ?? [])]) {
      await c.query(`insert into auth_user_company (user_id, company_id) values ($1::bigint, $2::bigint)`, [id, companyId]);
    }
    return { id, companyId: opts.companyId, email, phone, fullname, role };
  });
}

/** <user> of an active agent without a licence, as the auth routes answer it. */
export function agentUserBody(user: Pick<TestUser, 'id' | 'fullname' | 'email' | 'phone'>, companyId: number, createdAt: string) {
  return {
    id: user.id,
    fullname: user.fullname,
    email: user.email,
    phone: user.phone,
    role: 'RM_AGENT',
    status: 'ACTIVE',
    companyId,
    companyIds: [companyId],
    licence: null,
    rejectedReason: null,
    createdAt,
    approvedAt: null,
  };
}
