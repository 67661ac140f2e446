import { AppError } from '../../../shared/errors.js';
import { countHits } from '../../../shared/rate-limit.js';
import type { Queryable } from '../../../shared/db/tx.js';

/**
 * Consecutive failed passwords lock an account with a growing delay (NIST 800-63B throttling): 5 → 1 min,
 * 10 → 15 min, 20 and more → 1 h each. With at most one try per lock, an attacker gets well under 100 tries
 * an hour; the per-identifier rate limit caps it at 100 whatever happens. A successful sign-in or a password
 * reset clears the counter.
 */
export function lockSecondsAfter(failures: number): number {
  if (failures >= 20) return 3600;
  if (failures >= 10) return 900;
  if (failures >= 5) return 60;
  return 0;
}

export function lockedError(lockedUntil: Date): AppError {
  const retryAfter = Math.max(1, Math.ceil((lockedUntil.getTime() - Date.now()) / 1000));
  return new AppError('ACCOUNT_LOCKED', { headers: { 'Retry-After': String(retryAfter) }, extra: { retryAfter } });
}

export function isLocked(lockedUntil: Date | null): lockedUntil is Date {
  return lockedUntil !== null && lockedUntil.getTime() > Date.now();
}

/** Counts one failure (the login-log trigger writes the FAIL row) and sets the lock it earns. */
export async function recordFailedPassword(q: Queryable, userId: number, deviceId: string | null): Promise<{ failures: number; lockedUntil: Date | null }> {
  await q.query(`select set_config('app.device_id', $1::text, true)`, [deviceId ?? '']);
  const { rows } = await q.query<{ login_fail_count: number }>(
    `update auth_user set login_fail_count = login_fail_count + 1, last_failed_login = now()
      where id = $1::bigint returning login_fail_count`,
    [userId],
  );
  const failures = rows[0]!.login_fail_count;
  const lockSeconds = lockSecondsAfter(failures);
  if (!lockSeconds) return { failures, lockedUntil: null };
  const locked = await q.query<{ locked_until: Date }>(
    `update auth_user set locked_until = now() + make_interval(secs => $2::int) where id = $1::bigint returning locked_until`,
    [userId, lockSeconds],
  );
  return { failures, lockedUntil: locked.rows[0]!.locked_until };
}

/**
 * The lock an unknown identifier earns: after five failed sign-ins within a minute it answers 423 until the
 * minute ends, like a real account's first lock (the longer locks are not imitated). Counted in rate_limit.
 */
export async function unknownIdentifierLock(identifier: string): Promise<AppError | undefined> {
  const verdict = await countHits([{ name: 'login:unknown', subject: identifier, windowSeconds: 60, limit: 5 }]);
  return verdict.allowed ? undefined : lockedError(new Date(Date.now() + verdict.retryAfter * 1000));
}
