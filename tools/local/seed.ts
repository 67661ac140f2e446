import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import pg from 'pg';
import { envValue } from '../../shared/config.js';
import { hashPassword, verifyPassword } from '../../functions/auth/passwords/password-hasher.js';

/**
 * Local demo data, written as the owner on every start and idempotent: the tenant "Demo Sekuritas", its
 * SUPER_ADMIN and ADMIN, and an RM agent with a WAPERD licence who waits for the admin's approval (created
 * once; approving or rejecting it sticks across restarts). Their password is DEMO_PASSWORD when set, else generated once and kept in
 * .data/demo-credentials.json (API.md "Local runtime hooks"), which the stack completes with the base URL.
 */
export const demoCompany = { code: 'DEMO', name: 'Demo Sekuritas' };
export const demoUsers = {
  superAdmin: { email: 'super.admin@rmtools.local', phone: '+6281100000001', fullname: 'Super Admin RMTools', role: 'SUPER_ADMIN' },
  admin: { email: 'admin@demo-sekuritas.local', phone: '+6281100000002', fullname: 'Admin Demo Sekuritas', role: 'ADMIN' },
  agent: {
    email: 'rina.agen@demo-sekuritas.local',
    phone: '+6281100000003',
    fullname: 'Rina Agen',
    role: 'RM_AGENT',
    status: 'PENDING_APPROVAL',
    licence: { number: 'KEP-0042/PM.211/WPPE/2025', yearsValid: 3 },
  },
} as const;

export interface DemoCredentials {
  baseUrl: string;
  superAdmin: { email: string; password: string };
  admin: { email: string; password: string; companyId: number };
  /** Signs in once the admin approves it (PATCH /idty/users/{id}/approveOrReject). */
  agent: { email: string; password: string; id: number };
}

export const credentialsFile = (dataDir: string) => join(dataDir, 'demo-credentials.json');

async function demoPassword(dataDir: string): Promise<string> {
  const fromEnv = envValue('DEMO_PASSWORD');
  if (fromEnv) return fromEnv;
  const file = credentialsFile(dataDir);
  if (existsSync(file)) {
    const kept = (JSON.parse(await readFile(file, 'utf8')) as Partial<DemoCredentials>).admin?.password;
    if (kept) return kept;
  }
  return `demo-${randomBytes(9).toString('base64url')}`;
}

export async function seedDemo(ownerUrl: string, dataDir: string): Promise<Omit<DemoCredentials, 'baseUrl'> & { companyId: number }> {
  const password = await demoPassword(dataDir);
  const client = new pg.Client({ connectionString: ownerUrl });
  await client.connect();
  try {
    await client.query('begin');
    // Tenants and users are under FORCE'd RLS; creating them is a super-admin act even for the seed.
    await client.query(`select set_config('app.super_admin', 'on', true)`);
    const companyId = await upsertCompany(client);
    const ids: Record<string, number> = {};
    for (const [key, user] of Object.entries(demoUsers)) ids[key] = await upsertUser(client, companyId, user, password);
    await client.query('commit');
    return {
      companyId,
      superAdmin: { email: demoUsers.superAdmin.email, password },
      admin: { email: demoUsers.admin.email, password, companyId },
      agent: { email: demoUsers.agent.email, password, id: ids.agent! },
    };
  } catch (err) {
    await client.query('rollback').catch(() => undefined);
    throw err;
  } finally {
    await client.end();
  }
}

async function upsertCompany(client: pg.Client): Promise<number> {
  // Insert once; later starts leave the row (and its audit trail) alone.
  const { rows } = await client.query<{ id: string }>(
    `with inserted as (
       insert into auth_company (code, name) values ($1::text, $2::text)
       on conflict (code) do nothing
       returning id
     )
     select id from inserted
     union all
     select id from auth_company where code = $1::text
     limit 1`,
    [demoCompany.code, demoCompany.name],
  );
  return Number(rows[0]!.id);
}

interface DemoUser {
  email: string;
  phone: string;
  fullname: string;
  role: string;
  status?: string;
  licence?: { number: string; yearsValid: number };
}

/** Creates the user if missing; re-hashes its password only when it no longer matches the kept one. */
async function upsertUser(client: pg.Client, companyId: number, u: DemoUser, password: string): Promise<number> {
  const { rows } = await client.query<{ id: string; password_hash: string | null }>(`select id, password_hash from auth_user where email = $1::text`, [u.email]);
  const existing = rows[0];
  if (existing && existing.password_hash && (await verifyPassword(existing.password_hash, password))) return Number(existing.id);
  const hash = await hashPassword(password);
  if (existing) {
    await client.query(`update auth_user set password_hash = $2::text, password_changed_at = now() where id = $1::bigint`, [existing.id, hash]);
    return Number(existing.id);
  }
  const inserted = await client.query<{ id: string }>(
    `insert into auth_user (company_id, fullname, email, phone, role, status, password_hash, password_changed_at, phone_verified_at,
                            email_verified_at, waperd_number, waperd_expires_on)
     values ($1::bigint, $2::text, $3::text, $4::text, $5::text, $6::text, $7::text, now(), now(), now(), $8::text,
             (current_date + make_interval(years => $9::int))::date)
     returning id`,
    [companyId, u.fullname, u.email, u.phone, u.role, u.status ?? 'ACTIVE', hash, u.licence?.number ?? null, u.licence?.yearsValid ?? null],
  );
  const id = Number(inserted.rows[0]!.id);
  await client.query(`insert into auth_user_company (user_id, company_id) values ($1::bigint, $2::bigint)`, [id, companyId]);
  return id;
}

export async function writeDemoCredentials(dataDir: string, credentials: DemoCredentials): Promise<void> {
  await writeFile(credentialsFile(dataDir), `${JSON.stringify(credentials, null, 2)}\n`, { mode: 0o600 });
}
