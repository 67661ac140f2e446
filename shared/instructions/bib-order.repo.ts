import type { BibOrderStatus } from '../bib/contract.js';
import type { Queryable } from '../db/tx.js';
import type { InstructionStatus } from './instruction-status.js';

/** The SQL of applying Bib's orders to instructions (apply-bib-order.ts). */

/** The tenant of an instruction, whoever asks (SECURITY DEFINER: Bib's order names no tenant). */
export async function findInstructionTenant(q: Queryable, instructionId: string): Promise<number | undefined> {
  const { rows } = await q.query<{ company_id: string }>(`select company_id from app.bib_order_instruction($1::uuid)`, [instructionId]);
  return rows[0] ? Number(rows[0].company_id) : undefined;
}

const actorSettings = ['app.company_ids', 'app.user_id', 'app.own_rows_only'] as const;

/**
 * Makes the rest of the transaction act as the system within one tenant (its RLS and audit settings, local to
 * the transaction, as withTransaction sets them); the returned function puts the caller's settings back.
 */
export async function actAsTenant(q: Queryable, companyId: number): Promise<() => Promise<void>> {
  const { rows } = await q.query<{ company_ids: string; user_id: string; own_rows_only: string }>(
    `select coalesce(current_setting('app.company_ids', true), '') as company_ids,
            coalesce(current_setting('app.user_id', true), '') as user_id,
            coalesce(current_setting('app.own_rows_only', true), 'off') as own_rows_only,
            set_config('app.company_ids', $1::text, true),
            set_config('app.user_id', '', true),
            set_config('app.own_rows_only', 'off', true)`,
    [String(companyId)],
  );
  const before = rows[0]!;
  return async () => {
    await q.query(
      `select set_config($1::text, $4::text, true), set_config($2::text, $5::text, true), set_config($3::text, $6::text, true)`,
      [...actorSettings, before.company_ids, before.user_id, before.own_rows_only],
    );
  };
}

export interface OrderInstruction {
  id: string;
  companyId: number;
  agentId: number;
  status: InstructionStatus;
  externalId: string | null;
  bibOrderStatus: BibOrderStatus | null;
  bibOrderVersion: number | null;
  investorName: string;
  productName: string;
}

/** The instruction, locked: a webhook and a pull applying the same order wait for each other here. */
export async function lockOrderInstruction(q: Queryable, id: string): Promise<OrderInstruction | undefined> {
  const { rows } = await q.query<{
    id: string;
    company_id: string;
    agent_id: string;
    status: InstructionStatus;
    external_id: string | null;
    bib_order_status: BibOrderStatus | null;
    bib_order_version: number | null;
    investor_name: string;
    product_name: string;
  }>(
    `select i.id, i.company_id, i.agent_id, i.status, i.external_id, i.bib_order_status, i.bib_order_version,
            v.full_name as investor_name, i.product_name
       from instruction i
       join investor v on v.id = i.investor_id
      where i.id = $1::uuid
        for update of i`,
    [id],
  );
  const r = rows[0];
  if (!r) return undefined;
  return {
    id: r.id,
    companyId: Number(r.company_id),
    agentId: Number(r.agent_id),
    status: r.status,
    externalId: r.external_id,
    bibOrderStatus: r.bib_order_status,
    bibOrderVersion: r.bib_order_version,
    investorName: r.investor_name,
    productName: r.product_name,
  };
}

export interface OrderStateChange {
  id: string;
  status: InstructionStatus;
  orderId: string;
  orderStatus: BibOrderStatus;
  orderVersion: number;
  orderUpdatedAt: string;
  /** Set when the instruction fails; otherwise the stored reason stays. */
  failureReason: string | null;
  /** The instruction was still SIGNED: Bib has its order, so the push is done. */
  submitted: boolean;
}

export async function writeOrderState(q: Queryable, c: OrderStateChange): Promise<void> {
  await q.query(
    `update instruction
        set status = $2::text,
            external_id = coalesce(external_id, $3::text),
            bib_order_status = $4::text,
            bib_order_version = $5::int,
            bib_order_updated_at = $6::timestamptz,
            failure_reason = case when $2::text = 'FAILED' then $7::text else failure_reason end,
            sync_status = case when $8::boolean then 'SYNCED' else sync_status end,
            synced_at = case when $8::boolean then now() else synced_at end,
            sync_error = case when $8::boolean then null else sync_error end,
            sync_next_at = case when $8::boolean then null else sync_next_at end
      where id = $1::uuid`,
    [c.id, c.status, c.orderId, c.orderStatus, c.orderVersion, c.orderUpdatedAt, c.failureReason, c.submitted],
  );
}
