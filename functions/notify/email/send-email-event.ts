import { config } from '../../../shared/config.js';
import type { ConsumedEvent } from '../../../shared/events/consumer.js';
import { PermanentFailure } from '../../../shared/events/consumer.js';
import type { Tx } from '../../../shared/db/tx.js';
import { decrypt } from '../../../shared/crypto/encryption.js';
import { maskEmail } from '../../../shared/mask.js';
import { recordDelivery, type DeliveryStatus } from '../delivery/delivery.repo.js';
import { renderTemplate, TemplateInputError } from './templates.js';
import { sendEmail } from './mailer.js';

export const sendEmailConsumer = 'sendEmail';

/** Renders the requested template and sends it; the outcome is recorded with the event's claim. */
export async function sendEmailEvent(event: ConsumedEvent<'email.requested'>, tx: Tx): Promise<void> {
  if (event.companyId === null) throw new PermanentFailure('email.requested without a companyId attribute');
  const record = (status: DeliveryStatus, reason: string | null, providerMessageId?: string) =>
    recordDelivery(tx, {
      companyId: event.companyId!,
      eventId: event.id,
      consumer: sendEmailConsumer,
      channel: 'EMAIL',
      recipient: maskEmail(event.data.to),
      status,
      reason,
      providerMessageId: providerMessageId ?? null,
    });
  if (isTooOld(event.publishedAt)) {
    event.log.info({ template: event.data.template }, 'email request older than the maximum age; dropped');
    return record('DROPPED', 'older than the maximum age');
  }
  try {
    const link = event.data.secureLink ? await decryptLink(event.data.secureLink) : undefined;
    const email = renderTemplate(event.data.template, event.data.variables, event.data.locale, link);
    const sent = await sendEmail(event.data.to, email, { 'X-RMTools-Event': event.id, 'X-RMTools-Template': event.data.template });
    await record('SENT', null, sent.messageId);
  } catch (err) {
    const permanent = err instanceof PermanentFailure || err instanceof TemplateInputError;
    if (!permanent) throw err;
    event.log.warn({ template: event.data.template, reason: err.message }, 'email could not be delivered');
    await record('FAILED', err.message);
  }
}

function decryptLink(value: string): Promise<string> {
  return decrypt(value, 'email.link').catch((err: unknown) => {
    throw new TemplateInputError(`secureLink does not decrypt: ${(err as Error).message}`);
  });
}

export function isTooOld(publishedAt: Date | null): boolean {
  return publishedAt !== null && Date.now() - publishedAt.getTime() > config().NOTIFY_MAX_AGE_HOURS * 3_600_000;
}
