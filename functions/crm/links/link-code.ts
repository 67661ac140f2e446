import { randomUUID } from 'node:crypto';
import { config } from '../../../shared/config.js';
import { encrypt } from '../../../shared/crypto/encryption.js';
import type { Tx } from '../../../shared/db/tx.js';
import { AppError } from '../../../shared/errors.js';
import { emit } from '../../../shared/events/outbox.js';
import { maskDestination } from '../../../shared/mask.js';
import { destinationKey, enforceDestinationCap, newOtpCode, otpCodeHash, otpCodeMatches, wrongCode } from '../../../shared/auth/otp-code.js';
import {
  countFailedAttempt,
  insertInvestorOtt,
  markOttUsed,
  newestSubjectOtt,
  supersedeSubjectOtts,
  type InvestorOtpPurpose,
  type InvestorOtt,
} from '../../../shared/auth/ott.repo.js';
import { findLinkRecipient, type LinkToken } from './link-token.repo.js';

/**
 * The step-up code of an investor page, with the rules of the users' codes (shared/auth): six digits, kept as a
 * keyed hash, OTP_TTL_SECONDS, OTP_MAX_ATTEMPTS wrong tries, the resend cooldown, the destination's hourly
 * cap. It goes to the investor's registered phone (the email already carries the link) or, without one, the
 * email, and is bound to the browser session that asked for it. Codes and their wrong tries are counted per
 * session: someone holding a forwarded link can neither use the investor's code nor lock it with guesses.
 * The cooldown is the link's, whichever browser asks, so a forwarded link cannot flood the phone.
 */
export interface SentCode {
  channel: 'SMS' | 'EMAIL';
  destination: string;
  expiresAt: string;
}

const purposes: Record<LinkToken['kind'], InvestorOtpPurpose> = { instruction: 'INVESTOR_SIGNATURE', investor: 'INVESTOR_REGISTRATION' };

/** auth_ott.subject of a link's codes. */
export const codeSubject = (link: Pick<LinkToken, 'kind' | 'tokenId'>) => `${link.kind}_token:${link.tokenId}`;

export function requireSession(session: string | undefined): string {
  if (!session) throw new AppError('FORBIDDEN', { detail: 'Open the link in this browser first: the page starts the session the code is bound to' });
  return session;
}

/** Issues a code in the caller's transaction (the link's row locked by the caller) and queues its delivery. */
export async function sendLinkCode(tx: Tx, o: { link: LinkToken; session: string; locale: 'id' | 'en' }): Promise<SentCode> {
  const recipient = await findLinkRecipient(tx, o.link);
  const destination = recipient?.phone ?? recipient?.email;
  if (!destination) throw new AppError('BUSINESS_RULE', { detail: 'The investor has no phone number or email to send a code to; ask your agent' });
  const channel = recipient?.phone ? 'SMS' : 'EMAIL';
  const subject = codeSubject(o.link);
  const previous = await newestSubjectOtt(tx, subject, purposes[o.link.kind]);
  const wait = previous ? Math.ceil((previous.createdAt.getTime() + config().OTP_RESEND_COOLDOWN_SECONDS * 1000 - Date.now()) / 1000) : 0;
  if (wait > 0) {
    throw new AppError('RATE_LIMITED', { detail: 'Wait before asking for another code', headers: { 'Retry-After': String(wait) }, extra: { retryAfter: wait } });
  }
  await enforceDestinationCap(await destinationKey(destination));
  await supersedeSubjectOtts(tx, subject, o.session);
  const id = randomUUID();
  const code = newOtpCode();
  const expiresAt = await insertInvestorOtt(tx, {
    id,
    companyId: o.link.companyId,
    subject,
    purpose: purposes[o.link.kind],
    channel,
    destination,
    codeHash: await otpCodeHash(id, code),
    codeEncrypted: await encrypt(code, `auth_ott:${id}`),
    deviceId: o.session,
    locale: o.locale,
    ttlSeconds: config().OTP_TTL_SECONDS,
  });
  await emit(tx, 'otp.requested', { ottId: id, channel, destination, purpose: purposes[o.link.kind], locale: o.locale }, { companyId: o.link.companyId });
  return { channel, destination: maskDestination(destination), expiresAt: expiresAt.toISOString() };
}

export type CodeCheck = { ok: true; ott: InvestorOtt } | { ok: false; error: AppError };

/**
 * Checks a code against the newest code this browser session asked for, in the caller's transaction. A wrong
 * code counts an attempt; the result is returned, not thrown, so the caller commits that count before
 * answering. The right code is spent. A session that asked for none (a forwarded link) gets OTP_EXPIRED.
 */
export async function checkLinkCode(tx: Tx, o: { link: LinkToken; session: string; code: string }): Promise<CodeCheck> {
  const ott = await newestSubjectOtt(tx, codeSubject(o.link), purposes[o.link.kind], { forUpdate: true, deviceId: o.session });
  if (!ott) return { ok: false, error: new AppError('OTP_EXPIRED', { detail: 'Ask for a code in this browser first' }) };
  if (ott.usedAt) return { ok: false, error: new AppError('OTP_USED') };
  if (ott.expiresAt.getTime() <= Date.now()) return { ok: false, error: new AppError('OTP_EXPIRED') };
  if (ott.attempts >= config().OTP_MAX_ATTEMPTS) return { ok: false, error: new AppError('OTP_LOCKED') };
  if (!(await otpCodeMatches(ott.id, o.code, ott.codeHash))) return { ok: false, error: wrongCode(await countFailedAttempt(tx, ott.id)) };
  await markOttUsed(tx, ott.id);
  return { ok: true, ott };
}
