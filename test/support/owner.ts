import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { config } from '../../shared/config.js';

/** Direct access as the owner role, for arranging data and inspecting what the app role did. */
let pool: pg.Pool | undefined;

export function ownerPool(): pg.Pool {
  if (!pool) {
    pool = new pg.Pool({ connectionString: config().DATABASE_OWNER_URL, max: 3 });
    pool.on('error', () => undefined);
  }
  return pool;
}

export async function closeOwnerPool(): Promise<void> {
  const p = pool;
  pool = undefined;
  await p?.end();
}

export async function ownerQuery<R extends pg.QueryResultRow = pg.QueryResultRow>(sql: string, values?: unknown[]): Promise<R[]> {
  return (await ownerPool().query<R>(sql, values)).rows;
}

/** Runs statements as the owner inside one transaction with the super-admin setting (tenant writes). */
export async function asSuperAdmin<T>(fn: (client: pg.PoolClient) => Promise<T>): Promise<T> {
  const client = await ownerPool().connect();
  try {
    await client.query('begin');
    await client.query(`select set_config('app.super_admin', 'on', true)`);
    const out = await fn(client);
    await client.query('commit');
    return out;
  } catch (err) {
    await client.query('rollback');
    throw err;
  } finally {
    client.release();
  }
}

export function uniqueCode(prefix = 'T'): string {
  return `${prefix}${randomBytes(4).toString('hex').toUpperCase()}`;
}

export async function createCompany(opts: { name?: string; status?: 'ACTIVE' | 'INACTIVE' } = {}): Promise<{ id: number; code: string; name: string }> {
  const code = uniqueCode();
  const name = opts.name ?? `Company ${code}`;
  return asSuperAdmin(async (c) => {
    const { rows } = await c.query<{ id: number }>(
      `insert into auth_company (code, name, status) values ($1::text, $2::text, $3::text) returning id`,
      [code, name, opts.status ?? 'ACTIVE'],
    );
    return { id: Number(rows[0]!.id), code, name };
  });
}
