import type { Queryable } from '../../../shared/db/tx.js';

/** Bib's webhook events seen, by Bib's event id (not tenant data: the table has no RLS; kept 30 days). */

export async function isEventSeen(q: Queryable, eventId: string): Promise<boolean> {
  const { rows } = await q.query(`select 1 from bib_webhook_event where event_id = $1::text`, [eventId]);
  return rows.length > 0;
}

export interface SeenEvent {
  eventId: string;
  orderId: string;
  instructionId: string;
  outcome: string;
}

/** False when a delivery of the same event was recorded first (it waits for that one to commit). */
export async function recordEvent(q: Queryable, e: SeenEvent): Promise<boolean> {
  const { rows } = await q.query(
    `insert into bib_webhook_event (event_id, order_id, instruction_id, outcome)
     values ($1::text, $2::text, $3::uuid, $4::text)
     on conflict (event_id) do nothing
     returning event_id`,
    [e.eventId, e.orderId, e.instructionId, e.outcome],
  );
  return rows.length > 0;
}
