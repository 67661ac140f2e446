import type { CachedResult } from '../../../shared/cache/cached.js';

const xCache = { hit: 'HIT', miss: 'MISS', stale: 'STALE', 'stale-error': 'STALE' } as const;

/**
 * How fresh a proxied Bib answer is: X-Cache (HIT, MISS, STALE), Age in seconds since Bib answered, and when
 * Bib failed and an older copy stood in, X-Bib-Stale: true with a Warning (RFC 7234 110).
 */
export function cacheHeaders(r: CachedResult<unknown>): Record<string, string> {
  return {
    'X-Cache': xCache[r.state],
    Age: String(r.ageSeconds),
    ...(r.state === 'stale-error' ? { 'X-Bib-Stale': 'true', Warning: '110 - "Response is stale"' } : {}),
  };
}
