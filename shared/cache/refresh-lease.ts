import type { Firestore } from '@google-cloud/firestore';
import { cacheDocId } from './cache-document.js';

export interface LeaseRequest {
  db: Firestore;
  collection: string;
  key: string;
  /** The stale copy the caller saw: the lease is for replacing exactly that copy. */
  copyFetchedAtMs: number;
  /** Who takes it (one id per cache instance), for the record. */
  holder: string;
  nowMs: number;
  leaseMs: number;
}

const alreadyExists = 6;
const markerLifeMs = 86_400_000;

/** Marker documents live beside the cache: `<collection>Leases`. */
export const leaseCollectionOf = (collection: string) => `${collection}Leases`;

/**
 * Takes the refresh lease of a stale copy, so one function instance refreshes it while the others keep serving
 * it. In one Firestore transaction: the document still holds that copy and no unexpired lease
 * (`refreshingUntil`), then `refreshingUntil` = now + lease and `leaseSeq` + 1.
 *
 * The transaction also creates a marker document named after the copy and the new leaseSeq. Creating fails
 * when it exists, so even where transactions do not isolate (the emulator the tests run against has no locks)
 * exactly one of two concurrent takers wins. A holder that dies leaves its lease to expire; the next taker
 * then uses the next leaseSeq. A new copy starts its own markers, so storing one may reset the lease fields.
 * Markers carry `expireAt` for a Firestore TTL policy.
 */
export async function takeRefreshLease(r: LeaseRequest): Promise<boolean> {
  const id = cacheDocId(r.key);
  const ref = r.db.collection(r.collection).doc(id);
  try {
    return await r.db.runTransaction(
      async (tx) => {
        const data = (await tx.get(ref)).data();
        const fetchedAtMs = millis(data?.fetchedAt);
        // Gone, or another instance stored a newer copy since this one was read: nothing to refresh.
        if (data?.key !== r.key || fetchedAtMs !== r.copyFetchedAtMs) return false;
        if (millis(data.refreshingUntil) > r.nowMs) return false;
        const seq = (typeof data.leaseSeq === 'number' ? data.leaseSeq : 0) + 1;
        const until = new Date(r.nowMs + r.leaseMs);
        const marker = r.db.collection(leaseCollectionOf(r.collection)).doc(`${id}@${r.copyFetchedAtMs}.${seq}`);
        // The create comes first: where a commit is not atomic, a lost race writes nothing.
        tx.create(marker, { key: r.key, holder: r.holder, until, expireAt: new Date(r.nowMs + markerLifeMs) });
        tx.update(ref, { refreshingUntil: until, leaseSeq: seq, leaseHolder: r.holder });
        return true;
      },
      { maxAttempts: 3 },
    );
  } catch (err) {
    if ((err as { code?: unknown }).code === alreadyExists) return false;
    throw err;
  }
}

function millis(v: unknown): number {
  return typeof (v as { toMillis?: unknown } | null | undefined)?.toMillis === 'function' ? (v as { toMillis(): number }).toMillis() : 0;
}
