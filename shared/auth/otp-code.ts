import { randomInt, timingSafeEqual } from 'node:crypto';
import { config } from '../config.js';
import { keyedHash } from '../crypto/encryption.js';
import { AppError } from '../errors.js';
import { enforceLimits } from '../rate-limit.js';

/**
 * Six digits from the CSPRNG. Stored as an HMAC bound to the OTT id (a plain hash of a 6-digit code would be
 * reversed by trying all million values; the keyed hash needs the key, which the database never sees).
 */
export function newOtpCode(): string {
  return String(randomInt(0, 1_000_000)).padStart(6, '0');
}

export function otpCodeHash(ottId: string, code: string): Promise<string> {
  return keyedHash(code, `auth_ott:${ottId}`);
}

/** Constant-time comparison of a submitted code with the stored hash. */
export async function otpCodeMatches(ottId: string, code: string, storedHash: string): Promise<boolean> {
  const given = Buffer.from(await otpCodeHash(ottId, code));
  const stored = Buffer.from(storedHash);
  return given.length === stored.length && timingSafeEqual(given, stored);
}

/** The rate-limit subject of a phone or inbox (decoys keep it, since they never hold the identifier). */
export function destinationKey(destination: string): Promise<string> {
  return keyedHash(destination, 'otp-destination');
}

/** At most OTP_HOURLY_CAP codes an hour to one phone or inbox, whoever asks and for whatever purpose. */
export async function enforceDestinationCap(key: string): Promise<void> {
  await enforceLimits([{ name: 'otp:destination', subject: key, windowSeconds: 3600, limit: config().OTP_HOURLY_CAP }]);
}

/** The answer to a wrong code: how many tries are left, or OTP_LOCKED once they are used up. */
export function wrongCode(attempts: number): AppError {
  const attemptsLeft = Math.max(0, config().OTP_MAX_ATTEMPTS - attempts);
  return attemptsLeft === 0 ? new AppError('OTP_LOCKED') : new AppError('OTP_INVALID', { extra: { attemptsLeft } });
}
