import { strict as assert } from 'node:assert';
import type { LeadView } from '../../functions/crm/leads/lead.view.js';
import { bearer, freshIp, signIn, type SignedInUser } from './auth.js';
import { crm } from './crm.js';
import { asSuperAdmin, createCompany } from './owner.js';
import { uniqueContact } from './users.js';

/** Helpers of the lead tests (functions/crm/leads): the routes, a sales team, leads at any pipeline stage. */
export type Lead = LeadView;
export type LeadStatus = Lead['status'];
export const leadStatuses: readonly LeadStatus[] = ['NEW', 'CONTACTED', 'INTERESTED', 'CONVERTED', 'LOST'];

type Query = Record<string, string | number>;

/** Each call from an address of its own, unless the test names one (the audit trail records it). */
export const leadApi = {
  list: (token: string, query: Query = {}) => crm().get('/crm/leads').set(bearer(token)).query(query),
  create: (token: string, body: object, ip = freshIp()) => crm().post('/crm/leads').set('X-Forwarded-For', ip).set(bearer(token)).send(body),
  get: (token: string, id: number | string) => crm().get(`/crm/leads/${id}`).set(bearer(token)),
  put: (token: string, id: number | string, body: object, ip = freshIp()) => crm().put(`/crm/leads/${id}`).set('X-Forwarded-For', ip).set(bearer(token)).send(body),
  delete: (token: string, id: number | string, ip = freshIp()) => crm().delete(`/crm/leads/${id}`).set('X-Forwarded-For', ip).set(bearer(token)),
  convert: (token: string, id: number | string, body?: object) => {
    const req = crm().post(`/crm/leads/${id}/convert`).set(bearer(token));
    return body === undefined ? req : req.send(body);
  },
};

/** A valid POST /crm/leads body with unique contacts. */
export function leadBody(over: Record<string, unknown> = {}): Record<string, unknown> {
  return { fullname: 'Rudi Hartono', ...uniqueContact(), source: 'Referral', ...over };
}

export async function createLead(token: string, body: Record<string, unknown> = leadBody()): Promise<Lead> {
  const res = await leadApi.create(token, body);
  assert.equal(res.status, 201, `create lead: ${JSON.stringify(res.body)}`);
  return res.body as Lead;
}

/** The API steps from NEW to each stage (CONVERTED through the convert route). */
const path: Record<LeadStatus, LeadStatus[]> = {
  NEW: [],
  CONTACTED: ['CONTACTED'],
  INTERESTED: ['CONTACTED', 'INTERESTED'],
  CONVERTED: ['CONTACTED', 'INTERESTED', 'CONVERTED'],
  LOST: ['LOST'],
};

/** A lead of the caller (or, for an admin, of body.ownerId) brought to `status` through the API. */
export async function leadAt(token: string, status: LeadStatus, body: Record<string, unknown> = leadBody()): Promise<Lead> {
  let lead = await createLead(token, body);
  for (const step of path[status]) {
    const res = step === 'CONVERTED' ? await leadApi.convert(token, lead.id) : await leadApi.put(token, lead.id, { status: step });
    assert.equal(res.status, step === 'CONVERTED' ? 201 : 200, `lead ${lead.id} to ${step}: ${JSON.stringify(res.body)}`);
    lead = step === 'CONVERTED' ? res.body.lead : res.body;
  }
  assert.equal(lead.status, status);
  return lead;
}

export interface SalesTeam {
  company: { id: number; code: string; name: string };
  admin: SignedInUser;
  agent: SignedInUser;
  /** Another agent of the same company. */
  colleague: SignedInUser;
}

/** A fresh company with a signed-in admin and two signed-in RM agents. */
export async function salesTeam(): Promise<SalesTeam> {
  const company = await createCompany();
  const [admin, agent, colleague] = await Promise.all([
    signIn({ companyId: company.id, role: 'ADMIN' }),
    signIn({ companyId: company.id, role: 'RM_AGENT' }),
    signIn({ companyId: company.id, role: 'RM_AGENT' }),
  ]);
  return { company, admin, agent, colleague };
}

/** Rows read as the owner with the super-admin setting: lead and the audit trail are under FORCE'd RLS. */
async function read<R>(sql: string, values: unknown[]): Promise<R[]> {
  return asSuperAdmin(async (c) => (await c.query(sql, values)).rows as R[]);
}

export interface StoredLead {
  status: string;
  ownerId: number;
  companyId: number;
  investorId: string | null;
}

/** The lead row as stored, or undefined once deleted. */
export async function storedLead(id: number): Promise<StoredLead | undefined> {
  const [row] = await read<{ status: string; owner_id: string; company_id: string; investor_id: string | null }>(
    `select status, owner_id, company_id, investor_id from lead where id = $1::bigint`,
    [id],
  );
  return row && { status: row.status, ownerId: Number(row.owner_id), companyId: Number(row.company_id), investorId: row.investor_id };
}

/** How many leads a company has, whoever owns them. */
export async function leadCount(companyId: number): Promise<number> {
  const [row] = await read<{ n: number }>(`select count(*)::int as n from lead where company_id = $1::bigint`, [companyId]);
  return row!.n;
}

/** The ids of the investors made from a lead. */
export async function investorsOfLead(leadId: number): Promise<string[]> {
  return (await read<{ id: string }>(`select id from investor where lead_id = $1::bigint order by created_at`, [leadId])).map((r) => r.id);
}

export interface LeadTrailRow {
  action: string;
  actorId: number | null;
  companyId: number;
  ip: string | null;
  before: Record<string, unknown> | null;
  after: Record<string, unknown> | null;
}

/** The audit rows of one lead (entity 'lead'), oldest first. */
export async function leadTrail(id: number): Promise<LeadTrailRow[]> {
  const rows = await read<{ action_name: string; actor_id: string | null; company_id: string; user_ip: string | null; prev_entity_value: Record<string, unknown> | null; new_entity_value: Record<string, unknown> | null }>(
    `select action_name, actor_id, company_id, host(user_ip) as user_ip, prev_entity_value, new_entity_value
       from auth_user_action_log
      where entity = 'lead' and entity_id = $1::text
      order by id`,
    [String(id)],
  );
  return rows.map((r) => ({
    action: r.action_name,
    actorId: r.actor_id === null ? null : Number(r.actor_id),
    companyId: Number(r.company_id),
    ip: r.user_ip,
    before: r.prev_entity_value,
    after: r.new_entity_value,
  }));
}

export const byIdDesc = (ids: number[]) => [...ids].sort((a, b) => b - a);
export const idsOf = (body: { items: Array<{ id: number }> }) => body.items.map((l) => l.id);
