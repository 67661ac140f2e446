import type { Queryable } from '../../../shared/db/tx.js';
import { QueryParams } from '../../../shared/db/query-params.js';

export const leadStatuses = ['NEW', 'CONTACTED', 'INTERESTED', 'CONVERTED', 'LOST'] as const;
export type LeadStatus = (typeof leadStatuses)[number];

export interface LeadRecord {
  id: number;
  companyId: number;
  ownerId: number;
  fullname: string;
  phone: string | null;
  email: string | null;
  source: string | null;
  notes: string | null;
  status: LeadStatus;
  nextFollowUpAt: Date | null;
  investorId: string | null;
  createdAt: Date;
  updatedAt: Date;
}

interface LeadRow {
  id: string;
  company_id: string;
  owner_id: string;
  fullname: string;
  phone: string | null;
  email: string | null;
  source: string | null;
  notes: string | null;
  status: LeadStatus;
  next_follow_up_at: Date | null;
  investor_id: string | null;
  created_at: Date;
  updated_at: Date;
}

const leadColumns = `l.id, l.company_id, l.owner_id, l.fullname, l.phone, l.email, l.source, l.notes, l.status,
       l.next_follow_up_at, l.investor_id, l.created_at, l.updated_at`;

function toRecord(r: LeadRow): LeadRecord {
  return {
    id: Number(r.id),
    companyId: Number(r.company_id),
    ownerId: Number(r.owner_id),
    fullname: r.fullname,
    phone: r.phone,
    email: r.email,
    source: r.source,
    notes: r.notes,
    status: r.status,
    nextFollowUpAt: r.next_follow_up_at,
    investorId: r.investor_id,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  };
}

export interface LeadFields {
  fullname: string;
  phone?: string | null;
  email?: string | null;
  source?: string | null;
  notes?: string | null;
  nextFollowUpAt?: string | null;
}

export async function insertLead(q: Queryable, l: LeadFields & { companyId: number; ownerId: number }): Promise<LeadRecord> {
  const { rows } = await q.query<LeadRow>(
    `insert into lead as l (company_id, owner_id, fullname, phone, email, source, notes, next_follow_up_at, created_by)
     values ($1::bigint, $2::bigint, $3::text, $4::text, $5::text, $6::text, $7::text, $8::timestamptz, app.user_id())
     returning ${leadColumns}`,
    [l.companyId, l.ownerId, l.fullname, l.phone ?? null, l.email ?? null, l.source ?? null, l.notes ?? null, l.nextFollowUpAt ?? null],
  );
  return toRecord(rows[0]!);
}

/** A lead the caller may see (RLS: its tenant, and its own for agents); `forUpdate` locks it. */
export async function findLead(q: Queryable, id: number, forUpdate = false): Promise<LeadRecord | undefined> {
  const { rows } = await q.query<LeadRow>(`select ${leadColumns} from lead l where l.id = $1::bigint${forUpdate ? ' for update' : ''}`, [id]);
  return rows[0] && toRecord(rows[0]);
}

export interface LeadChanges extends Partial<LeadFields> {
  status?: LeadStatus;
  ownerId?: number;
  investorId?: string;
}

const changeColumns: Record<keyof LeadChanges, [column: string, cast: string]> = {
  fullname: ['fullname', 'text'],
  phone: ['phone', 'text'],
  email: ['email', 'text'],
  source: ['source', 'text'],
  notes: ['notes', 'text'],
  nextFollowUpAt: ['next_follow_up_at', 'timestamptz'],
  status: ['status', 'text'],
  ownerId: ['owner_id', 'bigint'],
  investorId: ['investor_id', 'uuid'],
};

export async function updateLead(q: Queryable, id: number, changes: LeadChanges): Promise<LeadRecord> {
  const values: unknown[] = [id];
  const sets: string[] = [];
  for (const [key, value] of Object.entries(changes)) {
    if (value === undefined) continue;
    const [column, cast] = changeColumns[key as keyof LeadChanges];
    values.push(value);
    sets.push(`${column} = $${values.length}::${cast}`);
  }
  const { rows } = await q.query<LeadRow>(
    `update lead l set ${sets.length ? sets.join(', ') : 'updated_at = l.updated_at'} where l.id = $1::bigint returning ${leadColumns}`,
    values,
  );
  return toRecord(rows[0]!);
}

export async function deleteLead(q: Queryable, id: number): Promise<void> {
  await q.query(`delete from lead where id = $1::bigint`, [id]);
}

export interface LeadFilter {
  companyIds: readonly number[];
  ownerId?: number;
  status?: LeadStatus;
  /** Already a LIKE pattern. */
  pattern?: string;
  beforeId?: number;
  limit: number;
}

/**
 * One page of leads, newest first: each company an index range of its own (lead_company_owner_id for an
 * owner, lead_company_status_id or lead_company_id otherwise), merged, as the user list does.
 */
export async function listLeads(q: Queryable, f: LeadFilter): Promise<LeadRecord[]> {
  const params = new QueryParams(f.companyIds, f.limit).and('l.company_id = c.id');
  if (f.ownerId !== undefined) params.and(`l.owner_id = ${params.param(f.ownerId)}::bigint`);
  if (f.status) params.and(`l.status = ${params.param(f.status)}::text`);
  if (f.pattern) {
    const p = params.param(f.pattern);
    params.and(`(l.fullname ilike ${p}::text or l.email ilike ${p}::text or l.phone like ${p}::text)`);
  }
  if (f.beforeId !== undefined) params.and(`l.id < ${params.param(f.beforeId)}::bigint`);
  const { rows } = await q.query<LeadRow>(
    `select x.* from unnest($1::bigint[]) as c (id)
      cross join lateral (
        select ${leadColumns} from lead l
         where ${params.where.join(' and ')}
         order by l.id desc
         limit $2::int) as x
      order by x.id desc
      limit $2::int`,
    params.values,
  );
  return rows.map(toRecord);
}
