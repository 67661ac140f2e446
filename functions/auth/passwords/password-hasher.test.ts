import { strict as assert } from 'node:assert';
import { hash as rawHash } from '@node-rs/argon2';
import { config, reloadConfig } from '../../../shared/config.js';
import { AppError } from '../../../shared/errors.js';
import { hashPassword, hasherStats, needsRehash, resetHasherStats, verifyDummy, verifyPassword } from './password-hasher.js';

const argon2Keys = ['ARGON2_MEMORY_KIB', 'ARGON2_TIME_COST', 'ARGON2_PARALLELISM', 'ARGON2_MAX_CONCURRENCY', 'ARGON2_MAX_QUEUE'] as const;
type Argon2Env = Partial<Record<(typeof argon2Keys)[number], string>>;

/** Sets the argon2 settings for one describe block (absent = default) and restores the environment after. */
function useArgon2Env(values: Argon2Env): void {
  const saved = new Map<string, string | undefined>();
  const apply = (entries: Iterable<[string, string | undefined]>) => {
    for (const [key, value] of entries) {
      if (value === undefined) delete process.env[key];
      else process.env[key] = value;
    }
    reloadConfig();
  };
  before(() => {
    for (const key of argon2Keys) saved.set(key, process.env[key]);
    apply(argon2Keys.map((key) => [key, values[key]]));
  });
  after(() => apply(saved));
}

function phcParams(phc: string) {
  const match = /^\$(argon2(?:id|i|d))\$v=19\$m=(\d+),t=(\d+),p=(\d+)\$[A-Za-z0-9+/]{22}\$[A-Za-z0-9+/]{43}$/.exec(phc);
  assert.ok(match, `not a PHC string: ${phc}`);
  return { algorithm: match[1], m: Number(match[2]), t: Number(match[3]), p: Number(match[4]) };
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

async function timed(fn: () => Promise<unknown>): Promise<number> {
  const start = performance.now();
  await fn();
  return performance.now() - start;
}

describe('password hasher', () => {
  useArgon2Env({});

  it('hashes with argon2id at m=19456, t=2, p=1 by default, with a fresh salt each time', async () => {
    const a = await hashPassword('tangerine-velvet-42');
    const b = await hashPassword('tangerine-velvet-42');
    assert.deepEqual(phcParams(a), { algorithm: 'argon2id', m: 19456, t: 2, p: 1 });
    assert.notEqual(a, b);
  });

  it('verifies the right password and only that', async () => {
    const stored = await hashPassword('tangerine-velvet-42');
    const cases: Array<[string, boolean]> = [
      ['tangerine-velvet-42', true],
      ['Tangerine-velvet-42', false],
      ['tangerine-velvet-4', false],
      ['', false],
    ];
    for (const [plain, expected] of cases) assert.equal(await verifyPassword(stored, plain), expected, plain);
  });

  it('answers false, without throwing, for a malformed hash', async () => {
    const good = await hashPassword('tangerine-velvet-42');
    const malformed = [
      '',
      'not a hash',
      '$2b$10$N9qo8uLOickgx2ZMRZoMyeIjZAgcfl7p92ldGxad68LJZdL17lhWy',
      '$argon2id$v=19$m=19456,t=2,p=1$',
      good.slice(0, good.lastIndexOf('$')),
      good.replace('m=19456', 'm=abc'),
    ];
    for (const stored of malformed) assert.equal(await verifyPassword(stored, 'tangerine-velvet-42'), false, stored);
  });

  it('tells which hashes need re-hashing with the current parameters', async () => {
    const made = (o: { memoryCost?: number; timeCost?: number; parallelism?: number; algorithm?: 0 | 1 | 2 }) =>
      rawHash('x', { memoryCost: 19456, timeCost: 2, parallelism: 1, algorithm: 2, ...o });
    const cases: Array<[string, Promise<string> | string, boolean]> = [
      ['current parameters', hashPassword('x'), false],
      ['less memory', made({ memoryCost: 4096 }), true],
      ['fewer passes', made({ timeCost: 1 }), true],
      ['more lanes', made({ parallelism: 2 }), true],
      ['argon2i', made({ algorithm: 1 }), true],
      ['malformed', 'not a hash', true],
    ];
    for (const [name, stored, expected] of cases) assert.equal(needsRehash(await stored), expected, name);
  });

  it('verifyDummy costs about what a real verify costs', async () => {
    const stored = await hashPassword('tangerine-velvet-42');
    await verifyDummy('warm-up'); // makes the dummy hash once
    const dummy: number[] = [];
    const real: number[] = [];
    for (let i = 0; i < 7; i++) {
      dummy.push(await timed(() => verifyDummy('guess')));
      real.push(await timed(() => verifyPassword(stored, 'guess')));
    }
    const ratio = median(dummy) / median(real);
    assert.ok(ratio > 0.5 && ratio < 2, `dummy ${median(dummy).toFixed(1)} ms vs real ${median(real).toFixed(1)} ms`);
  });

  it('keeps memory bounded under 200 concurrent verifies at the default parameters', async function () {
    this.timeout(15_000);
    await verifyDummy('warm-up');
    resetHasherStats();
    const before = process.memoryUsage().rss;
    let peak = before;
    const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 2);
    try {
      await Promise.all(Array.from({ length: 200 }, (_, i) => verifyDummy(`guess-${i}`)));
    } finally {
      clearInterval(sampler);
    }
    peak = Math.max(peak, process.memoryUsage().rss);
    const growthMiB = (peak - before) / 2 ** 20;
    // Measured about 40 MiB (two 19 MiB computations); unbounded it would be up to 200 × 19 MiB.
    assert.ok(growthMiB < 128, `rss grew ${growthMiB.toFixed(1)} MiB`);
    assert.deepEqual(hasherStats(), { running: 0, queued: 0, peakRunning: config().ARGON2_MAX_CONCURRENCY });
  });
});

describe('password hasher under load', () => {
  useArgon2Env({ ARGON2_MEMORY_KIB: '1024', ARGON2_TIME_COST: '1' });

  it('hashes 200 concurrent passwords with at most ARGON2_MAX_CONCURRENCY running at once', async () => {
    resetHasherStats();
    const hashes = await Promise.all(Array.from({ length: 200 }, (_, i) => hashPassword(`password-${i}`)));
    assert.equal(new Set(hashes).size, 200);
    assert.deepEqual(phcParams(hashes[0]!), { algorithm: 'argon2id', m: 1024, t: 1, p: 1 });
    assert.equal(await verifyPassword(hashes[7]!, 'password-7'), true);
    assert.deepEqual(hasherStats(), { running: 0, queued: 0, peakRunning: config().ARGON2_MAX_CONCURRENCY });
  });

  it('marks hashes made with the defaults for re-hashing once the parameters change', async () => {
    const old = await rawHash('x', { memoryCost: 19456, timeCost: 2, parallelism: 1, algorithm: 2 });
    assert.equal(needsRehash(old), true);
    assert.equal(needsRehash(await hashPassword('x')), false);
  });
});

describe('password hasher queue overflow', () => {
  useArgon2Env({ ARGON2_MEMORY_KIB: '1024', ARGON2_TIME_COST: '1', ARGON2_MAX_CONCURRENCY: '1', ARGON2_MAX_QUEUE: '3' });

  it('answers DEPENDENCY_UNAVAILABLE with Retry-After beyond the queue, and recovers once it drains', async () => {
    // One runs, three wait, the fifth is refused at once.
    const results = await Promise.allSettled(Array.from({ length: 5 }, (_, i) => hashPassword(`password-${i}`)));
    assert.deepEqual(
      results.map((r) => r.status),
      ['fulfilled', 'fulfilled', 'fulfilled', 'fulfilled', 'rejected'],
    );
    const refused = (results[4] as PromiseRejectedResult).reason;
    assert.ok(refused instanceof AppError);
    assert.equal(refused.code, 'DEPENDENCY_UNAVAILABLE');
    assert.equal(refused.status, 503);
    assert.deepEqual(refused.headers, { 'Retry-After': '1' });
    const stored = await hashPassword('after the rush');
    assert.equal(await verifyPassword(stored, 'after the rush'), true);
  });

  it('refuses verifies the same way', async () => {
    const stored = await hashPassword('x');
    const results = await Promise.allSettled(Array.from({ length: 5 }, () => verifyPassword(stored, 'x')));
    assert.equal((results[4] as PromiseRejectedResult).reason?.code, 'DEPENDENCY_UNAVAILABLE');
  });
});
