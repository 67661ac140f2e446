import { z } from 'zod';
import { withTransaction, type DbActor } from '../../../shared/db/tx.js';
import { decodeCursor, toPage, type Page } from '../../../shared/http/pagination.js';
import { notFound } from '../crm-access.js';
import { findInvestor } from '../investors/investor.repo.js';
import { listDocuments } from './document.repo.js';
import { documentView, type DocumentView } from './document.view.js';

export interface ListDocumentsOptions {
  actor: DbActor;
  investorId: string;
  cursor?: string;
  limit: number;
}

const cursorKey = z.tuple([z.string().min(1).max(64), z.uuid()]);

export async function listDocumentsOfInvestor(o: ListDocumentsOptions): Promise<Page<DocumentView>> {
  const before = decodeCursor(o.cursor, cursorKey);
  const rows = await withTransaction(o.actor, async (tx) => {
    if (!(await findInvestor(tx, o.investorId))) throw notFound('investor');
    return listDocuments(tx, o.investorId, before, o.limit + 1);
  });
  return toPage(rows, o.limit, (d) => [d.createdKey, d.id], documentView);
}
