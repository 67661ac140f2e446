import type { ConsumedEvent } from '../../../shared/events/consumer.js';
import { PermanentFailure } from '../../../shared/events/consumer.js';
import type { Tx } from '../../../shared/db/tx.js';
import { decrypt } from '../../../shared/crypto/encryption.js';
import { maskDestination } from '../../../shared/mask.js';
import { recordDelivery, type DeliveryStatus } from '../delivery/delivery.repo.js';
import { renderTemplate } from '../email/templates.js';
import { sendEmail } from '../email/mailer.js';
import { smsProvider } from '../sms/sms-provider.js';
import { otpSmsText } from './otp-text.js';
import { findOttForDelivery, markOttDelivered } from './ott.repo.js';

export const sendOtpConsumer = 'sendOtp';

/**
 * Delivers a one-time code. The message names the OTT row only; the code is read from the row (encrypted at
 * rest), sent, and wiped from the row in the same transaction that records the delivery. A code that expired
 * or was used before it could be sent is dropped, not sent.
 */
export async function sendOtp(event: ConsumedEvent<'otp.requested'>, tx: Tx): Promise<void> {
  const ott = await findOttForDelivery(tx, event.data.ottId);
  if (!ott) {
    // Not visible in the event's tenant, or never existed: nothing to send and no tenant to record it in.
    event.log.warn({ ottId: event.data.ottId }, 'OTP request for an unknown one-time token; dropped');
    return;
  }
  const record = (status: DeliveryStatus, reason: string | null, providerMessageId?: string) =>
    recordDelivery(tx, {
      companyId: ott.companyId,
      eventId: event.id,
      consumer: sendOtpConsumer,
      channel: ott.channel,
      recipient: maskDestination(ott.destination),
      status,
      reason,
      providerMessageId: providerMessageId ?? null,
    });
  if (ott.usedAt || ott.expiresAt.getTime() <= Date.now()) {
    event.log.info({ ottId: ott.id }, 'OTP expired or used before delivery; dropped');
    return record('DROPPED', 'expired before delivery');
  }
  if (!ott.codeEncrypted) return record('DROPPED', 'already delivered');
  const code = await decrypt(ott.codeEncrypted, `auth_ott:${ott.id}`);
  try {
    const providerId =
      ott.channel === 'SMS'
        ? (await smsProvider().send(ott.destination, otpSmsText(code, ott.purpose, ott.locale, Math.max(1, Math.ceil((ott.expiresAt.getTime() - Date.now()) / 60_000))))).id
        : (await sendEmail(ott.destination, renderTemplate('OTP', { code, expiresAt: ott.expiresAt.toISOString() }, ott.locale), { 'X-RMTools-Event': event.id })).messageId;
    await markOttDelivered(tx, ott.id);
    await record('SENT', null, providerId);
  } catch (err) {
    if (!(err instanceof PermanentFailure)) throw err;
    event.log.warn({ ottId: ott.id, reason: err.message }, 'OTP could not be delivered');
    await markOttDelivered(tx, ott.id, false);
    await record('FAILED', err.message);
  }
}
