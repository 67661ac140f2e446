import { createServer } from 'node:http';
import pg from 'pg';
import { config } from '../../shared/config.js';
import { sessionPrincipalSql } from '../../shared/auth/authenticate.js';
import { listInvestors } from '../../functions/crm/investors/investor-list.repo.js';
import { listBankAccounts } from '../../functions/crm/investors/bank-account.repo.js';
import { createBenchUser, sessionOf } from './auth.js';
import { seedInvestors } from './seed-investors.js';
import { statementOf } from './statement.js';

export const benchInvestors = 100_000;
const pageSize = 20;

/** 100,000 investors in one company and its admin, signed in: what GET /crm/investors is measured on. */
export async function investorBenchSetup(ownerUrl: string, authUrl: string): Promise<{ companyId: number; userId: number; accessToken: string }> {
  const { companyId } = await seedInvestors(ownerUrl, { investors: benchInvestors, agents: 50 });
  const admin = await createBenchUser(ownerUrl, companyId, 'ADMIN');
  const res = await fetch(`${authUrl}/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ identifier: admin.identifier, password: admin.password, deviceId: admin.deviceId }),
  });
  const { accessToken } = (await res.json()) as { accessToken: string };
  return { companyId, userId: admin.userId, accessToken };
}

/**
 * Floor for GET /crm/investors: the statements the function sends — the session check, the transaction with
 * the RLS settings, the page of investors and their bank accounts (SQL taken from the repos) — as the app
 * role under RLS, without JWT, routing, zod, views or logging.
 */
export async function startInvestorsFloor(appUrl: string, user: { userId: number; companyId: number; sessionId: string }): Promise<{ url: string; stop(): Promise<void> }> {
  const pool = new pg.Pool({ connectionString: appUrl, max: config().DB_POOL_MAX });
  const page = await statementOf((q) => listInvestors(q, { companyIds: [user.companyId], limit: pageSize + 1 }));
  const accounts = await statementOf((q) => listBankAccounts(q, ['00000000-0000-4000-8000-000000000000']));
  const server = createServer((_req, res) => {
    void (async () => {
      const principal = await pool.query<{ company_ids: string[] }>(sessionPrincipalSql, [user.sessionId, user.userId]);
      const client = await pool.connect();
      try {
        await client.query('begin');
        await client.query(
          `select set_config('app.company_ids', $1::text, true), set_config('app.user_id', $2::text, true), set_config('app.ip', $3::text, true),
                  set_config('app.super_admin', 'off', true), set_config('app.relay', 'off', true), set_config('app.own_rows_only', 'off', true)`,
          [principal.rows[0]!.company_ids.join(','), String(user.userId), '127.0.0.1'],
        );
        const investors = await client.query<{ id: string }>(page.text, page.values);
        const ids = investors.rows.slice(0, pageSize).map((r) => r.id);
        const bank = await client.query(accounts.text, [ids]);
        await client.query('commit');
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ items: investors.rows.slice(0, pageSize), accounts: bank.rows, nextCursor: null }));
      } finally {
        client.release();
      }
    })().catch(() => res.writeHead(500).end());
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${(server.address() as { port: number }).port}/crm/investors`,
    stop: async () => {
      server.close();
      server.closeAllConnections();
      await pool.end();
    },
  };
}

export { sessionOf };
