import { z } from 'zod';
import { defineRoute } from '../../../shared/http/route.js';
import { pageQuery } from '../../../shared/http/pagination.js';
import { withTransaction } from '../../../shared/db/tx.js';
import { actorOf, requirePrincipal } from '../../../shared/auth/actor.js';
import { emailSchema, fullnameSchema, licenceSchema, phoneSchema, userSchema, userView } from '../users/user.view.js';
import { listUsersForAdmin } from './list-users.js';
import { createUser } from './create-user.js';
import { updateUserByAdmin } from './update-user.js';
import { deleteUser } from './set-user-active.js';
import { visibleUser } from './target-user.js';

export const roleSchema = z.enum(['RM_AGENT', 'ADMIN', 'SUPER_ADMIN']);
export const userIdParams = z.strictObject({ id: z.coerce.number().int().positive() });
const companyIdsSchema = z.array(z.number().int().positive()).max(50);
const tags = ['Identity'];

export const listUsersRoute = defineRoute({
  method: 'GET',
  path: '/idty/users',
  operationId: 'listUsers',
  summary: 'Users of the caller’s companies, newest first (filters: status, role, q in name/email/phone, companyId)',
  tags,
  access: 'private',
  permission: 'user:read',
  query: z.strictObject({
    status: userSchema.shape.status.optional(),
    role: roleSchema.optional(),
    q: z.string().trim().min(1).max(100).optional(),
    companyId: z.coerce.number().int().positive().optional(),
    ...pageQuery,
  }),
  response: { status: 200, description: 'A page of <user>', schema: z.object({ items: z.array(userSchema), nextCursor: z.string().nullable() }) },
  handler: async ({ query, principal, ip }) => {
    const p = requirePrincipal(principal);
    return { body: await listUsersForAdmin({ principal: p, actor: actorOf(p, ip), ...query }) };
  },
});

export const createUserRoute = defineRoute({
  method: 'POST',
  path: '/idty/users',
  operationId: 'createUser',
  summary: 'Create an active agent or admin in one of the caller’s companies; without a password the user is emailed a set-password link',
  tags,
  access: 'private',
  permission: 'user:write',
  body: z.strictObject({
    companyId: z.number().int().positive(),
    fullname: fullnameSchema,
    email: emailSchema,
    phone: phoneSchema,
    role: roleSchema,
    password: z.string().min(1).max(1024).optional(),
    locale: z.enum(['id', 'en']).optional(),
    licence: licenceSchema.optional(),
    companyIds: companyIdsSchema.optional(),
  }),
  errors: ['NOT_FOUND', 'COMPANY_UNAVAILABLE', 'IDENTIFIER_TAKEN', 'PASSWORD_REJECTED', 'LICENCE_REQUIRED'],
  response: { status: 201, description: '<user>', schema: userSchema },
  handler: async ({ body, principal, ip }) => {
    const p = requirePrincipal(principal);
    const user = await createUser({ principal: p, actor: actorOf(p, ip), ...body });
    return { status: 201, body: userView(user), headers: { Location: `/idty/users/${user.id}` } };
  },
});

export const getUserRoute = defineRoute({
  method: 'GET',
  path: '/idty/users/{id}',
  operationId: 'getUser',
  summary: 'One user of the caller’s companies',
  tags,
  access: 'private',
  permission: 'user:read',
  params: userIdParams,
  errors: ['NOT_FOUND'],
  response: { status: 200, description: '<user>', schema: userSchema },
  handler: async ({ params, principal, ip }) => {
    const p = requirePrincipal(principal);
    return { body: userView(await withTransaction(actorOf(p, ip), (tx) => visibleUser(tx, params.id))) };
  },
});

export const updateUserRoute = defineRoute({
  method: 'PUT',
  path: '/idty/users/{id}',
  operationId: 'updateUser',
  summary: 'Change a user’s name, contacts, role, locale, WAPERD licence (null removes it) or, for admins, further companies',
  tags,
  access: 'private',
  permission: 'user:write',
  params: userIdParams,
  body: z
    .strictObject({
      fullname: fullnameSchema.optional(),
      email: emailSchema.optional(),
      phone: phoneSchema.optional(),
      role: roleSchema.optional(),
      locale: z.enum(['id', 'en']).optional(),
      licence: licenceSchema.nullable().optional(),
      companyIds: companyIdsSchema.optional(),
    })
    .refine((b) => Object.keys(b).length > 0, 'Send at least one field to change'),
  errors: ['NOT_FOUND', 'IDENTIFIER_TAKEN', 'LICENCE_REQUIRED', 'BUSINESS_RULE'],
  response: { status: 200, description: '<user>', schema: userSchema },
  handler: async ({ params, body, principal, ip }) => {
    const p = requirePrincipal(principal);
    return { body: userView(await updateUserByAdmin({ principal: p, actor: actorOf(p, ip), id: params.id, changes: body })) };
  },
});

export const deleteUserRoute = defineRoute({
  method: 'DELETE',
  path: '/idty/users/{id}',
  operationId: 'deleteUser',
  summary: 'Delete a user: deactivated, every session revoked, gone from the lists; kept for the audit trail',
  tags,
  access: 'private',
  permission: 'user:write',
  params: userIdParams,
  errors: ['NOT_FOUND', 'BUSINESS_RULE'],
  response: { status: 204, description: 'Deleted' },
  handler: async ({ params, principal, ip }) => {
    const p = requirePrincipal(principal);
    await deleteUser({ principal: p, actor: actorOf(p, ip), id: params.id });
    return { status: 204 };
  },
});
