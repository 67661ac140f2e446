import { randomBytes, randomUUID } from 'node:crypto';
import type { BibOrder, BibOrderStatus } from '../../bib/contract.js';
import type { InstructionStatus } from '../instruction-status.js';
import { signIn } from '../../../test/support/auth.js';
import { approvedIndividual, crmRows, individualBody } from '../../../test/support/crm.js';
import { createCompany, ownerPool } from '../../../test/support/owner.js';

/**
 * Arranging Bib's orders and their instructions (apply-bib-order and the webhook): one company with an agent and
 * an approved investor, and instructions written in SQL as the owner in whatever status a test needs, as the
 * investor's link and bib-sync would have left them.
 */
export interface OrderTeam {
  companyId: number;
  agentId: number;
  investorId: string;
  investorName: string;
}

export async function orderTeam(investorName = 'Siti Rahayu'): Promise<OrderTeam> {
  const company = await createCompany();
  const agent = await signIn({ companyId: company.id });
  const admin = await signIn({ companyId: company.id, role: 'ADMIN' });
  const { investor } = await approvedIndividual(agent.accessToken, admin.accessToken, individualBody({ fullName: investorName }));
  return { companyId: company.id, agentId: agent.id, investorId: investor.id, investorName };
}

export const newOrderId = () => `ORD-${randomBytes(6).toString('hex').toUpperCase()}`;

export interface InstructionState {
  status: InstructionStatus;
  externalId?: string | null;
  bibOrderStatus?: BibOrderStatus | null;
  bibOrderVersion?: number | null;
}

/** An instruction of the team in `status`: signed ones carry signed_at, cancelled and rejected ones their marks. */
export async function instructionIn(team: OrderTeam, s: InstructionState): Promise<string> {
  const signed = ['SIGNED', 'SUBMITTED', 'COMPLETED', 'FAILED'].includes(s.status);
  const [row] = await crmRows<{ id: string }>(
    `insert into instruction (company_id, investor_id, agent_id, type, product_code, product_name, amount, suitability, status,
        link_expires_at, signed_at, investor_reason, cancelled_at, failure_reason, external_id, bib_order_status, bib_order_version, sync_status, created_by)
     values ($1::bigint, $2::uuid, $3::bigint, 'SUBSCRIPTION', 'MMF-KAS', 'Kas Pasar Uang', 1500000, '{"suitable": true}'::jsonb, $4::text,
        now() + interval '1 day', case when $5::boolean then now() end,
        case when $4::text = 'REJECTED_BY_INVESTOR' then 'Not now' end, case when $4::text = 'CANCELLED' then now() end,
        case when $4::text = 'FAILED' then 'Insufficient funds' end,
        $6::text, $7::text, $8::int, case when $4::text = 'SIGNED' then 'PENDING' when $5::boolean then 'SYNCED' else 'NOT_READY' end, $3::bigint)
     returning id`,
    [team.companyId, team.investorId, team.agentId, s.status, signed, s.externalId ?? null, s.bibOrderStatus ?? null, s.bibOrderVersion ?? null],
  );
  return row!.id;
}

/** Bib's view of the order of an instruction. */
export function bibOrderOf(instructionId: string, o: { id: string; status: BibOrderStatus; version: number; reason?: string | null }): BibOrder {
  const at = new Date().toISOString();
  return {
    id: o.id,
    clientRef: instructionId,
    investorId: 'INV-TEST',
    type: 'SUBSCRIPTION',
    productCode: 'MMF-KAS',
    targetProductCode: null,
    amount: '1500000.00',
    units: null,
    status: o.status,
    reason: o.reason ?? (o.status === 'REJECTED' ? 'Insufficient funds' : null),
    version: o.version,
    createdAt: at,
    updatedAt: at,
  };
}

export type StoredInstruction = {
  status: InstructionStatus;
  external_id: string | null;
  bib_order_status: BibOrderStatus | null;
  bib_order_version: number | null;
  bib_order_updated_at: Date | null;
  failure_reason: string | null;
  sync_status: string;
  updated_at: Date;
};

export async function storedInstruction(id: string): Promise<StoredInstruction> {
  const [row] = await crmRows<StoredInstruction>(
    `select status, external_id, bib_order_status, bib_order_version, bib_order_updated_at, failure_reason, sync_status, updated_at
       from instruction where id = $1::uuid`,
    [id],
  );
  return row!;
}

export type PushPayload = { userIds: number[]; type: string; title: string; body: string; data: Record<string, string> };

/** The RM pushes queued (outbox) about an instruction. */
export async function pushesOf(id: string): Promise<PushPayload[]> {
  const rows = await crmRows<{ payload: PushPayload }>(
    `select payload from outbox where topic = 'push.requested' and payload -> 'data' ->> 'instructionId' = $1::text order by created_at, id`,
    [id],
  );
  return rows.map((r) => r.payload);
}

export const unknownInstructionId = () => randomUUID();

/**
 * Holds the instruction's row lock (as the owner) while `start` queues applies behind it; `queued(n)` returns
 * once n of them wait for the lock, so they take it in the order they were started. Releases the lock after.
 */
export async function whileInstructionLocked<T>(id: string, start: (queued: (n: number) => Promise<void>) => Promise<T>): Promise<T> {
  const holder = await ownerPool().connect();
  try {
    await holder.query('begin');
    await holder.query(`select set_config('app.super_admin', 'on', true)`);
    await holder.query(`select 1 from instruction where id = $1::uuid for update`, [id]);
    const queued = async (n: number) => {
      const deadline = Date.now() + 10_000;
      for (;;) {
        const { rows } = await ownerPool().query<{ n: number }>(
          `select count(distinct l.pid)::int as n from pg_locks l join pg_stat_activity a on a.pid = l.pid
            where not l.granted and a.datname = current_database()`,
        );
        if (rows[0]!.n >= n) return;
        if (Date.now() > deadline) throw new Error(`${n} applies never queued for the lock`);
        await new Promise((r) => setImmediate(r));
      }
    };
    const out = await start(queued);
    await holder.query('commit');
    return out;
  } catch (err) {
    await holder.query('rollback');
    throw err;
  } finally {
    holder.release();
  }
}
