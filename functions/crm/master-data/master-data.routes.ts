import { z } from 'zod';
import { defineRoute } from '../../../shared/http/route.js';
import { listActiveBanks } from './master-data.repo.js';
import { listLocationsOf } from './list-locations.js';

// Master data changes a few times a year; clients and the CDN may keep it for an hour.
const masterDataCache = 'public, max-age=3600';

const bank = z.object({
  code: z.string().describe('Bank Indonesia clearing code (sandi bank)'),
  name: z.string(),
  shortName: z.string(),
  swiftCode: z.string().nullable(),
  isSharia: z.boolean(),
});

export const listBanksRoute = defineRoute({
  method: 'GET',
  path: '/crm/banks',
  operationId: 'listBanks',
  summary: 'Indonesian banks with their clearing codes',
  tags: ['Master data'],
  access: 'public',
  query: z.strictObject({}),
  cacheControl: masterDataCache,
  response: { status: 200, description: 'Every active bank, by name', schema: z.object({ items: z.array(bank) }) },
  handler: async () => ({ body: { items: await listActiveBanks() } }),
});

const levelParent = { city: /^\d{2}$/, district: /^\d{2}\.\d{2}$/ } as const;

const locationsQuery = z
  .strictObject({
    level: z.enum(['province', 'city', 'district']).default('province'),
    parent: z.string().max(16).optional().describe('Province code for level=city, city code for level=district'),
  })
  .superRefine((q, ctx) => {
    if (q.level === 'province') {
      if (q.parent !== undefined) ctx.addIssue({ code: 'custom', path: ['parent'], message: 'Provinces have no parent' });
      return;
    }
    if (q.parent === undefined) ctx.addIssue({ code: 'custom', path: ['parent'], message: `Required for level=${q.level}` });
    else if (!levelParent[q.level].test(q.parent)) {
      ctx.addIssue({ code: 'custom', path: ['parent'], message: q.level === 'city' ? 'A province code like 31' : 'A city code like 31.71' });
    }
  });

export const listLocationsRoute = defineRoute({
  method: 'GET',
  path: '/crm/locations',
  operationId: 'listLocations',
  summary: 'Provinces, the cities/regencies of a province, or the districts of a city (Kemendagri codes)',
  tags: ['Master data'],
  access: 'public',
  query: locationsQuery,
  cacheControl: masterDataCache,
  errors: ['NOT_FOUND'],
  response: {
    status: 200,
    description: 'The areas of that level under the parent, by name',
    schema: z.object({ items: z.array(z.object({ code: z.string(), name: z.string(), parentCode: z.string().nullable() })) }),
  },
  handler: async ({ query }) => ({ body: { items: await listLocationsOf(query) } }),
});
