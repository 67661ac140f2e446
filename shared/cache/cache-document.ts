import { z } from 'zod';

/**
 * One cached value per document of the cache collection:
 *   { key, value, fetchedAt, refreshingUntil, leaseSeq, leaseHolder }
 * `value` is the loaded data as Firestore stores JSON (maps, arrays, strings, numbers, booleans, null; no
 * array directly inside an array). `refreshingUntil`, `leaseSeq` and `leaseHolder` are the refresh lease (refresh-lease.ts).
 */
export const defaultCacheCollection = 'bibCache';

export type CacheState = 'hit' | 'miss' | 'stale' | 'stale-error';

export interface CachedResult<T> {
  value: T;
  state: CacheState;
  fetchedAt: Date;
  /** Whole seconds since the value was loaded. */
  ageSeconds: number;
}

/** A copy read back from Firestore, value checked against the caller's schema. */
export interface CacheEntry<T> {
  value: T;
  fetchedAtMs: number;
  refreshingUntilMs: number;
  leaseSeq: number;
}

// Firestore ids have at most 1,500 bytes; the lease markers add a suffix (refresh-lease.ts).
const maxIdLength = 1_000;

/**
 * Document ids cannot contain '/', be '.' or '..', or look like `__x__`, so every byte outside [A-Za-z0-9:-]
 * is written as %XX (UTF-8), '_' included: readable for the usual keys ('products', 'portfolio:BIB-1'), one id
 * per key.
 */
export function cacheDocId(key: string): string {
  const id = Array.from(new TextEncoder().encode(key), (b) => {
    const c = String.fromCharCode(b);
    return /[A-Za-z0-9:-]/.test(c) ? c : `%${b.toString(16).toUpperCase().padStart(2, '0')}`;
  }).join('');
  if (id.length === 0 || id.length > maxIdLength) throw new Error(`A cache key is 1 to ${maxIdLength} characters once encoded: ${key.slice(0, 40)}`);
  return id;
}

/** A Firestore Timestamp as the SDK reads it back (duck-typed: the SDK is imported lazily). */
const timestamp = z.custom<{ toMillis(): number }>((v) => typeof (v as { toMillis?: unknown } | null)?.toMillis === 'function', 'a Timestamp');

const storedDocument = z.object({
  key: z.string(),
  value: z.unknown(),
  fetchedAt: timestamp,
  refreshingUntil: timestamp.nullable().optional(),
  leaseSeq: z.number().int().nonnegative().optional(),
});

export type ParsedDocument<T> = { ok: true; entry: CacheEntry<T> } | { ok: false; reason: string };

/** A document's data as a cache entry; anything unexpected (another key, a bad shape or value) is a reason. */
export function parseCacheDocument<T>(key: string, data: unknown, schema: z.ZodType<T>): ParsedDocument<T> {
  const doc = storedDocument.safeParse(data);
  if (!doc.success) return { ok: false, reason: `bad document: ${doc.error.issues[0]?.message ?? 'shape'}` };
  if (doc.data.key !== key) return { ok: false, reason: 'the document belongs to another key' };
  const value = schema.safeParse(doc.data.value);
  if (!value.success) return { ok: false, reason: `the value does not match its schema at ${value.error.issues[0]?.path.join('.') || '(root)'}` };
  return {
    ok: true,
    entry: {
      value: value.data,
      fetchedAtMs: doc.data.fetchedAt.toMillis(),
      refreshingUntilMs: doc.data.refreshingUntil?.toMillis() ?? 0,
      leaseSeq: doc.data.leaseSeq ?? 0,
    },
  };
}

/** What a store writes: every field, so a new copy also clears the lease of the old one. */
export function cacheDocumentData(key: string, value: unknown, fetchedAtMs: number): Record<string, unknown> {
  return { key, value: jsonData(value), fetchedAt: new Date(fetchedAtMs), refreshingUntil: null, leaseSeq: 0, leaseHolder: null };
}

/** Plain JSON data (no undefined members, no class instances), as Firestore stores it. */
function jsonData(value: unknown): unknown {
  return value === undefined ? null : JSON.parse(JSON.stringify(value));
}

export function toResult<T>(value: T, fetchedAtMs: number, state: CacheState, nowMs: number): CachedResult<T> {
  return { value, state, fetchedAt: new Date(fetchedAtMs), ageSeconds: Math.max(0, Math.floor((nowMs - fetchedAtMs) / 1000)) };
}
