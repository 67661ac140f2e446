import { z } from 'zod';
import { defineRoute } from '../../../shared/http/route.js';
import { decodeCursor, pageQuery, toPage } from '../../../shared/http/pagination.js';
import { withTransaction } from '../../../shared/db/tx.js';
import { actorOf, requirePrincipal } from '../../../shared/auth/actor.js';
import { containsPattern } from '../../../shared/db/like.js';
import { listCompanies, type CompanyRecord } from './company.repo.js';
import { changeCompany, companyById, createCompany } from './manage-company.js';

const tags = ['Identity'];
const status = z.enum(['ACTIVE', 'INACTIVE']);
export const companySchema = z.object({
  id: z.number().int(),
  code: z.string(),
  name: z.string(),
  status,
  /** How long an investor's emailed link (signature, remote registration) works, in hours (1-168). */
  investorLinkTtlHours: z.number().int(),
  createdAt: z.iso.datetime(),
  updatedAt: z.iso.datetime(),
});
const companyView = (c: CompanyRecord) => ({
  ...c,
  id: Number(c.id),
  createdAt: c.createdAt.toISOString(),
  updatedAt: c.updatedAt.toISOString(),
});
const nameSchema = z.string().trim().min(2).max(200);
const params = z.strictObject({ id: z.coerce.number().int().positive() });

export const listCompaniesAdminRoute = defineRoute({
  method: 'GET',
  path: '/idty/companies',
  operationId: 'listCompaniesAdmin',
  summary: 'Every tenant, active or not, by name (filters: status, q in name or code)',
  tags,
  access: 'private',
  permission: 'company:read',
  query: z.strictObject({ status: status.optional(), q: z.string().trim().min(1).max(100).optional(), ...pageQuery }),
  response: { status: 200, description: 'A page of companies', schema: z.object({ items: z.array(companySchema), nextCursor: z.string().nullable() }) },
  handler: async ({ query, principal, ip }) => {
    const p = requirePrincipal(principal);
    const after = decodeCursor(query.cursor, z.tuple([z.string(), z.number().int().positive()]));
    const rows = await withTransaction(actorOf(p, ip), (tx) =>
      listCompanies(tx, { status: query.status, pattern: query.q && containsPattern(query.q), after, limit: query.limit + 1 }),
    );
    return { body: toPage(rows, query.limit, (c) => [c.name, Number(c.id)], companyView) };
  },
});

export const createCompanyRoute = defineRoute({
  method: 'POST',
  path: '/idty/companies',
  operationId: 'createCompany',
  summary: 'Create a tenant (active); then create its first admin with POST /idty/users',
  tags,
  access: 'private',
  permission: 'company:write',
  body: z.strictObject({ code: z.string().trim().toUpperCase().regex(/^[A-Z0-9][A-Z0-9_-]{1,31}$/, '2 to 32 letters, digits, _ or -'), name: nameSchema }),
  errors: ['CONFLICT'],
  response: { status: 201, description: 'The company', schema: companySchema },
  handler: async ({ body, principal, ip }) => {
    const p = requirePrincipal(principal);
    const company = await createCompany({ actor: actorOf(p, ip), ...body });
    return { status: 201, body: companyView(company), headers: { Location: `/idty/companies/${company.id}` } };
  },
});

export const getCompanyRoute = defineRoute({
  method: 'GET',
  path: '/idty/companies/{id}',
  operationId: 'getCompany',
  summary: 'One tenant',
  tags,
  access: 'private',
  permission: 'company:read',
  params,
  errors: ['NOT_FOUND'],
  response: { status: 200, description: 'The company', schema: companySchema },
  handler: async ({ params, principal, ip }) => {
    const p = requirePrincipal(principal);
    return { body: companyView(await companyById({ actor: actorOf(p, ip), id: params.id })) };
  },
});

export const updateCompanyRoute = defineRoute({
  method: 'PUT',
  path: '/idty/companies/{id}',
  operationId: 'updateCompany',
  summary: 'Rename a tenant (its code never changes) or set how long its investors’ emailed links work (investorLinkTtlHours, 1 to 168)',
  tags,
  access: 'private',
  permission: 'company:write',
  params,
  body: z
    .strictObject({ name: nameSchema.optional(), investorLinkTtlHours: z.number().int().min(1).max(168).optional() })
    .refine((b) => b.name !== undefined || b.investorLinkTtlHours !== undefined, 'Send name or investorLinkTtlHours'),
  errors: ['NOT_FOUND'],
  response: { status: 200, description: 'The company', schema: companySchema },
  handler: async ({ params, body, principal, ip }) => {
    const p = requirePrincipal(principal);
    return { body: companyView(await changeCompany({ actor: actorOf(p, ip), id: params.id, ...body })) };
  },
});

export const companyActiveOrDeRoute = defineRoute({
  method: 'PATCH',
  path: '/idty/companies/{id}/activeOrDe',
  operationId: 'activateOrDeactivateCompany',
  summary: 'Deactivate a tenant (its users’ sessions end, sign-in is refused, it leaves GET /auth/companies) or activate it again',
  tags,
  access: 'private',
  permission: 'company:write',
  params,
  body: z.strictObject({ active: z.boolean() }),
  errors: ['NOT_FOUND', 'BUSINESS_RULE'],
  response: { status: 200, description: 'The company', schema: companySchema },
  handler: async ({ params, body, principal, ip }) => {
    const p = requirePrincipal(principal);
    return { body: companyView(await changeCompany({ actor: actorOf(p, ip), id: params.id, active: body.active })) };
  },
});
