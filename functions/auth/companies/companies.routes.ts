import { z } from 'zod';
import { defineRoute } from '../../../shared/http/route.js';
import { decodeCursor, pageQuery, toPage } from '../../../shared/http/pagination.js';
import { listActiveCompanies } from './company.repo.js';

const company = z.object({ id: z.number().int(), code: z.string(), name: z.string() });
const cursorKey = z.tuple([z.string(), z.number().int().positive()]);

export const listCompaniesRoute = defineRoute({
  method: 'GET',
  path: '/auth/companies',
  operationId: 'listCompanies',
  summary: 'Active companies (tenants) an RM can register into',
  tags: ['Auth'],
  access: 'public',
  query: z.strictObject(pageQuery),
  response: {
    status: 200,
    description: 'Active companies by name',
    schema: z.object({ items: z.array(company), nextCursor: z.string().nullable() }),
  },
  handler: async ({ query }) => {
    const after = decodeCursor(query.cursor, cursorKey);
    const rows = await listActiveCompanies({ after, limit: query.limit + 1 });
    return { body: toPage(rows, query.limit, (r) => [r.name, r.id], (r) => r) };
  },
});
