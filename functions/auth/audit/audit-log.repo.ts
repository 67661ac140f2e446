import type { Queryable } from '../../../shared/db/tx.js';
import { QueryParams } from '../../../shared/db/query-params.js';

export interface AuditEntry {
  id: number;
  entity: string;
  entityId: string;
  action: 'add' | 'update' | 'delete' | 'reveal';
  actorId: number | null;
  ip: string | null;
  before: Record<string, unknown> | null;
  after: Record<string, unknown> | null;
  createdAt: Date;
  /** created_at to the microsecond (ISO, UTC) for the cursor. */
  createdAtKey: string;
}

export interface AuditFilter {
  /** Companies to read; null: the whole trail (super admins). */
  companyIds: readonly number[] | null;
  entity?: string;
  entityId?: string;
  actorId?: number;
  from?: string;
  to?: string;
  /** The (createdAtKey, id) of the last entry of the previous page. */
  before?: [string, number];
  limit: number;
}

/**
 * Audit entries, newest first. For admins each company is read as an index range of its own
 * (auth_user_action_log_company_time, or the entity and actor indexes when those filters narrow more) and the
 * pages are merged; super admins page the whole trail on auth_user_action_log_time.
 */
export async function listAuditEntries(q: Queryable, f: AuditFilter): Promise<AuditEntry[]> {
  const params = new QueryParams(f.limit);
  if (f.entity) params.and(`l.entity = ${params.param(f.entity)}::text`);
  if (f.entityId) params.and(`l.entity_id = ${params.param(f.entityId)}::text`);
  if (f.actorId !== undefined) params.and(`l.actor_id = ${params.param(f.actorId)}::bigint`);
  if (f.from) params.and(`l.created_at >= ${params.param(f.from)}::timestamptz`);
  if (f.to) params.and(`l.created_at < ${params.param(f.to)}::timestamptz`);
  if (f.before) params.and(`(l.created_at, l.id) < (${params.param(f.before[0])}::timestamptz, ${params.param(f.before[1])}::bigint)`);
  const where = params.where;
  const select = `select l.id, l.entity, l.entity_id as "entityId", l.action_name as action, l.actor_id as "actorId", host(l.user_ip) as ip,
         l.prev_entity_value as before, l.new_entity_value as after, l.created_at as "createdAt",
         to_char(l.created_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') as "createdAtKey"
    from auth_user_action_log l`;
  const order = 'order by l.created_at desc, l.id desc limit $1::int';
  let sql: string;
  if (f.companyIds === null) {
    sql = `${select} ${where.length ? `where ${where.join(' and ')}` : ''} ${order}`;
  } else {
    sql = `select l.* from unnest(${params.param(f.companyIds)}::bigint[]) as c (id)
      cross join lateral (${select} where ${['l.company_id = c.id', ...where].join(' and ')} ${order}) as l
      order by l."createdAt" desc, l.id desc limit $1::int`;
  }
  const { rows } = await q.query<AuditEntry>(sql, params.values);
  return rows.map((r) => ({ ...r, id: Number(r.id), actorId: r.actorId === null ? null : Number(r.actorId) }));
}
