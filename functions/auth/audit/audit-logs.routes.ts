import { z } from 'zod';
import { defineRoute } from '../../../shared/http/route.js';
import { decodeCursor, pageQuery, toPage } from '../../../shared/http/pagination.js';
import { withTransaction } from '../../../shared/db/tx.js';
import { actorOf, requirePrincipal } from '../../../shared/auth/actor.js';
import { listAuditEntries } from './audit-log.repo.js';

const entrySchema = z.object({
  id: z.number().int(),
  entity: z.string(),
  entityId: z.string(),
  action: z.enum(['add', 'update', 'delete', 'reveal']),
  actorId: z.number().int().nullable(),
  ip: z.string().nullable(),
  before: z.record(z.string(), z.unknown()).nullable(),
  after: z.record(z.string(), z.unknown()).nullable(),
  createdAt: z.iso.datetime(),
});

/** An ISO timestamp in microseconds: Date.parse stops at the millisecond, the trail (and its cursor) does not. */
const micros = (iso: string) => Date.parse(iso) * 1000 + Number((/\.\d{3}(\d{1,3})/.exec(iso)?.[1] ?? '').padEnd(3, '0'));

export const listAuditLogsRoute = defineRoute({
  method: 'GET',
  path: '/idty/audit-logs',
  operationId: 'listAuditLogs',
  summary: 'The audit trail of the caller’s companies, newest first (filters: entity, entityId, actorId, from ≤ time < to)',
  tags: ['Identity'],
  access: 'private',
  permission: 'audit:read',
  query: z
    .strictObject({
      entity: z.string().regex(/^[a-z_]{2,40}$/).optional(),
      entityId: z.string().min(1).max(64).optional(),
      actorId: z.coerce.number().int().positive().optional(),
      from: z.iso.datetime({ offset: true }).optional(),
      to: z.iso.datetime({ offset: true }).optional(),
      ...pageQuery,
    })
    .refine((q) => !q.entityId || q.entity, { path: ['entityId'], message: 'Name the entity too' })
    .refine((q) => !q.from || !q.to || micros(q.from) < micros(q.to), { path: ['to'], message: 'Must be after from' }),
  response: { status: 200, description: 'A page of audit entries', schema: z.object({ items: z.array(entrySchema), nextCursor: z.string().nullable() }) },
  handler: async ({ query, principal, ip }) => {
    const p = requirePrincipal(principal);
    const before = decodeCursor(query.cursor, z.tuple([z.iso.datetime(), z.number().int().positive()]));
    const rows = await withTransaction(actorOf(p, ip), (tx) =>
      listAuditEntries(tx, {
        companyIds: p.role === 'SUPER_ADMIN' ? null : p.companyIds,
        entity: query.entity,
        entityId: query.entityId,
        actorId: query.actorId,
        from: query.from,
        to: query.to,
        before,
        limit: query.limit + 1,
      }),
    );
    return {
      body: toPage(rows, query.limit, (r) => [r.createdAtKey, r.id], ({ createdAtKey: _key, ...r }) => ({ ...r, createdAt: r.createdAt.toISOString() })),
    };
  },
});
