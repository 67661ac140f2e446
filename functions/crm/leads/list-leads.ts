import { z } from 'zod';
import { withTransaction, type DbActor } from '../../../shared/db/tx.js';
import type { Principal } from '../../../shared/http/route.js';
import { decodeCursor, toPage, type Page } from '../../../shared/http/pagination.js';
import { containsPattern } from '../../../shared/db/like.js';
import { isAgent } from '../crm-access.js';
import { listLeads, type LeadStatus } from './lead.repo.js';
import { leadView, type LeadView } from './lead.view.js';

export interface ListLeadsOptions {
  principal: Principal;
  actor: DbActor;
  status?: LeadStatus;
  q?: string;
  ownerId?: number;
  cursor?: string;
  limit: number;
}

const cursorKey = z.tuple([z.number().int().positive()]);

/** An agent's own leads, or an admin's companies' (optionally one agent's), newest first. */
export async function listLeadsOfCaller(o: ListLeadsOptions): Promise<Page<LeadView>> {
  const after = decodeCursor(o.cursor, cursorKey);
  const rows = await withTransaction(o.actor, (tx) =>
    listLeads(tx, {
      companyIds: o.principal.companyIds,
      ownerId: isAgent(o.principal) ? o.principal.userId : o.ownerId,
      status: o.status,
      pattern: o.q === undefined ? undefined : containsPattern(o.q),
      beforeId: after?.[0],
      limit: o.limit + 1,
    }),
  );
  return toPage(rows, o.limit, (l) => [l.id], leadView);
}
