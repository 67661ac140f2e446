import { bibSyncColumns, toBibSync, type BibSyncRecord, type BibSyncRow, type SyncStatus } from '../bib-sync-view.js';
import type { Queryable } from '../../../shared/db/tx.js';

export const investorStatuses = ['DRAFT', 'SUBMITTED', 'APPROVED', 'REJECTED'] as const;
export type InvestorStatus = (typeof investorStatuses)[number];
export type InvestorType = 'INDIVIDUAL' | 'INSTITUTIONAL';
export type RiskCategory = 'CONSERVATIVE' | 'MODERATE' | 'AGGRESSIVE';
export type { SyncStatus } from '../bib-sync-view.js';

export interface RiskProfile {
  questionnaireVersion: string;
  answers: { questionId: string; value: string }[];
  score: number;
  category: RiskCategory;
}

export interface InvestorRecord {
  id: string;
  companyId: number;
  agentId: number;
  type: InvestorType;
  status: InvestorStatus;
  fullName: string;
  email: string | null;
  phone: string | null;
  idNumberLast4: string | null;
  leadId: number | null;
  riskProfile: RiskProfile | null;
  submittedAt: Date | null;
  decidedBy: number | null;
  decidedAt: Date | null;
  rejectedReason: string | null;
  externalId: string | null;
  syncStatus: SyncStatus;
  sync: BibSyncRecord;
  createdAt: Date;
  updatedAt: Date;
}

interface InvestorRow extends BibSyncRow {
  id: string;
  company_id: string;
  agent_id: string;
  type: InvestorType;
  status: InvestorStatus;
  full_name: string;
  email: string | null;
  phone: string | null;
  id_number_last4: string | null;
  lead_id: string | null;
  risk_questionnaire_version: string | null;
  risk_answers: RiskProfile['answers'] | null;
  risk_score: number | null;
  risk_category: RiskCategory | null;
  submitted_at: Date | null;
  decided_by: string | null;
  decided_at: Date | null;
  rejected_reason: string | null;
  external_id: string | null;
  sync_status: SyncStatus;
  created_at: Date;
  updated_at: Date;
}

export const investorColumns = `i.id, i.company_id, i.agent_id, i.type, i.status, i.full_name, i.email, i.phone, i.id_number_last4,
       i.lead_id, i.risk_questionnaire_version, i.risk_answers, i.risk_score, i.risk_category, i.submitted_at, i.decided_by,
       i.decided_at, i.rejected_reason, i.external_id, i.sync_status, ${bibSyncColumns}, i.created_at, i.updated_at`;

const num = (v: string | null) => (v === null ? null : Number(v));

export function toInvestor(r: InvestorRow): InvestorRecord {
  return {
    id: r.id,
    companyId: Number(r.company_id),
    agentId: Number(r.agent_id),
    type: r.type,
    status: r.status,
    fullName: r.full_name,
    email: r.email,
    phone: r.phone,
    idNumberLast4: r.id_number_last4,
    leadId: num(r.lead_id),
    riskProfile:
      r.risk_category === null
        ? null
        : { questionnaireVersion: r.risk_questionnaire_version!, answers: r.risk_answers ?? [], score: r.risk_score!, category: r.risk_category },
    submittedAt: r.submitted_at,
    decidedBy: num(r.decided_by),
    decidedAt: r.decided_at,
    rejectedReason: r.rejected_reason,
    externalId: r.external_id,
    syncStatus: r.sync_status,
    sync: toBibSync(r),
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  };
}

/** A converted lead's investor: the name and contacts the RM had, KYC to follow. */
export async function insertDraftInvestor(
  q: Queryable,
  d: { companyId: number; agentId: number; type: InvestorType; fullName: string; email: string | null; phone: string | null; leadId: number },
): Promise<InvestorRecord> {
  const { rows } = await q.query<InvestorRow>(
    `insert into investor as i (company_id, agent_id, type, status, full_name, email, phone, lead_id, created_by)
     values ($1::bigint, $2::bigint, $3::text, 'DRAFT', $4::text, $5::text, $6::text, $7::bigint, app.user_id())
     returning ${investorColumns}`,
    [d.companyId, d.agentId, d.type, d.fullName, d.email, d.phone, d.leadId],
  );
  return toInvestor(rows[0]!);
}

export interface SubmittedInvestor {
  companyId: number;
  agentId: number;
  type: InvestorType;
  fullName: string;
  email: string;
  phone: string;
  idNumberHash: string;
  idNumberLast4: string;
  leadId: number | null;
  riskProfile: RiskProfile | null;
}

function submittedValues(s: SubmittedInvestor): unknown[] {
  const r = s.riskProfile;
  return [s.type, s.fullName, s.email, s.phone, s.idNumberHash, s.idNumberLast4, r?.questionnaireVersion ?? null, r ? JSON.stringify(r.answers) : null, r?.score ?? null, r?.category ?? null];
}

/**
 * A new SUBMITTED investor, or (existingId) an existing one submitted again: a converted lead's draft completed,
 * or a rejected investor corrected, whose earlier decision is cleared for the next review.
 */
export async function saveSubmittedInvestor(q: Queryable, s: SubmittedInvestor, existingId?: string): Promise<InvestorRecord> {
  const values = existingId ? [...submittedValues(s), existingId] : [...submittedValues(s), s.companyId, s.agentId, s.leadId];
  const text = existingId
    ? `update investor i
          set type = $1::text, full_name = $2::text, email = $3::text, phone = $4::text, id_number_hash = $5::text,
              id_number_last4 = $6::text, risk_questionnaire_version = $7::text, risk_answers = $8::jsonb,
              risk_score = $9::int, risk_category = $10::text, status = 'SUBMITTED', submitted_at = now(),
              decided_by = null, decided_at = null, rejected_reason = null
        where i.id = $11::uuid and i.status in ('DRAFT', 'REJECTED')
       returning ${investorColumns}`
    : `insert into investor as i (type, full_name, email, phone, id_number_hash, id_number_last4, risk_questionnaire_version,
          risk_answers, risk_score, risk_category, company_id, agent_id, lead_id, status, submitted_at, created_by)
       values ($1::text, $2::text, $3::text, $4::text, $5::text, $6::text, $7::text, $8::jsonb, $9::int, $10::text,
               $11::bigint, $12::bigint, $13::bigint, 'SUBMITTED', now(), app.user_id())
       returning ${investorColumns}`;
  const { rows } = await q.query<InvestorRow>(text, values);
  return toInvestor(rows[0]!);
}

/** Visible investors (RLS: tenant, and own for agents), locked when asked, in id order so lockers never deadlock. */
export async function findInvestors(q: Queryable, ids: readonly string[], forUpdate = false): Promise<InvestorRecord[]> {
  const { rows } = await q.query<InvestorRow>(
    `select ${investorColumns} from investor i where i.id = any ($1::uuid[]) order by i.id${forUpdate ? ' for update' : ''}`,
    [ids],
  );
  return rows.map(toInvestor);
}

export async function findInvestor(q: Queryable, id: string, forUpdate = false): Promise<InvestorRecord | undefined> {
  return (await findInvestors(q, [id], forUpdate))[0];
}

/** The caller's own live investor with this identity, if any (agents see only theirs). */
export async function findLiveInvestorByIdentity(q: Queryable, companyId: number, idNumberHash: string): Promise<string | undefined> {
  const { rows } = await q.query<{ id: string }>(
    `select id from investor where company_id = $1::bigint and id_number_hash = $2::text and status <> 'REJECTED'`,
    [companyId, idNumberHash],
  );
  return rows[0]?.id;
}

export type Decision = { status: 'APPROVED' } | { status: 'REJECTED'; reason: string };

export async function recordDecision(q: Queryable, ids: readonly string[], d: Decision): Promise<InvestorRecord[]> {
  const { rows } = await q.query<InvestorRow>(
    `update investor i
        set status = $2::text, decided_by = app.user_id(), decided_at = now(), rejected_reason = $3::text,
            sync_status = case when $2::text = 'APPROVED' then 'PENDING' else i.sync_status end
      where i.id = any ($1::uuid[])
     returning ${investorColumns}`,
    [ids, d.status, d.status === 'REJECTED' ? d.reason : null],
  );
  return rows.map(toInvestor);
}

export async function setExternalId(q: Queryable, id: string, externalId: string): Promise<InvestorRecord> {
  const { rows } = await q.query<InvestorRow>(
    `update investor i set external_id = $2::text, sync_status = 'SYNCED' where i.id = $1::uuid returning ${investorColumns}`,
    [id, externalId],
  );
  return toInvestor(rows[0]!);
}
