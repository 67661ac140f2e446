import { z } from 'zod';
import { withTransaction, type DbActor } from '../../../shared/db/tx.js';
import type { Principal } from '../../../shared/http/route.js';
import { decodeCursor, toPage, type Page } from '../../../shared/http/pagination.js';
import type { Role, UserStatus } from '../users/user.repo.js';
import { userView, type UserView } from '../users/user.view.js';
import { containsPattern } from '../../../shared/db/like.js';
import { listUsers } from './user-admin.repo.js';
import { assertCompanyOfCaller } from './target-user.js';

export interface ListUsersOptions {
  principal: Principal;
  actor: DbActor;
  status?: UserStatus;
  role?: Role;
  q?: string;
  companyId?: number;
  cursor?: string;
  limit: number;
}

const cursorKey = z.tuple([z.number().int().positive()]);

/**
 * Users at home in the caller's companies (or the one named), newest first. A super admin also sees users of
 * deactivated companies. Row level security applies underneath whatever this asks for.
 */
export async function listUsersForAdmin(o: ListUsersOptions): Promise<Page<UserView>> {
  if (o.companyId !== undefined) assertCompanyOfCaller(o.principal, o.companyId, 'query.companyId');
  const companyIds = o.companyId !== undefined ? [o.companyId] : o.principal.role === 'SUPER_ADMIN' ? null : o.principal.companyIds;
  const after = decodeCursor(o.cursor, cursorKey);
  const rows = await withTransaction(o.actor, (tx) =>
    listUsers(tx, {
      companyIds,
      status: o.status,
      role: o.role,
      pattern: o.q === undefined ? undefined : containsPattern(o.q),
      beforeId: after?.[0],
      limit: o.limit + 1,
    }),
  );
  return toPage(rows, o.limit, (u) => [u.id], userView);
}
