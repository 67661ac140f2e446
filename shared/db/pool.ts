import pg from 'pg';
import { config } from '../config.js';
import { getSecret } from '../secrets.js';
import { logger } from '../logging.js';

/**
 * One pool per function instance, created on first use. Limits are explicit because serverless instances
 * multiply: max instances × DB_POOL_MAX must stay under Cloud SQL's max_connections (terraform/database.tf
 * writes the numbers down next to each other).
 */

// bigint (int8) ids arrive as strings by default; ours fit in a JS number, so parse them as numbers.
pg.types.setTypeParser(pg.types.builtins.INT8, (v) => Number(v));
// numeric stays a string: money is a decimal string in the API.

let pool: pg.Pool | undefined;

export async function connectionString(): Promise<string> {
  const cfg = config();
  if (!cfg.DATABASE_URL) throw new Error('DATABASE_URL is not set');
  if (!cfg.DB_PASSWORD_SECRET) return cfg.DATABASE_URL;
  // In the cloud the URL carries no password; it comes from Secret Manager.
  const url = new URL(cfg.DATABASE_URL);
  url.password = encodeURIComponent(await getSecret(cfg.DB_PASSWORD_SECRET));
  return url.toString();
}

export function createPool(connection: string, max = config().DB_POOL_MAX): pg.Pool {
  const cfg = config();
  const p = new pg.Pool({
    connectionString: connection,
    max,
    idleTimeoutMillis: cfg.DB_IDLE_TIMEOUT_MS,
    connectionTimeoutMillis: cfg.DB_CONNECTION_TIMEOUT_MS,
    statement_timeout: cfg.DB_STATEMENT_TIMEOUT_MS,
    application_name: cfg.K_SERVICE ?? cfg.FUNCTION_TARGET ?? 'rmtools',
  });
  // An idle client losing its connection must not crash the instance; the next checkout reconnects.
  p.on('error', (err) => logger().warn({ err }, 'idle database connection failed'));
  return p;
}

let pending: Promise<pg.Pool> | undefined;

export async function getPool(): Promise<pg.Pool> {
  if (pool) return pool;
  pending ??= connectionString().then((c) => (pool = createPool(c)));
  return pending;
}

/** Points the app at another database (tests use one database per suite). Closes the previous pool. */
export async function usePool(next: pg.Pool | undefined): Promise<void> {
  const prev = pool;
  pool = next;
  pending = next ? Promise.resolve(next) : undefined;
  if (prev && prev !== next) await prev.end();
}

export async function closePool(): Promise<void> {
  await usePool(undefined);
}
