import { randomUUID } from 'node:crypto';
import type { Firestore } from '@google-cloud/firestore';
import type { z } from 'zod';
import { isBibError } from '../bib/bib-error.js';
import { AppError, isAppError } from '../errors.js';
import { firestore } from '../firestore.js';
import { errorForLog, logger } from '../logging.js';
import { cacheDocId, cacheDocumentData, defaultCacheCollection, parseCacheDocument, toResult, type CacheEntry, type CachedResult } from './cache-document.js';
import { takeRefreshLease } from './refresh-lease.js';

export interface CachedOptions<T> {
  key: string;
  /** Served as is (hit) for this long after the load. */
  ttlSeconds: number;
  /** Then served (stale) for this much longer while one background refresh runs. */
  staleSeconds: number;
  /** When a load fails transiently, a copy up to this old is served (stale-error) instead of an error. */
  maxStaleSeconds: number;
  load: () => Promise<T>;
  /** Checks what is read back; a copy that fails it counts as missing. */
  schema: z.ZodType<T>;
}

export interface FirestoreCacheOptions {
  collection?: string;
  /** How long a refresh lease keeps other instances from refreshing the same copy. */
  leaseSeconds?: number;
  now?: () => number;
  db?: () => Promise<Firestore>;
  /** Failures worth serving an old copy for; by default Bib's transient ones and 503s of our own. */
  isTransient?: (err: unknown) => boolean;
}

const transientByDefault = (err: unknown) => (isBibError(err) && err.transient) || (isAppError(err) && err.code === 'DEPENDENCY_UNAVAILABLE');

/**
 * A Firestore-backed read-through cache with stale-while-revalidate (the Bib catalogue and portfolios).
 *
 * Within an instance, one resolution per key runs at a time (read, and load when needed): concurrent callers
 * share it, so a cold key is loaded once however many ask. A stale copy is served while one background
 * refresh runs, and across instances the refresh lease (refresh-lease.ts) keeps it to one refresh per copy.
 * A cold key (no usable copy) is loaded by each instance that needs it rather than waiting on another: it
 * happens once per key and instance, and waiting would put another instance's load time and a poll interval
 * on the caller. Firestore failures never fail a read: the value is then loaded and served uncached.
 */
export class FirestoreCache {
  readonly holder = randomUUID();
  private readonly collection: string;
  private readonly leaseMs: number;
  private readonly now: () => number;
  private readonly db: () => Promise<Firestore>;
  private readonly isTransient: (err: unknown) => boolean;
  private readonly resolving = new Map<string, Promise<CachedResult<unknown>>>();
  private readonly refreshing = new Map<string, Promise<void>>();

  constructor(o: FirestoreCacheOptions = {}) {
    this.collection = o.collection ?? defaultCacheCollection;
    this.leaseMs = (o.leaseSeconds ?? 30) * 1000;
    this.now = o.now ?? Date.now;
    this.db = o.db ?? firestore;
    this.isTransient = o.isTransient ?? transientByDefault;
  }

  get<T>(o: CachedOptions<T>): Promise<CachedResult<T>> {
    if (!(o.ttlSeconds > 0 && o.staleSeconds >= 0 && o.maxStaleSeconds >= 0)) {
      return Promise.reject(new Error(`Cache ${o.key}: ttlSeconds must be > 0, staleSeconds and maxStaleSeconds >= 0`));
    }
    let pending = this.resolving.get(o.key) as Promise<CachedResult<T>> | undefined;
    if (!pending) {
      const started = this.resolve(o).finally(() => this.resolving.delete(o.key));
      this.resolving.set(o.key, started);
      pending = started;
    }
    return pending;
  }

  /** Loads and stores now, whatever the copy's age (the scheduled run); fails when either step fails. */
  async refresh<T>(key: string, load: () => Promise<T>): Promise<{ value: T; fetchedAt: Date }> {
    const value = await load();
    const fetchedAtMs = this.now();
    await this.write(key, value, fetchedAtMs);
    return { value, fetchedAt: new Date(fetchedAtMs) };
  }

  /** Drops the copy of a key (the next read loads). */
  async forget(key: string): Promise<void> {
    await this.doc(key).then((ref) => ref.delete());
  }

  /** Resolves once no read, load or background refresh of this instance is running (tests, shutdown). */
  async idle(): Promise<void> {
    while (this.resolving.size || this.refreshing.size) {
      await Promise.allSettled([...this.resolving.values(), ...this.refreshing.values()]);
    }
  }

  private async resolve<T>(o: CachedOptions<T>): Promise<CachedResult<T>> {
    const copy = await this.read(o.key, o.schema);
    const nowMs = this.now();
    const ageMs = copy ? nowMs - copy.fetchedAtMs : Infinity;
    if (copy && ageMs < o.ttlSeconds * 1000) return toResult(copy.value, copy.fetchedAtMs, 'hit', nowMs);
    if (copy && ageMs < (o.ttlSeconds + o.staleSeconds) * 1000) {
      this.revalidate(o, copy);
      return toResult(copy.value, copy.fetchedAtMs, 'stale', nowMs);
    }
    try {
      const value = await o.load();
      const fetchedAtMs = this.now();
      await this.write(o.key, value, fetchedAtMs).catch((err: unknown) => this.warn(o.key, 'store failed; served uncached', err));
      return toResult(value, fetchedAtMs, 'miss', fetchedAtMs);
    } catch (err) {
      if (!this.isTransient(err)) throw err;
      if (copy && ageMs <= o.maxStaleSeconds * 1000) {
        this.warn(o.key, 'load failed; served the stale copy', err);
        return toResult(copy.value, copy.fetchedAtMs, 'stale-error', this.now());
      }
      const retryAfterMs = isBibError(err) ? err.retryAfterMs : undefined;
      throw new AppError('DEPENDENCY_UNAVAILABLE', {
        detail: `${o.key} cannot be loaded now and no copy of it is recent enough`,
        headers: retryAfterMs === undefined ? undefined : { 'Retry-After': String(Math.max(1, Math.ceil(retryAfterMs / 1000))) },
        cause: err,
      });
    }
  }

  /**
   * One background refresh of a stale copy per key in this instance, and per copy across instances. Work after
   * the response may get little CPU in Cloud Functions: a refresh that stalls holds its lease only until it
   * expires, and the scheduled run refreshes the catalogue whatever the requests do.
   */
  private revalidate<T>(o: CachedOptions<T>, copy: CacheEntry<T>): void {
    if (this.refreshing.has(o.key)) return;
    const run = (async () => {
      const db = await this.db();
      const taken = await takeRefreshLease({ db, collection: this.collection, key: o.key, copyFetchedAtMs: copy.fetchedAtMs, holder: this.holder, nowMs: this.now(), leaseMs: this.leaseMs });
      if (taken) await this.refresh(o.key, o.load);
    })()
      // The lease stays until it expires: while the source fails, the instances retry once per lease.
      .catch((err: unknown) => this.warn(o.key, 'background refresh failed', err))
      .finally(() => this.refreshing.delete(o.key));
    this.refreshing.set(o.key, run);
  }

  private async read<T>(key: string, schema: z.ZodType<T>): Promise<CacheEntry<T> | undefined> {
    try {
      const snap = await (await this.doc(key)).get();
      if (!snap.exists) return undefined;
      const parsed = parseCacheDocument(key, snap.data(), schema);
      if (parsed.ok) return parsed.entry;
      this.warn(key, `unusable copy treated as missing (${parsed.reason})`);
      return undefined;
    } catch (err) {
      this.warn(key, 'read failed; loading instead', err);
      return undefined;
    }
  }

  private async write(key: string, value: unknown, fetchedAtMs: number): Promise<void> {
    await (await this.doc(key)).set(cacheDocumentData(key, value, fetchedAtMs));
  }

  private async doc(key: string) {
    return (await this.db()).collection(this.collection).doc(cacheDocId(key));
  }

  private warn(key: string, message: string, err?: unknown): void {
    logger().warn({ cacheKey: key, ...(err === undefined ? {} : { err: errorForLog(err) }) }, `cache: ${message}`);
  }
}
