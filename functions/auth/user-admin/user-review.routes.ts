import { z } from 'zod';
import { defineRoute } from '../../../shared/http/route.js';
import { actorOf, requirePrincipal } from '../../../shared/auth/actor.js';
import { userSchema, userView } from '../users/user.view.js';
import { reviewUser } from './review-user.js';
import { setUserActive } from './set-user-active.js';
import { resendInvite } from './invite-user.js';
import { userIdParams } from './user-admin.routes.js';

const tags = ['Identity'];

export const approveOrRejectRoute = defineRoute({
  method: 'PATCH',
  path: '/idty/users/{id}/approveOrReject',
  operationId: 'approveOrRejectUser',
  summary: 'Approve (needs a valid WAPERD licence) or reject (needs a reason) an RM agent waiting for approval',
  tags,
  access: 'private',
  permission: 'user:approve',
  params: userIdParams,
  body: z.discriminatedUnion('decision', [
    z.strictObject({ decision: z.literal('APPROVE'), reason: z.string().trim().max(500).optional() }),
    z.strictObject({ decision: z.literal('REJECT'), reason: z.string().trim().min(3).max(500) }),
  ]),
  errors: ['NOT_FOUND', 'CONFLICT', 'LICENCE_REQUIRED'],
  response: { status: 200, description: '<user>', schema: userSchema },
  handler: async ({ params, body, principal, ip }) => {
    const p = requirePrincipal(principal);
    return { body: userView(await reviewUser({ principal: p, actor: actorOf(p, ip), id: params.id, ...body })) };
  },
});

export const activeOrDeRoute = defineRoute({
  method: 'PATCH',
  path: '/idty/users/{id}/activeOrDe',
  operationId: 'activateOrDeactivateUser',
  summary: 'Deactivate (every session ends at once) or reactivate a user',
  tags,
  access: 'private',
  permission: 'user:write',
  params: userIdParams,
  body: z.strictObject({ active: z.boolean() }),
  errors: ['NOT_FOUND', 'CONFLICT', 'LICENCE_REQUIRED', 'BUSINESS_RULE'],
  response: { status: 200, description: '<user>', schema: userSchema },
  handler: async ({ params, body, principal, ip }) => {
    const p = requirePrincipal(principal);
    return { body: userView(await setUserActive({ principal: p, actor: actorOf(p, ip), id: params.id, active: body.active })) };
  },
});

export const resendInviteRoute = defineRoute({
  method: 'POST',
  path: '/idty/users/{id}/invite',
  operationId: 'resendInvite',
  summary: 'Email a new set-password link to a user who has not chosen a password (the previous link stops working)',
  tags,
  access: 'private',
  permission: 'user:write',
  params: userIdParams,
  errors: ['NOT_FOUND', 'CONFLICT'],
  response: { status: 202, description: 'The invitation is on its way', schema: z.object({ expiresAt: z.iso.datetime() }) },
  handler: async ({ params, principal, ip }) => {
    const p = requirePrincipal(principal);
    return { status: 202, body: await resendInvite({ principal: p, actor: actorOf(p, ip), id: params.id }) };
  },
});
