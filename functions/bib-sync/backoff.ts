/**
 * Per-record retry delay: exponential backoff with full jitter, a delay drawn uniformly from
 * [0, min(max, base × 2^attempts)], so records that failed together do not come back together. A Retry-After
 * from Bib (or the open circuit's remaining time) is a floor: retrying sooner would only be refused again.
 */
export interface BackoffOptions {
  /** Failed attempts before this one (0 for the first failure). */
  attempts: number;
  baseMs: number;
  maxMs: number;
  retryAfterMs?: number | undefined;
  /** [0, 1), like Math.random; tests pass a seeded one. */
  random?: () => number;
}

export function backoffCeilingMs(o: Pick<BackoffOptions, 'attempts' | 'baseMs' | 'maxMs'>): number {
  return Math.min(o.maxMs, o.baseMs * 2 ** Math.max(0, o.attempts));
}

export function backoffMs(o: BackoffOptions): number {
  const ceiling = backoffCeilingMs(o);
  const jittered = Math.round((o.random ?? Math.random)() * ceiling);
  return Math.max(jittered, o.retryAfterMs ?? 0);
}
