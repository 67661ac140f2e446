import type { Tx } from '../../../shared/db/tx.js';

export type DeliveryStatus = 'SENT' | 'FAILED' | 'DROPPED';

export interface DeliveryRecord {
  companyId: number;
  eventId: string;
  consumer: string;
  channel: 'SMS' | 'EMAIL' | 'PUSH';
  recipient: string;
  status: DeliveryStatus;
  reason?: string | null;
  providerMessageId?: string | null;
}

/** Written in the consumer's transaction, with the event's claim: the status and the dedupe commit together. */
export async function recordDelivery(tx: Tx, d: DeliveryRecord): Promise<void> {
  await tx.query(
    `insert into delivery (company_id, event_id, consumer, channel, recipient, status, reason, provider_message_id)
     values ($1::bigint, $2::text, $3::text, $4::text, $5::text, $6::text, left($7::text, 1000), $8::text)
     on conflict (consumer, event_id, recipient) do nothing`,
    [d.companyId, d.eventId, d.consumer, d.channel, d.recipient, d.status, d.reason ?? null, d.providerMessageId ?? null],
  );
}
