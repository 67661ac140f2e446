import type { ConsumedEvent } from '../../../shared/events/consumer.js';
import { PermanentFailure } from '../../../shared/events/consumer.js';
import type { Tx } from '../../../shared/db/tx.js';
import { recordDelivery } from '../delivery/delivery.repo.js';
import { isTooOld } from '../email/send-email-event.js';
import { pushProvider } from './push-provider.js';
import { addToInbox, forgetPushTokens, pushTokensOf } from './push.repo.js';

export const sendPushConsumer = 'sendPush';

/**
 * For each user: an inbox row, then a push to every push-enabled device. Dead tokens are forgotten. When
 * FCM is unavailable for every device of a user and nothing was sent, the event is thrown back for a retry
 * (the inbox row rolls back with it); once any device got it, the event is done, so a retry never pushes
 * the same message twice to the devices that already have it.
 */
export async function sendPush(event: ConsumedEvent<'push.requested'>, tx: Tx): Promise<void> {
  if (event.companyId === null) throw new PermanentFailure('push.requested without a companyId attribute');
  const companyId = event.companyId;
  const { userIds, type, title, body, data } = event.data;
  const record = (userId: number, status: 'SENT' | 'FAILED' | 'DROPPED', reason: string | null, id?: string) =>
    recordDelivery(tx, { companyId, eventId: event.id, consumer: sendPushConsumer, channel: 'PUSH', recipient: `user:${userId}`, status, reason, providerMessageId: id ?? null });
  if (isTooOld(event.publishedAt)) {
    event.log.info({ type }, 'push request older than the maximum age; dropped');
    for (const userId of userIds) await record(userId, 'DROPPED', 'older than the maximum age');
    return;
  }
  for (const userId of userIds) {
    await addToInbox(tx, { companyId, userId, eventId: event.id, type, title, body, data });
    const tokens = await pushTokensOf(tx, userId);
    if (tokens.length === 0) {
      await record(userId, 'SENT', 'inbox only: no push-enabled device');
      continue;
    }
    const results = await pushProvider().send(userId, tokens, { title, body, data: { ...data, type, eventId: event.id } });
    await forgetPushTokens(tx, results.filter((r) => r.outcome === 'invalid').map((r) => r.token));
    const sent = results.filter((r) => r.outcome === 'sent');
    const retry = results.filter((r) => r.outcome === 'retry');
    if (sent.length === 0 && retry.length > 0) throw new Error(`push unavailable for user ${userId}: ${retry.map((r) => (r.outcome === 'retry' ? r.reason : '')).join(', ')}`);
    if (sent.length === 0) await record(userId, 'FAILED', 'every device token was invalid');
    else await record(userId, 'SENT', retry.length ? `${retry.length} device(s) unavailable` : null, sent[0]!.outcome === 'sent' ? sent[0]!.id : undefined);
  }
}
