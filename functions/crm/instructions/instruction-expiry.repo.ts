import type { Queryable } from '../../../shared/db/tx.js';

/** Pending instructions of every tenant whose link ran out, oldest first (a SECURITY DEFINER look-up). */
export async function findExpiredLinks(q: Queryable, max: number): Promise<Array<{ id: string; companyId: number }>> {
  const { rows } = await q.query<{ id: string; company_id: string }>(`select id, company_id from app.expired_instruction_links($1::int)`, [max]);
  return rows.map((r) => ({ id: r.id, companyId: Number(r.company_id) }));
}

export interface ExpiredInstruction {
  id: string;
  companyId: number;
  agentId: number;
  investorName: string;
  productName: string;
}

/**
 * Expires those of `ids` still pending with their link run out. Rows another transaction holds (the investor
 * signing right now) are skipped: the next run sees them again if they are still pending.
 */
export async function expireInstructions(q: Queryable, ids: readonly string[]): Promise<ExpiredInstruction[]> {
  const { rows } = await q.query<{ id: string; company_id: string; agent_id: string; investor_name: string; product_name: string }>(
    `with due as (
       select x.id from instruction x
        where x.id = any ($1::uuid[]) and x.status = 'PENDING_SIGNATURE' and x.link_expires_at <= now()
        for update skip locked
     ), expired as (
       update instruction i set status = 'EXPIRED'
         from due
        where i.id = due.id
       returning i.id, i.company_id, i.agent_id, i.investor_id, i.product_name
     )
     select e.id, e.company_id, e.agent_id, v.full_name as investor_name, e.product_name
       from expired e
       join investor v on v.id = e.investor_id
      order by e.id`,
    [ids],
  );
  return rows.map((r) => ({ id: r.id, companyId: Number(r.company_id), agentId: Number(r.agent_id), investorName: r.investor_name, productName: r.product_name }));
}
