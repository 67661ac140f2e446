import { createServer } from 'node:http';
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
