import pg from 'pg';
import { localBibCredentials } from '../../../shared/bib/bib.js';
import { CircuitBreaker, type BreakerOptions } from '../../../shared/bib/circuit-breaker.js';
import { BibClient } from '../../../shared/bib/client.js';
import { createPool, usePool } from '../../../shared/db/pool.js';
import { startBibSimulator, type BibFaults, type BibSimulator } from '../../../tools/bib-simulator/simulator.js';
import { scratchDatabase, type ScratchDatabase } from '../../../test/support/database.js';
import type { OwnerQuery } from '../../../tools/bench/seed-sync-records.js';
import type { SyncLimits } from '../sync-context.js';

/**
 * Test support of the sync: a database of the suite's own (runs over "all" tenants then see only the suite's
 * records), bulk seeding as the owner with personal data encrypted the way the CRM stores it, a simulator of
 * the suite's own with faults, and a client with a short timeout and a fast breaker.
 */
export interface SyncDatabase extends OwnerQuery {
  owner: pg.Pool;
}

/** Mocha hooks: the app's pool points at a fresh scratch database for the suite, and back afterwards. */
export function useScratchDatabase(): SyncDatabase {
  let db: ScratchDatabase | undefined;
  const handle = {
    owner: undefined as unknown as pg.Pool,
    async query<R extends pg.QueryResultRow>(sql: string, values: unknown[] = []): Promise<R[]> {
      const client = await handle.owner.connect();
      try {
        await client.query('begin');
        await client.query(`select set_config('app.super_admin', 'on', true)`);
        const { rows } = await client.query<R>(sql, values);
        await client.query('commit');
        return rows;
      } catch (err) {
        await client.query('rollback');
        throw err;
      } finally {
        client.release();
      }
    },
  };
  before(async function () {
    this.timeout(60_000);
    db = await scratchDatabase();
    handle.owner = new pg.Pool({ connectionString: db.ownerUrl, max: 3 });
    await usePool(createPool(db.appUrl, 8));
  });
  after(async function () {
    this.timeout(60_000);
    await usePool(undefined);
    await handle.owner?.end();
    await db?.drop();
  });
  return handle;
}

export async function startSimulator(faults: Partial<BibFaults> = {}): Promise<BibSimulator> {
  return startBibSimulator({ port: 0, seed: 42, faults });
}

/** A simulator of the suite's own, so its faults reach no other suite; reset after each test. */
export function useOwnSimulator(): () => BibSimulator {
  let sim: BibSimulator | undefined;
  before(async () => {
    sim = await startSimulator();
  });
  afterEach(() => sim?.reset());
  after(() => sim?.stop());
  return () => sim!;
}

export function clientOf(sim: BibSimulator, o: { timeoutMs?: number; breaker?: BreakerOptions; fetch?: typeof fetch } = {}): BibClient {
  return new BibClient({
    baseUrl: sim.url,
    credentials: async () => localBibCredentials,
    timeoutMs: o.timeoutMs ?? 150,
    breaker: new CircuitBreaker({ openMs: 50, ...o.breaker }),
    ...(o.fetch ? { fetch: o.fetch } : {}),
  });
}

/** Limits for tests: tiny backoff, so a retried record is due again at once. */
export const fastLimits: Partial<SyncLimits> = { batch: 100, concurrency: 16, maxMs: 60_000, backoffBaseMs: 1, backoffMaxMs: 5, maxAttempts: 12, leaseSeconds: 120 };

/** One tenant of records waiting for the push (tools/bench/seed-sync-records.ts: the bench seeds the same way). */
export { seedSyncRecords as seedTenant, type SeededSyncRecords as Seeded } from '../../../tools/bench/seed-sync-records.js';
