import type { Queryable } from '../../../shared/db/tx.js';
import type { BibOrderStatus } from '../../../shared/bib/contract.js';
import { bibSyncColumns, toBibSync, type BibSyncRecord, type BibSyncRow, type SyncStatus } from '../bib-sync-view.js';
import type { InstructionStatus } from '../../../shared/instructions/instruction-status.js';
import type { Suitability } from './suitability.js';

export const instructionTypes = ['SUBSCRIPTION', 'REDEMPTION', 'SWITCHING'] as const;
export type InstructionType = (typeof instructionTypes)[number];

export interface InstructionRecord {
  id: string;
  companyId: number;
  investorId: string;
  agentId: number;
  type: InstructionType;
  productCode: string;
  /** The fund's name as it was when the instruction was made (Bib owns the catalogue). */
  productName: string;
  targetProductCode: string | null;
  targetProductName: string | null;
  /** Decimal strings, as Postgres gives numeric. */
  amount: string | null;
  units: string | null;
  bankAccountId: number | null;
  feePct: string | null;
  suitability: Suitability;
  status: InstructionStatus;
  linkExpiresAt: Date;
  signedAt: Date | null;
  investorReason: string | null;
  cancelledBy: number | null;
  cancelledAt: Date | null;
  cancelReason: string | null;
  externalId: string | null;
  syncStatus: SyncStatus;
  sync: BibSyncRecord;
  /** The order's status at Bib, once it has one. */
  bibOrderStatus: BibOrderStatus | null;
  failureReason: string | null;
  createdAt: Date;
  updatedAt: Date;
}

export interface InstructionRow extends BibSyncRow {
  id: string;
  company_id: string;
  investor_id: string;
  agent_id: string;
  type: InstructionType;
  product_code: string;
  product_name: string;
  target_product_code: string | null;
  target_product_name: string | null;
  amount: string | null;
  units: string | null;
  bank_account_id: string | null;
  fee_pct: string | null;
  suitability: Suitability;
  status: InstructionStatus;
  link_expires_at: Date;
  signed_at: Date | null;
  investor_reason: string | null;
  cancelled_by: string | null;
  cancelled_at: Date | null;
  cancel_reason: string | null;
  external_id: string | null;
  sync_status: SyncStatus;
  bib_order_status: BibOrderStatus | null;
  failure_reason: string | null;
  created_at: Date;
  updated_at: Date;
}

export const instructionColumns = `i.id, i.company_id, i.investor_id, i.agent_id, i.type, i.product_code, i.product_name,
       i.target_product_code, i.target_product_name, i.amount, i.units, i.bank_account_id, i.fee_pct, i.suitability, i.status, i.link_expires_at, i.signed_at,
       i.investor_reason, i.cancelled_by, i.cancelled_at, i.cancel_reason, i.external_id, i.sync_status, ${bibSyncColumns},
       i.bib_order_status, i.failure_reason, i.created_at, i.updated_at`;

const num = (v: string | null) => (v === null ? null : Number(v));

export function toInstruction(r: InstructionRow): InstructionRecord {
  return {
    id: r.id,
    companyId: Number(r.company_id),
    investorId: r.investor_id,
    agentId: Number(r.agent_id),
    type: r.type,
    productCode: r.product_code,
    productName: r.product_name,
    targetProductCode: r.target_product_code,
    targetProductName: r.target_product_name,
    amount: r.amount,
    units: r.units,
    bankAccountId: num(r.bank_account_id),
    feePct: r.fee_pct,
    suitability: r.suitability,
    status: r.status,
    linkExpiresAt: r.link_expires_at,
    signedAt: r.signed_at,
    investorReason: r.investor_reason,
    cancelledBy: num(r.cancelled_by),
    cancelledAt: r.cancelled_at,
    cancelReason: r.cancel_reason,
    externalId: r.external_id,
    syncStatus: r.sync_status,
    sync: toBibSync(r),
    bibOrderStatus: r.bib_order_status,
    failureReason: r.failure_reason,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  };
}

export interface NewInstruction {
  companyId: number;
  investorId: string;
  agentId: number;
  type: InstructionType;
  productCode: string;
  productName: string;
  targetProductCode: string | null;
  targetProductName: string | null;
  /** House, type and risk of the funds as Bib's catalogue listed them: kept for the signing page and evidence. */
  productDetails: FundDetails;
  targetProductDetails: FundDetails | null;
  amount: string | null;
  units: string | null;
  bankAccountId: number | null;
  feePct: string | null;
  suitability: Suitability;
}

export interface FundDetails {
  productHouse: string;
  type: string;
  riskLevel: number;
}

/** A PENDING_SIGNATURE instruction whose link runs for the company's investor_link_ttl_hours from now. */
export async function insertInstruction(q: Queryable, n: NewInstruction): Promise<InstructionRecord> {
  const { rows } = await q.query<InstructionRow>(
    `insert into instruction as i (company_id, investor_id, agent_id, type, product_code, product_name, target_product_code,
        target_product_name, amount, units, bank_account_id, fee_pct, suitability, link_expires_at, created_by,
        product_house, product_type, product_risk_level, target_product_house, target_product_type, target_product_risk_level)
     select c.id, $2::uuid, $3::bigint, $4::text, $5::text, $6::text, $7::text, $8::text, $9::numeric, $10::numeric, $11::bigint,
            $12::numeric, $13::jsonb, now() + make_interval(hours => c.investor_link_ttl_hours), app.user_id(),
            $14::text, $15::text, $16::int, $17::text, $18::text, $19::int
       from auth_company c
      where c.id = $1::bigint
     returning ${instructionColumns}`,
    [
      n.companyId, n.investorId, n.agentId, n.type, n.productCode, n.productName, n.targetProductCode, n.targetProductName,
      n.amount, n.units, n.bankAccountId, n.feePct, JSON.stringify(n.suitability),
      n.productDetails.productHouse, n.productDetails.type, n.productDetails.riskLevel,
      n.targetProductDetails?.productHouse ?? null, n.targetProductDetails?.type ?? null, n.targetProductDetails?.riskLevel ?? null,
    ],
  );
  return toInstruction(rows[0]!);
}

/** An instruction the caller may see (RLS: its tenant, and its own for agents); `forUpdate` locks it. */
export async function findInstruction(q: Queryable, id: string, forUpdate = false): Promise<InstructionRecord | undefined> {
  const { rows } = await q.query<InstructionRow>(`select ${instructionColumns} from instruction i where i.id = $1::uuid${forUpdate ? ' for update' : ''}`, [id]);
  return rows[0] && toInstruction(rows[0]);
}

export async function markCancelled(q: Queryable, id: string, reason: string | null): Promise<InstructionRecord> {
  const { rows } = await q.query<InstructionRow>(
    `update instruction i
        set status = 'CANCELLED', cancelled_by = app.user_id(), cancelled_at = now(), cancel_reason = $2::text
      where i.id = $1::uuid
     returning ${instructionColumns}`,
    [id, reason],
  );
  return toInstruction(rows[0]!);
}

/** A fresh link lifetime from now, for a new link. */
export async function renewLinkExpiry(q: Queryable, id: string): Promise<InstructionRecord> {
  const { rows } = await q.query<InstructionRow>(
    `update instruction i
        set link_expires_at = now() + make_interval(hours => c.investor_link_ttl_hours)
       from auth_company c
      where i.id = $1::uuid and c.id = i.company_id
     returning ${instructionColumns}`,
    [id],
  );
  return toInstruction(rows[0]!);
}
