import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { config } from '../../../shared/config.js';
import { encrypt } from '../../../shared/crypto/encryption.js';
import type { Tx } from '../../../shared/db/tx.js';
import { emit } from '../../../shared/events/outbox.js';
import { maskDestination } from '../../../shared/mask.js';
import { destinationKey, enforceDestinationCap, newOtpCode, otpCodeHash } from '../../../shared/auth/otp-code.js';
import { insertOtt, supersedeOpenOtts, type OtpChannel, type OtpPurpose } from '../../../shared/auth/ott.repo.js';

/** The `otp` object of API.md responses. */
export const otpViewSchema = z.object({
  ottId: z.uuid(),
  channel: z.enum(['SMS', 'EMAIL']),
  destination: z.string(),
  expiresAt: z.string(),
});
export type OtpView = z.infer<typeof otpViewSchema>;

export interface IssueOtpOptions {
  companyId: number;
  userId: number;
  purpose: OtpPurpose;
  channel: OtpChannel;
  destination: string;
  deviceId?: string | null;
  locale: 'id' | 'en';
}

/**
 * Creates a one-time code in the caller's transaction and queues its delivery (outbox → notify.sendOtp).
 * The code is stored twice: as a keyed hash for verification and encrypted for the sender, which wipes it
 * after delivery. Older open codes of the same user and purpose stop working.
 */
export async function issueOtp(tx: Tx, o: IssueOtpOptions): Promise<OtpView> {
  await enforceDestinationCap(await destinationKey(o.destination));
  const id = randomUUID();
  const code = newOtpCode();
  await supersedeOpenOtts(tx, o.userId, o.purpose);
  const expiresAt = await insertOtt(tx, {
    id,
    companyId: o.companyId,
    userId: o.userId,
    purpose: o.purpose,
    channel: o.channel,
    destination: o.destination,
    codeHash: await otpCodeHash(id, code),
    codeEncrypted: await encrypt(code, `auth_ott:${id}`),
    deviceId: o.deviceId ?? null,
    locale: o.locale,
    ttlSeconds: config().OTP_TTL_SECONDS,
  });
  await emit(tx, 'otp.requested', { ottId: id, channel: o.channel, destination: o.destination, purpose: o.purpose, locale: o.locale }, { companyId: o.companyId });
  return { ottId: id, channel: o.channel, destination: maskDestination(o.destination), expiresAt: expiresAt.toISOString() };
}

/** The channel and destination of a code sent to a phone number or an email address. */
export function channelFor(destination: string): OtpChannel {
  return destination.includes('@') ? 'EMAIL' : 'SMS';
}
