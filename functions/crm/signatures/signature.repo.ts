import type { Queryable } from '../../../shared/db/tx.js';
import type { InstructionStatus } from '../../../shared/instructions/instruction-status.js';

/** An instruction with everything its signing page shows, read in one statement as the tenant sees it. */
export interface SignatureSource {
  id: string;
  companyId: number;
  agentId: number;
  type: 'SUBSCRIPTION' | 'REDEMPTION' | 'SWITCHING';
  status: InstructionStatus;
  investorName: string;
  investorEmail: string | null;
  product: SourceProduct;
  targetProduct: SourceProduct | null;
  /** Decimal strings as Postgres gives numeric: "1500000.00", "125.5000", "1.50". */
  amount: string | null;
  units: string | null;
  feePct: string | null;
  /** round(amount × fee% / 100, 2), when both are known. */
  estimatedFee: string | null;
  bankAccount: { bankName: string; accountNumberLast4: string } | null;
  /** instruction.suitability as stored (functions/crm/instructions/suitability.ts). */
  suitability: Record<string, unknown>;
  agentName: string;
  createdAt: Date;
  linkExpiresAt: Date;
}

/** A fund as the instruction keeps it, as it was when the instruction was made (details null on rows older than 0009's backfill could fill). */
export interface SourceProduct {
  code: string;
  name: string;
  productHouse: string | null;
  type: string | null;
  riskLevel: number | null;
}

interface SourceRow {
  id: string;
  company_id: string;
  agent_id: string;
  type: SignatureSource['type'];
  status: InstructionStatus;
  investor_name: string;
  investor_email: string | null;
  product: SourceProduct;
  target_product: SourceProduct | null;
  amount: string | null;
  units: string | null;
  fee_pct: string | null;
  estimated_fee: string | null;
  bank_name: string | null;
  account_number_last4: string | null;
  suitability: Record<string, unknown>;
  agent_name: string;
  created_at: Date;
  link_expires_at: Date;
}

/** `forUpdate` locks the instruction row: the decision and a cancellation exclude each other. */
export async function findSignatureSource(q: Queryable, id: string, opts: { forUpdate?: boolean } = {}): Promise<SignatureSource | undefined> {
  const { rows } = await q.query<SourceRow>(
    `select i.id, i.company_id, i.agent_id, i.type, i.status, v.full_name as investor_name, v.email as investor_email,
            json_build_object('code', i.product_code, 'name', i.product_name, 'productHouse', i.product_house,
                              'type', i.product_type, 'riskLevel', i.product_risk_level) as product,
            case when i.target_product_code is null then null
                 else json_build_object('code', i.target_product_code, 'name', i.target_product_name,
                                        'productHouse', i.target_product_house, 'type', i.target_product_type,
                                        'riskLevel', i.target_product_risk_level) end as target_product,
            i.amount::text as amount, i.units::text as units, i.fee_pct::text as fee_pct,
            round(i.amount * i.fee_pct / 100, 2)::text as estimated_fee,
            b.name as bank_name, a.account_number_last4, i.suitability, u.fullname as agent_name, i.created_at, i.link_expires_at
       from instruction i
       join investor v on v.id = i.investor_id
       join auth_user u on u.id = i.agent_id
       left join investor_bank_account a on a.id = i.bank_account_id
       left join bank b on b.code = a.bank_code
      where i.id = $1::uuid${opts.forUpdate ? ' for update of i' : ''}`,
    [id],
  );
  const r = rows[0];
  return (
    r && {
      id: r.id,
      companyId: Number(r.company_id),
      agentId: Number(r.agent_id),
      type: r.type,
      status: r.status,
      investorName: r.investor_name,
      investorEmail: r.investor_email,
      product: r.product,
      targetProduct: r.target_product,
      amount: r.amount,
      units: r.units,
      feePct: r.fee_pct,
      estimatedFee: r.estimated_fee,
      bankAccount: r.bank_name !== null && r.account_number_last4 !== null ? { bankName: r.bank_name, accountNumberLast4: r.account_number_last4 } : null,
      suitability: r.suitability,
      agentName: r.agent_name,
      createdAt: r.created_at,
      linkExpiresAt: r.link_expires_at,
    }
  );
}

/** Only the status, for the link page's closed states. */
export async function findInstructionStatus(q: Queryable, id: string): Promise<InstructionStatus | undefined> {
  const { rows } = await q.query<{ status: InstructionStatus }>(`select i.status from instruction i where i.id = $1::uuid`, [id]);
  return rows[0]?.status;
}

export type InvestorDecision = { status: 'SIGNED' } | { status: 'REJECTED_BY_INVESTOR'; reason: string };

export async function recordInvestorDecision(q: Queryable, id: string, d: InvestorDecision): Promise<void> {
  await q.query(
    `update instruction i
        set status = $2::text,
            signed_at = case when $2::text = 'SIGNED' then now() else i.signed_at end,
            -- A signed instruction waits for the Bib sync (functions/bib-sync), which claims PENDING ones.
            sync_status = case when $2::text = 'SIGNED' then 'PENDING' else i.sync_status end,
            investor_reason = $3::text
      where i.id = $1::uuid`,
    [id, d.status, d.status === 'REJECTED_BY_INVESTOR' ? d.reason : null],
  );
}

export interface NewEvidence {
  companyId: number;
  instructionId: string;
  decision: 'APPROVE' | 'REJECT';
  reason: string | null;
  document: unknown;
  documentHash: string;
  signatureObjectKey: string | null;
  ip: string | null;
  userAgent: string | null;
  otpId: string;
  otpChannel: 'SMS' | 'EMAIL';
}

/** Appends the evidence (the table takes inserts only); decided_at is the transaction's time, as signed_at. */
export async function insertEvidence(q: Queryable, e: NewEvidence): Promise<Date> {
  const { rows } = await q.query<{ decided_at: Date }>(
    `insert into instruction_signature (company_id, instruction_id, decision, reason, document, document_hash, signature_object_key,
        ip, user_agent, otp_id, otp_channel, decided_at)
     values ($1::bigint, $2::uuid, $3::text, $4::text, $5::jsonb, $6::text, $7::text, $8::inet, $9::text, $10::uuid, $11::text, now())
     returning decided_at`,
    [e.companyId, e.instructionId, e.decision, e.reason, JSON.stringify(e.document), e.documentHash, e.signatureObjectKey, e.ip, e.userAgent, e.otpId, e.otpChannel],
  );
  return rows[0]!.decided_at;
}

/** The language the investor asked for the code in: the receipt follows the page. */
export async function findOttLocale(q: Queryable, ottId: string): Promise<'id' | 'en'> {
  const { rows } = await q.query<{ locale: 'id' | 'en' }>(`select o.locale from auth_ott o where o.id = $1::uuid`, [ottId]);
  return rows[0]?.locale ?? 'id';
}
