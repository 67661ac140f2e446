import { randomBytes } from 'node:crypto';
import { verify } from '@node-rs/argon2';
import pg from 'pg';
import { config } from '../../shared/config.js';
import { startPrivateFloor } from './floor.js';
import { hashPassword } from '../../functions/auth/passwords/password-hasher.js';
import { userByIdSql } from '../../functions/auth/users/user.repo.js';

/**
 * Sign-in and token benches. Login is bounded by argon2 by design, so its throughput is reported against the
 * raw argon2id verifies/s this machine does with the same parameters and concurrency, measured in the same
 * run. GET /auth/me is compared with a bare node:http + pg server running the same SQL (session check, then
 * the user in a transaction with the RLS settings).
 */
export interface BenchUser {
  userId: number;
  identifier: string;
  password: string;
  deviceId: string;
}

export async function createBenchUser(ownerUrl: string, companyId: number, role: 'RM_AGENT' | 'ADMIN' = 'RM_AGENT'): Promise<BenchUser> {
  const tag = randomBytes(4).toString('hex');
  const password = `bench ${randomBytes(8).toString('base64url')}`;
  const identifier = `bench-${tag}@rmtools.local`;
  const deviceId = `bench-device-${tag}`;
  const client = new pg.Client({ connectionString: ownerUrl });
  await client.connect();
  try {
    await client.query('begin');
    await client.query(`select set_config('app.super_admin', 'on', true), set_config('app.company_ids', $1::text, true)`, [String(companyId)]);
    const phone = `+62899${String(parseInt(tag, 16) % 1e8).padStart(8, '0')}`;
    const { rows } = await client.query<{ id: string }>(
      `insert into auth_user (company_id, fullname, email, phone, role, status, password_hash)
       values ($1::bigint, 'Bench User', $2::text, $3::text, $5::text, 'ACTIVE', $4::text) returning id`,
      [companyId, identifier, phone, await hashPassword(password), role],
    );
    const userId = Number(rows[0]!.id);
    await client.query(`insert into auth_user_company (user_id, company_id) values ($1::bigint, $2::bigint)`, [userId, companyId]);
    await client.query(`insert into device_info (company_id, user_id, device_id, trusted_at) values ($1::bigint, $2::bigint, $3::text, now())`, [companyId, userId, deviceId]);
    await client.query('commit');
    return { userId, identifier, password, deviceId };
  } finally {
    await client.end();
  }
}

/** Raw argon2id verifies per second at the hasher's concurrency and parameters: the ceiling for logins. */
export async function argon2VerifiesPerSecond(seconds: number): Promise<number> {
  const password = 'a benchmark password';
  const hash = await hashPassword(password);
  const until = Date.now() + seconds * 1000;
  let done = 0;
  const worker = async () => {
    while (Date.now() < until) {
      await verify(hash, password);
      done++;
    }
  };
  const started = Date.now();
  await Promise.all(Array.from({ length: config().ARGON2_MAX_CONCURRENCY }, worker));
  return Math.round((done * 1000) / (Date.now() - started));
}

/** Floor for GET /auth/me: the same statements the function runs, without JWT, routing, zod or logging. */
export function startMeFloor(appUrl: string, user: { userId: number; sessionId: string }): Promise<{ url: string; stop(): Promise<void> }> {
  return startPrivateFloor(appUrl, '/auth/me', user, async (client) => (await client.query(userByIdSql, [user.userId])).rows[0]);
}

/** The session id (sid claim) of an access token, read without verifying: the bench's own token. */
export function sessionOf(accessToken: string): string {
  return (JSON.parse(Buffer.from(accessToken.split('.')[1]!, 'base64url').toString('utf8')) as { sid: string }).sid;
}
