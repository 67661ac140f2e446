import { createServer } from 'node:http';
import { config } from '../../shared/config.js';
import { sessionPrincipalSql } from '../../shared/auth/authenticate.js';
import pg from 'pg';
import { locationSql } from '../../functions/crm/master-data/master-data.repo.js';
import { activeCompaniesSql } from '../../functions/auth/companies/company.repo.js';

/**
 * The floor: the least a server can do to answer these endpoints — node:http, one pg pool of the same size,
 * the same SQL (imported from the repos), JSON.stringify. No routing, validation, logging or headers.
 */
export const floorEndpoints = [
  { fn: 'crm', path: '/crm/locations?level=city&parent=31', sql: locationSql.city, params: ['31'], map: (rows: unknown[]) => ({ items: rows }) },
  { fn: 'crm', path: '/crm/locations?level=province', sql: locationSql.province, params: [], map: (rows: unknown[]) => ({ items: rows }) },
  { fn: 'auth', path: '/auth/companies', sql: activeCompaniesSql, params: [null, null, 21], map: (rows: unknown[]) => ({ items: rows.slice(0, 20), nextCursor: null }) },
] as const;

export async function startFloorServer(appUrl: string): Promise<{ url: string; stop(): Promise<void> }> {
  const pool = new pg.Pool({ connectionString: appUrl, max: 5 });
  const byPath = new Map<string, (typeof floorEndpoints)[number]>(floorEndpoints.map((e) => [e.path, e]));
  const server = createServer((req, res) => {
    const ep = byPath.get(req.url ?? '');
    if (!ep) {
      res.writeHead(404).end();
      return;
    }
    pool.query(ep.sql, [...ep.params]).then(
      (r) => {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify(ep.map(r.rows)));
      },
      () => res.writeHead(500).end(),
    );
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as { port: number }).port;
  return {
    url: `http://127.0.0.1:${port}`,
    stop: async () => {
      server.close();
      server.closeAllConnections();
      await pool.end();
    },
  };
}

/**
 * A floor for a private endpoint: what the function does around its own statements — the session check, then
 * a transaction with the RLS settings as the app role — with `statements` run inside and its result as JSON.
 */
export async function startPrivateFloor(
  appUrl: string,
  path: string,
  user: { userId: number; sessionId: string },
  statements: (client: pg.PoolClient) => Promise<unknown>,
): Promise<{ url: string; stop(): Promise<void> }> {
  const pool = new pg.Pool({ connectionString: appUrl, max: config().DB_POOL_MAX });
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
        const body = await statements(client);
        await client.query('commit');
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify(body));
      } finally {
        client.release();
      }
    })().catch(() => res.writeHead(500).end());
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${(server.address() as { port: number }).port}${path}`,
    stop: async () => {
      server.close();
      server.closeAllConnections();
      await pool.end();
    },
  };
}
