import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { startEmbeddedPostgres } from '../local/postgres.js';
import { prepareDatabase } from '../local/database.js';
import { withTransaction, type DbActor, type Queryable } from '../../shared/db/tx.js';
import { listUsers } from '../../functions/auth/user-admin/user-admin.repo.js';
import { listAuditEntries } from '../../functions/auth/audit/audit-log.repo.js';
import { seedUsers } from './seed-users.js';
import { statementOf } from './statement.js';

/**
 * `npm run bench:lists`: the admin list queries over 100,000 users in one company, as the app role under row
 * level security against the very same SQL run by a superuser (which RLS does not apply to), in one run on a
 * throwaway embedded PostgreSQL. Each query runs in its own transaction with the tenant settings, as the
 * functions do; the ratio is what the policies cost.
 */
const iterations = Number(process.argv.find((a) => a.startsWith('--iterations='))?.split('=')[1] ?? 500);

interface Stats {
  meanMs: number;
  p50Ms: number;
  p95Ms: number;
}

async function time(fn: () => Promise<unknown>): Promise<Stats> {
  for (let i = 0; i < 20; i++) await fn(); // warm-up: plans cached, pages in memory
  const ms: number[] = [];
  for (let i = 0; i < iterations; i++) {
    const t = performance.now();
    await fn();
    ms.push(performance.now() - t);
  }
  ms.sort((a, b) => a - b);
  const at = (q: number) => +ms[Math.min(ms.length - 1, Math.floor(q * ms.length))]!.toFixed(3);
  return { meanMs: +(ms.reduce((s, x) => s + x, 0) / ms.length).toFixed(3), p50Ms: at(0.5), p95Ms: at(0.95) };
}

async function main(): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'rmtools-bench-lists-'));
  const server = await startEmbeddedPostgres({ dataDir: dir, adminPassword: 'bench-admin', disposable: true });
  try {
    const db = await prepareDatabase({ adminUrl: server.adminUrl, database: 'rmtools_bench', ownerPassword: 'bench-owner', appPassword: 'bench-app' });
    const seeded = performance.now();
    const companies = await seedUsers(db.ownerUrl, { users: 100_000 });
    console.log(`seeded 100,000 users (and 200,000 audit entries) in ${((performance.now() - seeded) / 1000).toFixed(1)} s\n`);
    const superUrl = new URL(server.adminUrl);
    superUrl.pathname = '/rmtools_bench';
    const app = new pg.Pool({ connectionString: db.appUrl, max: 1 });
    const bypass = new pg.Pool({ connectionString: superUrl.toString(), max: 1 });
    // The server stops at the end while the pools wind down: their late disconnect errors are expected.
    for (const pool of [app, bypass]) pool.on('error', () => undefined);
    const actor: DbActor = { companyIds: [companies.big], userId: 1 };
    const queries: Array<[string, (q: Queryable) => Promise<unknown>]> = [
      ['users, first page', (q) => listUsers(q, { companyIds: [companies.big], limit: 21 })],
      ['users, page at 50,000', (q) => listUsers(q, { companyIds: [companies.big], beforeId: 50_000, limit: 21 })],
      ['users by status', (q) => listUsers(q, { companyIds: [companies.big], status: 'PENDING_APPROVAL', limit: 21 })],
      ['audit trail, first page', (q) => listAuditEntries(q, { companyIds: [companies.big], limit: 21 })],
    ];
    const report: Array<Record<string, unknown>> = [];
    for (const [name, run] of queries) {
      const stmt = await statementOf(run);
      const rls = await time(() => withTransaction(actor, (tx) => tx.query(stmt.text, stmt.values), app));
      const without = await time(() => withTransaction(actor, (tx) => tx.query(stmt.text, stmt.values), bypass));
      // Medians: a few slow outliers (checkpoints, the noisy host) move the means more than RLS does.
      const ratio = +(rls.p50Ms / without.p50Ms).toFixed(2);
      report.push({ query: name, rls, withoutRls: without, ratio });
      console.log(`${name}\n  under RLS (app role)     mean ${rls.meanMs} ms  p50 ${rls.p50Ms}  p95 ${rls.p95Ms}`);
      console.log(`  without RLS (superuser)  mean ${without.meanMs} ms  p50 ${without.p50Ms}  p95 ${without.p95Ms}   ratio of medians ${ratio}`);
    }
    console.log(`\n${iterations} transactions per query and role`);
    await mkdir(new URL('../../.data/bench/', import.meta.url), { recursive: true });
    await writeFile(new URL('../../.data/bench/lists.json', import.meta.url), JSON.stringify(report, null, 2));
    await app.end();
    await bypass.end();
  } finally {
    await server.stop();
    await rm(dir, { recursive: true, force: true });
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
