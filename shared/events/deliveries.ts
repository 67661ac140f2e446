import type { Tx } from '../db/tx.js';

/**
 * What the notify consumers did with the messages of one event: producers pass the event id that emit()
 * returned (e.g. to show "code sent" or "email bounced"). Empty while the event is still on its way.
 */
export interface Delivery {
  consumer: string;
  channel: 'SMS' | 'EMAIL' | 'PUSH';
  recipient: string;
  status: 'SENT' | 'FAILED' | 'DROPPED';
  reason: string | null;
  createdAt: Date;
}

export async function deliveriesOf(tx: Tx, eventId: string): Promise<Delivery[]> {
  const { rows } = await tx.query<{ consumer: string; channel: Delivery['channel']; recipient: string; status: Delivery['status']; reason: string | null; created_at: Date }>(
    `select consumer, channel, recipient, status, reason, created_at from delivery where event_id = $1::text order by id`,
    [eventId],
  );
  return rows.map((r) => ({ consumer: r.consumer, channel: r.channel, recipient: r.recipient, status: r.status, reason: r.reason, createdAt: r.created_at }));
}
