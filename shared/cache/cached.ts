import { FirestoreCache, type CachedOptions } from './firestore-cache.js';
import type { CachedResult } from './cache-document.js';

export type { CachedOptions } from './firestore-cache.js';
export type { CachedResult, CacheState } from './cache-document.js';

/** The process's cache (collection bibCache): its in-flight loads and refreshes are shared by every caller. */
let current: FirestoreCache | undefined;

export function processCache(): FirestoreCache {
  current ??= new FirestoreCache();
  return current;
}

/** The value of `key`: a fresh copy, a stale one while it is refreshed, or loaded now (firestore-cache.ts). */
export function cached<T>(o: CachedOptions<T>): Promise<CachedResult<T>> {
  return processCache().get(o);
}

/** Loads `key` and stores it whatever the copy's age (scheduled runs); throws when the load or the store fails. */
export function refresh<T>(key: string, load: () => Promise<T>): Promise<{ value: T; fetchedAt: Date }> {
  return processCache().refresh(key, load);
}
