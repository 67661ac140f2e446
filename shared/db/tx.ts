import type pg from 'pg';
import { getPool } from './pool.js';
import { mapDbError } from './errors.js';
import { logger } from '../logging.js';

/** Who is acting: read by RLS policies and the audit triggers through transaction-local settings. */
export interface DbActor {
  /** Tenants the caller may act in; empty means none (public or system work on non-tenant tables). */
  companyIds: readonly number[];
  userId?: number | null;
  ip?: string | null;
  /** Set only for SUPER_ADMIN callers: policies for tenant management read it. */
  superAdmin?: boolean;
  /** Set only by the outbox relay, which publishes every tenant's events (policy outbox_tenant). */
  relay?: boolean;
  /** Set for RM agents: CRM rows (leads, investors) are visible only to their owner (app.own_rows_only). */
  ownRowsOnly?: boolean;
}

/**
 * `text` may be a pg QueryConfig with a `name`: a named statement is parsed and planned once per connection,
 * which pays off for the statements every request runs (the session check, the caller's user row).
 */
export type Sql = string | pg.QueryConfig;

export interface Queryable {
  query<R extends pg.QueryResultRow = pg.QueryResultRow>(text: Sql, values?: unknown[]): Promise<pg.QueryResult<R>>;
}

function run<R extends pg.QueryResultRow>(on: pg.Pool | pg.PoolClient, text: Sql, values?: unknown[]): Promise<pg.QueryResult<R>> {
  return typeof text === 'string' ? on.query<R>(text, values) : on.query<R>(values ? { ...text, values } : text);
}

export interface Tx extends Queryable {
  /** Runs after COMMIT succeeded (never after a rollback). Failures are logged, not thrown. */
  afterCommit(fn: () => Promise<unknown> | unknown): void;
}

export const systemActor: DbActor = { companyIds: [] };
/** The outbox relay: publishes the events of every tenant and nothing else. */
export const relayActor: DbActor = { companyIds: [], relay: true };

/**
 * Runs `fn` in one transaction with the actor's settings applied by set_config(..., true), i.e. local to this
 * transaction, so a pooled connection never carries a tenant into the next checkout.
 */
export async function withTransaction<T>(actor: DbActor, fn: (tx: Tx) => Promise<T>, pool?: pg.Pool): Promise<T> {
  const p = pool ?? (await getPool());
  let client: pg.PoolClient;
  try {
    client = await p.connect();
  } catch (err) {
    throw mapDbError(err);
  }
  const hooks: Array<() => Promise<unknown> | unknown> = [];
  const tx: Tx = {
    query: (text, values) => run(client, text, values),
    afterCommit: (hook) => hooks.push(hook),
  };
  let broken = false;
  try {
    await client.query('begin');
    await applyActor(client, actor);
    const result = await fn(tx);
    await client.query('commit');
    client.release();
    await runHooks(hooks);
    return result;
  } catch (err) {
    try {
      await client.query('rollback');
    } catch {
      broken = true;
    }
    client.release(broken ? true : undefined);
    throw mapDbError(err);
  }
}

async function applyActor(client: pg.PoolClient, actor: DbActor): Promise<void> {
  await client.query(
    `select set_config('app.company_ids', $1::text, true),
            set_config('app.user_id', $2::text, true),
            set_config('app.ip', $3::text, true),
            set_config('app.super_admin', $4::text, true),
            set_config('app.relay', $5::text, true),
            set_config('app.own_rows_only', $6::text, true)`,
    [
      actor.companyIds.join(','),
      actor.userId == null ? '' : String(actor.userId),
      actor.ip ?? '',
      actor.superAdmin ? 'on' : 'off',
      actor.relay ? 'on' : 'off',
      actor.ownRowsOnly ? 'on' : 'off',
    ],
  );
}

async function runHooks(hooks: Array<() => Promise<unknown> | unknown>): Promise<void> {
  for (const hook of hooks) {
    try {
      await hook();
    } catch (err) {
      logger().warn({ err }, 'after-commit hook failed');
    }
  }
}

/** Reads outside a transaction for tables without tenant data (master data). */
export async function query<R extends pg.QueryResultRow>(text: Sql, values?: unknown[]): Promise<pg.QueryResult<R>> {
  const p = await getPool();
  try {
    return await run<R>(p, text, values);
  } catch (err) {
    throw mapDbError(err);
  }
}
