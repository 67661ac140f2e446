import { z } from 'zod';
import { defineRoute } from '../../../shared/http/route.js';
import { AppError } from '../../../shared/errors.js';
import { withTransaction } from '../../../shared/db/tx.js';
import { actorOf, requirePrincipal } from '../../../shared/auth/actor.js';
import { findUser } from '../users/user.repo.js';
import { userSchema, userView } from '../users/user.view.js';

export const meRoute = defineRoute({
  method: 'GET',
  path: '/auth/me',
  operationId: 'me',
  summary: 'The signed-in user',
  tags: ['Auth'],
  access: 'private',
  permission: 'profile:read',
  response: { status: 200, description: '<user>', schema: userSchema },
  handler: async ({ principal, ip }) => {
    const p = requirePrincipal(principal);
    const user = await withTransaction(actorOf(p, ip), (tx) => findUser(tx, p.userId));
    if (!user) throw new AppError('UNAUTHENTICATED');
    return { body: userView(user) };
  },
});

export const companyIdsRoute = defineRoute({
  method: 'GET',
  path: '/auth/companyIds',
  operationId: 'companyIds',
  summary: 'Ids of the companies the caller may act in',
  tags: ['Auth'],
  access: 'private',
  permission: 'profile:read',
  response: { status: 200, description: 'Company ids, ascending', schema: z.object({ items: z.array(z.number().int()) }) },
  // The verifier read them from the database for this request (app.session_principal): nothing more to ask.
  handler: async ({ principal }) => ({ body: { items: [...requirePrincipal(principal).companyIds] } }),
});
