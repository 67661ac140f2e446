import { AppError } from './errors.js';
import { config } from './config.js';
import { keyedHash } from './crypto/encryption.js';
import { getPool } from './db/pool.js';
import { mapDbError } from './db/errors.js';

/**
 * Rate limits shared by every instance: fixed-window counters in Postgres (table rate_limit). One statement
 * counts the hit in every window the request falls under and returns the totals, so a check costs one round
 * trip. Subjects (IPs, emails, phones) are stored as keyed hashes, never in the clear.
 */
export interface LimitRule {
  /** What is limited, e.g. "login:ip". */
  name: string;
  /** Who is limited: an IP, an identifier, a destination. Rules without a subject are skipped. */
  subject: string | null | undefined;
  windowSeconds: number;
  limit: number;
}

export interface LimitVerdict {
  allowed: boolean;
  /** Seconds until the tightest exhausted window ends (0 when allowed). */
  retryAfter: number;
  rule?: string;
}

export async function countHits(rules: readonly LimitRule[]): Promise<LimitVerdict> {
  // The same rule twice in one call would make the upsert touch a row twice: keep one of each.
  const active = rules.filter((r, i) => r.subject && rules.findIndex((o) => o.name === r.name && o.windowSeconds === r.windowSeconds && o.subject === r.subject) === i);
  if (!active.length) return { allowed: true, retryAfter: 0 };
  const keys = await Promise.all(active.map(async (r) => `${r.name}:${r.windowSeconds}:${await keyedHash(r.subject!, 'rate-limit')}`));
  const pool = await getPool();
  let rows: Array<{ key: string; hits: number; retry_after: number }>;
  try {
    ({ rows } = await pool.query(
      `with w as (
         select k as key, s as seconds,
                to_timestamp(floor(extract(epoch from now()) / s) * s) as window_start
           from unnest($1::text[], $2::int[]) as t (k, s)
       )
       insert into rate_limit as r (key, window_start, hits, expires_at)
       select key, window_start, 1, window_start + make_interval(secs => seconds) from w
       on conflict (key, window_start) do update set hits = r.hits + 1
       returning r.key, r.hits, ceil(extract(epoch from r.expires_at - now()))::int as retry_after`,
      [keys, active.map((r) => r.windowSeconds)],
    ));
  } catch (err) {
    throw mapDbError(err);
  }
  let verdict: LimitVerdict = { allowed: true, retryAfter: 0 };
  for (const [i, rule] of active.entries()) {
    const row = rows.find((r) => r.key === keys[i]);
    if (row && row.hits > rule.limit * config().RATE_LIMIT_MULTIPLIER) {
      const retryAfter = Math.max(1, row.retry_after);
      if (verdict.allowed || retryAfter > verdict.retryAfter) verdict = { allowed: false, retryAfter, rule: rule.name };
    }
  }
  return verdict;
}

/** Counts the hit and refuses with 429 RATE_LIMITED and Retry-After when any window is exhausted. */
export async function enforceLimits(rules: readonly LimitRule[]): Promise<void> {
  const verdict = await countHits(rules);
  if (!verdict.allowed) {
    throw new AppError('RATE_LIMITED', {
      detail: 'Too many requests; try again later',
      headers: { 'Retry-After': String(verdict.retryAfter) },
      extra: { retryAfter: verdict.retryAfter },
    });
  }
}
