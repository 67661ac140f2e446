import { strict as assert } from 'node:assert';
import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import { BibError } from '../bib/bib-error.js';
import { AppError } from '../errors.js';
import { firestore } from '../firestore.js';
import { cacheDocId, defaultCacheCollection } from './cache-document.js';
import { FirestoreCache, type CachedOptions } from './firestore-cache.js';

/** The Firestore cache against the emulator: hit, miss, stale-while-revalidate, stampedes, leases, failures. */

const schema = z.object({ n: z.number().int(), label: z.string() });
type Value = z.infer<typeof schema>;
const ttlSeconds = 60;
const staleSeconds = 600;
const maxStaleSeconds = 3_600;

function deferred<T>() {
  let resolve!: (v: T) => void;
  let reject!: (e: unknown) => void;
  const promise = new Promise<T>((a, b) => ((resolve = a), (reject = b)));
  return { promise, resolve, reject };
}

/** A load that counts its calls and answers what `next` says (a value, a promise or an error). */
function source(next: () => Value | Promise<Value> | Error) {
  const s = {
    calls: 0,
    started: deferred<void>(),
    load: async (): Promise<Value> => {
      s.calls++;
      s.started.resolve();
      const out = next();
      if (out instanceof Error) throw out;
      return out;
    },
  };
  return s;
}

describe('shared/cache: FirestoreCache', () => {
  let clock: number;
  const now = () => clock;
  const newCache = (o: { leaseSeconds?: number } = {}) => new FirestoreCache({ now, ...o });
  const uniqueKey = () => `test:${randomBytes(6).toString('hex')}`;
  const options = (key: string, load: () => Promise<Value>): CachedOptions<Value> => ({ key, ttlSeconds, staleSeconds, maxStaleSeconds, load, schema });
  const docOf = async (key: string) => (await firestore()).collection(defaultCacheCollection).doc(cacheDocId(key));
  const advance = (seconds: number) => (clock += seconds * 1000);

  beforeEach(() => {
    clock = Date.parse('2026-11-21T08:00:00Z');
  });

  it('misses once, stores, then hits until the TTL ends, with the age', async () => {
    const cache = newCache();
    const key = uniqueKey();
    const src = source(() => ({ n: src.calls, label: 'one' }));
    const first = await cache.get(options(key, src.load));
    assert.deepEqual([first.state, first.value, first.ageSeconds], ['miss', { n: 1, label: 'one' }, 0]);
    assert.equal(first.fetchedAt.getTime(), clock);
    const stored = (await (await docOf(key)).get()).data()!;
    assert.deepEqual([stored.key, stored.value, stored.fetchedAt.toMillis()], [key, { n: 1, label: 'one' }, clock]);

    advance(ttlSeconds - 1);
    const again = await newCache().get(options(key, src.load));
    assert.deepEqual([again.state, again.value, again.ageSeconds, again.fetchedAt.getTime()], ['hit', { n: 1, label: 'one' }, ttlSeconds - 1, first.fetchedAt.getTime()]);
    assert.equal(src.calls, 1);
  });

  it('stampede: 50 concurrent requests for a cold key load it once', async () => {
    const cache = newCache();
    const key = uniqueKey();
    const gate = deferred<Value>();
    const src = source(() => gate.promise);
    const pending = Array.from({ length: 50 }, () => cache.get(options(key, src.load)));
    await src.started.promise;
    gate.resolve({ n: 7, label: 'cold' });
    const results = await Promise.all(pending);
    assert.equal(src.calls, 1);
    assert.ok(results.every((r) => r.state === 'miss' && r.value.n === 7));
    assert.equal((await cache.get(options(key, src.load))).state, 'hit');
    assert.equal(src.calls, 1);
  });

  it('serves a stale copy at once while exactly one background load refreshes it', async () => {
    const cache = newCache();
    const key = uniqueKey();
    await cache.get(options(key, async () => ({ n: 1, label: 'old' })));
    advance(ttlSeconds + 5);
    const gate = deferred<Value>();
    const src = source(() => gate.promise);
    const during = await Promise.all(Array.from({ length: 10 }, () => cache.get(options(key, src.load))));
    assert.ok(during.every((r) => r.state === 'stale' && r.value.label === 'old' && r.ageSeconds === ttlSeconds + 5));
    await src.started.promise;
    // Still refreshing: later callers are served the stale copy and start nothing.
    assert.equal((await cache.get(options(key, src.load))).state, 'stale');
    gate.resolve({ n: 2, label: 'new' });
    await cache.idle();
    assert.equal(src.calls, 1);
    const after = await cache.get(options(key, src.load));
    assert.deepEqual([after.state, after.value, after.ageSeconds], ['hit', { n: 2, label: 'new' }, 0]);
    const doc = (await (await docOf(key)).get()).data()!;
    assert.equal(doc.refreshingUntil, null, 'the new copy carries no lease');
  });

  it('two instances: the refresh lease lets one of them refresh a stale copy, round after round', async () => {
    const [a, b] = [newCache(), newCache()];
    const key = uniqueKey();
    let n = 0;
    await a.get(options(key, async () => ({ n, label: 'v0' })));
    for (let round = 1; round <= 5; round++) {
      advance(ttlSeconds + 1);
      const src = source(() => ({ n: round, label: `v${round}` }));
      const results = await Promise.all([a, b, a, b].map((c) => c.get(options(key, src.load))));
      assert.ok(results.every((r) => r.state === 'stale' && r.value.n === round - 1), `round ${round}: ${JSON.stringify(results.map((r) => r.state))}`);
      await Promise.all([a.idle(), b.idle()]);
      assert.equal(src.calls, 1, `round ${round}: one refresh`);
      assert.deepEqual((await b.get(options(key, src.load))).value, { n: round, label: `v${round}` });
      n = round;
    }
  });

  it('a lease whose holder never finishes is taken over once it expires', async () => {
    const [a, b] = [newCache({ leaseSeconds: 30 }), newCache({ leaseSeconds: 30 })];
    const key = uniqueKey();
    await a.get(options(key, async () => ({ n: 0, label: 'v0' })));
    advance(ttlSeconds + 1);
    const hung = deferred<Value>();
    const stuck = source(() => hung.promise);
    assert.equal((await a.get(options(key, stuck.load))).state, 'stale');
    await stuck.started.promise;

    const second = source(() => ({ n: 1, label: 'v1' }));
    assert.equal((await b.get(options(key, second.load))).state, 'stale');
    await b.idle();
    assert.equal(second.calls, 0, 'the lease is held');
    advance(31);
    assert.equal((await b.get(options(key, second.load))).state, 'stale');
    await b.idle();
    assert.equal(second.calls, 1, 'taken over after expiry');
    assert.equal((await b.get(options(key, second.load))).state, 'hit');
    hung.resolve({ n: 9, label: 'late' });
    await a.idle();
  });

  it('Bib down: a copy past the stale window but within the maximum is served as stale-error', async () => {
    const cache = newCache();
    const key = uniqueKey();
    await cache.get(options(key, async () => ({ n: 1, label: 'kept' })));
    advance(ttlSeconds + staleSeconds + 10);
    const down = source(() => new BibError('unavailable', 'Bib answered 503', { status: 503 }));
    const res = await cache.get(options(key, down.load));
    assert.deepEqual([res.state, res.value, res.ageSeconds], ['stale-error', { n: 1, label: 'kept' }, ttlSeconds + staleSeconds + 10]);
    assert.equal(down.calls, 1);
  });

  it('Bib down with no copy, or one older than the maximum: 503 DEPENDENCY_UNAVAILABLE (Retry-After when Bib gave one)', async () => {
    const cache = newCache();
    const cases: Array<[string, number | undefined, Error, string | undefined]> = [
      ['no copy', undefined, new BibError('timeout', 'timed out'), undefined],
      ['a copy too old', maxStaleSeconds + 1, new BibError('unavailable', 'down', { retryAfterMs: 1_500 }), '2'],
      ['rate limited, no copy', undefined, new BibError('rate_limited', '429', { retryAfterMs: 30_000 }), '30'],
      ['the circuit open', undefined, new BibError('circuit_open', 'open', { retryAfterMs: 10_000 }), '10'],
    ];
    for (const [name, age, error, retryAfter] of cases) {
      const key = uniqueKey();
      if (age !== undefined) {
        await cache.get(options(key, async () => ({ n: 1, label: 'ancient' })));
        advance(age);
      }
      await assert.rejects(cache.get(options(key, source(() => error).load)), (err: unknown) => {
        assert.ok(err instanceof AppError, name);
        assert.equal(err.code, 'DEPENDENCY_UNAVAILABLE', name);
        assert.equal(err.headers?.['Retry-After'], retryAfter, name);
        return true;
      });
    }
  });

  it('a failure that is not transient is passed on, even with a copy', async () => {
    const cache = newCache();
    const key = uniqueKey();
    await cache.get(options(key, async () => ({ n: 1, label: 'x' })));
    advance(ttlSeconds + staleSeconds + 1);
    const notFound = new BibError('not_found', 'Bib answered 404', { status: 404 });
    await assert.rejects(cache.get(options(key, source(() => notFound).load)), (err) => err === notFound);
  });

  it('a corrupt or foreign document counts as missing: loaded again and replaced', async () => {
    const cache = newCache();
    const cases: Array<[string, (key: string) => Record<string, unknown>]> = [
      ['a value that fails the schema', (key) => ({ key, value: { n: 'one' }, fetchedAt: new Date(clock) })],
      ['no fetchedAt', (key) => ({ key, value: { n: 1, label: 'x' } })],
      ['a fetchedAt that is no timestamp', (key) => ({ key, value: { n: 1, label: 'x' }, fetchedAt: 'yesterday' })],
      ['another key', () => ({ key: 'someone-else', value: { n: 1, label: 'x' }, fetchedAt: new Date(clock) })],
    ];
    for (const [name, data] of cases) {
      const key = uniqueKey();
      await (await docOf(key)).set(data(key));
      const src = source(() => ({ n: 2, label: 'repaired' }));
      const res = await cache.get(options(key, src.load));
      assert.deepEqual([res.state, res.value, src.calls], ['miss', { n: 2, label: 'repaired' }, 1], name);
      assert.equal((await cache.get(options(key, src.load))).state, 'hit', name);
    }
  });

  it('a failing background refresh keeps serving the stale copy and is retried once per lease', async () => {
    const cache = newCache({ leaseSeconds: 20 });
    const key = uniqueKey();
    await cache.get(options(key, async () => ({ n: 1, label: 'old' })));
    advance(ttlSeconds + 1);
    const down = source(() => new BibError('unavailable', 'down'));
    for (let i = 0; i < 3; i++) {
      assert.equal((await cache.get(options(key, down.load))).state, 'stale');
      await cache.idle();
    }
    assert.equal(down.calls, 1);
    advance(21);
    assert.equal((await cache.get(options(key, down.load))).state, 'stale');
    await cache.idle();
    assert.equal(down.calls, 2);
  });

  it('refresh() loads and stores even a fresh key, and fails when the load does', async () => {
    const cache = newCache();
    const key = uniqueKey();
    await cache.get(options(key, async () => ({ n: 1, label: 'first' })));
    advance(5);
    const forced = await cache.refresh(key, async () => ({ n: 2, label: 'forced' }));
    assert.equal(forced.fetchedAt.getTime(), clock);
    const res = await cache.get(options(key, async () => assert.fail('no load on a hit')));
    assert.deepEqual([res.state, res.value], ['hit', { n: 2, label: 'forced' }]);
    await assert.rejects(cache.refresh(key, async () => Promise.reject(new BibError('timeout', 'slow'))), BibError);
    await cache.forget(key);
    assert.equal((await (await docOf(key)).get()).exists, false);
  });

  it('Firestore unreachable: the value is loaded and served uncached', async () => {
    const cache = new FirestoreCache({ now, db: () => Promise.reject(new Error('no Firestore')) });
    const src = source(() => ({ n: 1, label: 'direct' }));
    const opts = options(uniqueKey(), src.load);
    assert.equal((await cache.get(opts)).state, 'miss');
    assert.equal((await cache.get(opts)).state, 'miss');
    assert.equal(src.calls, 2);
  });
});

describe('shared/cache: cacheDocId', () => {
  it('keeps plain keys readable and escapes what a document id cannot hold', () => {
    const cases: Array<[string, string]> = [
      ['products', 'products'],
      ['portfolio:BIB-1', 'portfolio:BIB-1'],
      ['portfolio:BIB.7', 'portfolio:BIB%2E7'],
      ['a/b', 'a%2Fb'],
      ['.', '%2E'],
      ['__x__', '%5F%5Fx%5F%5F'],
      ['é', '%C3%A9'],
      ['100%', '100%25'],
    ];
    for (const [key, id] of cases) assert.equal(cacheDocId(key), id, key);
    assert.throws(() => cacheDocId(''));
    assert.throws(() => cacheDocId('/'.repeat(400)));
  });
});
