import { randomBytes } from 'node:crypto';
import type { BibOrder } from '../../../../shared/bib/contract.js';
import { localBibWebhookSecret } from '../../../../shared/bib/bib.js';
import { signatureHeader } from '../../../../shared/bib/hmac.js';
import { crm, crmRows } from '../../../../test/support/crm.js';

/** Bib's side of the webhook in tests: events, signed as Bib signs them, posted to the crm function. */

export const newEventId = () => `evt_${randomBytes(8).toString('hex')}`;

export function eventBody(order: BibOrder, id = newEventId()): string {
  return JSON.stringify({ id, type: 'order.status_changed', createdAt: new Date().toISOString(), data: { order } });
}

export const nowSeconds = () => Math.floor(Date.now() / 1000);

/** Posts a body as Bib does; `signature` undefined sends no Bib-Signature header. */
export function postWebhook(body: string, signature: string | undefined) {
  const req = crm().post('/crm/webhooks/bib').set('Content-Type', 'application/json');
  if (signature !== undefined) req.set('Bib-Signature', signature);
  return req.send(body);
}

/** Signed with the local secret (the one the crm function accepts unless a test sets BIB_WEBHOOK_SECRET). */
export function postSigned(body: string, opts: { secret?: string; t?: number } = {}) {
  return postWebhook(body, signatureHeader(opts.secret ?? localBibWebhookSecret, body, opts.t));
}

export async function seenEvent(eventId: string): Promise<{ order_id: string; instruction_id: string; outcome: string } | undefined> {
  const [row] = await crmRows<{ order_id: string; instruction_id: string; outcome: string }>(
    `select order_id, instruction_id, outcome from bib_webhook_event where event_id = $1::text`,
    [eventId],
  );
  return row;
}
