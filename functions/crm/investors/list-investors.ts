import { z } from 'zod';
import { withTransaction, type DbActor } from '../../../shared/db/tx.js';
import type { Principal } from '../../../shared/http/route.js';
import { decodeCursor, toPage, type Page } from '../../../shared/http/pagination.js';
import { containsPattern } from '../../../shared/db/like.js';
import { isAgent, notFound } from '../crm-access.js';
import { listBankAccounts } from './bank-account.repo.js';
import { findInvestor, type InvestorStatus, type InvestorType } from './investor.repo.js';
import { listInvestors } from './investor-list.repo.js';
import { investorView, type InvestorView } from './investor.view.js';
import { identityHash } from './pii.js';

export interface ListInvestorsOptions {
  principal: Principal;
  actor: DbActor;
  status?: InvestorStatus;
  type?: InvestorType;
  q?: string;
  agentId?: number;
  cursor?: string;
  limit: number;
}

const cursorKey = z.tuple([z.string().min(1).max(64), z.uuid()]);

/** A search term that is all digits may be a whole NIK (16) or NPWP (15 or 16): looked up by keyed hash. */
async function identityHashes(q: string): Promise<string[] | undefined> {
  const digits = q.replace(/[\s.-]/g, '');
  if (!/^\d{15,16}$/.test(digits)) return undefined;
  return Promise.all([identityHash.nik(digits), identityHash.npwp(digits)]);
}

/** An agent's own investors, or an admin's companies' (optionally one agent's), newest first. */
export async function listInvestorsOfCaller(o: ListInvestorsOptions): Promise<Page<InvestorView>> {
  const after = decodeCursor(o.cursor, cursorKey);
  const hashes = o.q === undefined ? undefined : await identityHashes(o.q);
  const { rows, accounts } = await withTransaction(o.actor, async (tx) => {
    const rows = await listInvestors(tx, {
      companyIds: o.principal.companyIds,
      agentId: isAgent(o.principal) ? o.principal.userId : o.agentId,
      status: o.status,
      type: o.type,
      pattern: o.q === undefined || hashes ? undefined : containsPattern(o.q),
      identityHashes: hashes,
      before: after,
      limit: o.limit + 1,
    });
    return { rows, accounts: await listBankAccounts(tx, rows.slice(0, o.limit).map((r) => r.id)) };
  });
  return toPage(rows, o.limit, (r) => [r.createdKey, r.id], (r) => investorView(r, accounts));
}

export interface GetInvestorOptions {
  actor: DbActor;
  id: string;
}

export async function getInvestor(o: GetInvestorOptions): Promise<InvestorView> {
  return withTransaction(o.actor, async (tx) => {
    const investor = await findInvestor(tx, o.id);
    if (!investor) throw notFound('investor');
    return investorView(investor, await listBankAccounts(tx, [investor.id]));
  });
}
