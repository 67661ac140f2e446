import { listInvestors } from '../../functions/crm/investors/investor-list.repo.js';
import { listBankAccounts } from '../../functions/crm/investors/bank-account.repo.js';
import { createBenchUser, sessionOf } from './auth.js';
import { seedInvestors } from './seed-investors.js';
import { statementOf } from './statement.js';
import { startPrivateFloor } from './floor.js';

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
  const page = await statementOf((q) => listInvestors(q, { companyIds: [user.companyId], limit: pageSize + 1 }));
  const accounts = await statementOf((q) => listBankAccounts(q, ['00000000-0000-4000-8000-000000000000']));
  return startPrivateFloor(appUrl, '/crm/investors', user, async (client) => {
    const investors = await client.query<{ id: string }>(page.text, page.values);
    const items = investors.rows.slice(0, pageSize);
    const bank = await client.query(accounts.text, [items.map((r) => r.id)]);
    return { items, accounts: bank.rows, nextCursor: null };
  });
}

export { sessionOf };
