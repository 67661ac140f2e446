import { strict as assert } from 'node:assert';
import { randomUUID } from 'node:crypto';
import { ownerQuery } from '../test/support/owner.js';
import { AppError } from './errors.js';
import { countHits, enforceLimits, type LimitRule } from './rate-limit.js';

/** Fixed-window counters in Postgres (table rate_limit), against the real database. */

/** A rule name of its own per test, so counters never meet another test's. */
const uniqueName = (what: string) => `test-${what}-${randomUUID()}`;

/** Windows this long practically never end during a test (a boundary would reset the counter). */
const longWindow = 1_000_000;

async function rowsOf(name: string) {
  return ownerQuery<{ key: string; hits: number; window_start: Date; expires_at: Date }>(
    `select key, hits, window_start, expires_at from rate_limit where key like $1::text order by key`,
    [`${name}:%`],
  );
}

describe('rate limits (shared/rate-limit.ts)', () => {
  it('counts hits of one subject across calls and refuses past the limit', async () => {
    const rule: LimitRule = { name: uniqueName('count'), subject: '198.51.100.7', windowSeconds: longWindow, limit: 3 };
    const verdicts = [];
    for (let i = 0; i < 5; i++) verdicts.push(await countHits([rule]));
    assert.deepEqual(verdicts.map((v) => v.allowed), [true, true, true, false, false]);
    assert.deepEqual(verdicts[0], { allowed: true, retryAfter: 0 });
    assert.equal(verdicts[3]!.rule, rule.name);
    const [row] = await rowsOf(rule.name);
    assert.equal(row!.hits, 5, 'refused hits are counted too');
    assert.equal(row!.expires_at.getTime() - row!.window_start.getTime(), longWindow * 1000);
  });

  it('keeps separate counters per subject, per rule name and per window', async () => {
    const name = uniqueName('separate');
    const base = { name, windowSeconds: longWindow, limit: 1 };
    assert.equal((await countHits([{ ...base, subject: 'a@example.test' }])).allowed, true);
    assert.equal((await countHits([{ ...base, subject: 'b@example.test' }])).allowed, true);
    assert.equal((await countHits([{ ...base, name: `${name}-other`, subject: 'a@example.test' }])).allowed, true);
    assert.equal((await countHits([{ ...base, windowSeconds: longWindow - 1, subject: 'a@example.test' }])).allowed, true);
    assert.equal((await countHits([{ ...base, subject: 'a@example.test' }])).allowed, false);
  });

  it('refuses with 429 RATE_LIMITED and a Retry-After no longer than the window', async () => {
    for (const windowSeconds of [60, 3600]) {
      const rule: LimitRule = { name: uniqueName('enforce'), subject: '2001:db8::1', windowSeconds, limit: 1 };
      await enforceLimits([rule]);
      const err = await enforceLimits([rule]).then(
        () => assert.fail('the second hit is refused'),
        (e: unknown) => e,
      );
      assert.ok(err instanceof AppError);
      assert.equal(err.code, 'RATE_LIMITED');
      assert.equal(err.status, 429);
      const retryAfter = Number(err.headers?.['Retry-After']);
      assert.ok(Number.isInteger(retryAfter) && retryAfter >= 1 && retryAfter <= windowSeconds, `Retry-After ${retryAfter} within ${windowSeconds}`);
      assert.equal(err.extra?.retryAfter, retryAfter);
    }
  });

  it('counts every rule of a call in one go and answers the longest wait among the exhausted ones', async () => {
    const name = uniqueName('multi');
    const rules: LimitRule[] = [
      { name: `${name}-minute`, subject: 'x', windowSeconds: 60, limit: 1 },
      { name: `${name}-long`, subject: 'x', windowSeconds: longWindow, limit: 1 },
      { name: `${name}-roomy`, subject: 'x', windowSeconds: longWindow, limit: 100 },
    ];
    assert.equal((await countHits(rules)).allowed, true);
    const second = await countHits(rules);
    assert.equal(second.allowed, false);
    assert.equal(second.rule, `${name}-long`);
    assert.ok(second.retryAfter > 60 && second.retryAfter <= longWindow);
    for (const rule of rules) assert.equal((await rowsOf(rule.name))[0]!.hits, 2, rule.name);
  });

  it('skips rules without a subject (and stores nothing for them)', async () => {
    const name = uniqueName('nosubject');
    for (const subject of [null, undefined, '']) {
      const verdict = await countHits([{ name, subject, windowSeconds: 60, limit: 0 }]);
      assert.deepEqual(verdict, { allowed: true, retryAfter: 0 });
      await enforceLimits([{ name, subject, windowSeconds: 60, limit: 0 }]);
    }
    assert.deepEqual(await rowsOf(name), []);
    // Mixed with a rule that has one, only that one counts.
    const withSubject = { name: `${name}-ip`, subject: '203.0.113.5', windowSeconds: 60, limit: 5 };
    await countHits([{ name, subject: null, windowSeconds: 60, limit: 0 }, withSubject]);
    assert.deepEqual(await rowsOf(name), []);
    assert.equal((await rowsOf(withSubject.name)).length, 1);
  });

  it('never stores a subject in the clear', async () => {
    const name = uniqueName('clear');
    const subjects = ['Agent.Budi@Example.test', '+6281234567890', '203.0.113.77', '2001:db8::77'];
    for (const subject of subjects) await countHits([{ name, subject, windowSeconds: longWindow, limit: 10 }]);
    const rows = await rowsOf(name);
    assert.equal(rows.length, subjects.length);
    assert.ok(rows.every(({ key }) => !key.includes('6281234567890')), 'not even the phone number’s digits');
    for (const { key } of rows) {
      assert.match(key, new RegExp(`^${name}:${longWindow}:[A-Za-z0-9_-]{43}$`), 'name, window and a keyed hash');
      for (const subject of subjects) {
        assert.ok(!key.toLowerCase().includes(subject.toLowerCase()), `${subject} not in ${key}`);
      }
    }
    const everything = await ownerQuery<{ row: string }>(`select row_to_json(r)::text as row from rate_limit r where key like $1::text`, [`${name}:%`]);
    for (const { row } of everything) for (const subject of subjects) assert.ok(!row.includes(subject), row);
  });

  it('allows exactly the limit under concurrency (50 hits at once, limit 10)', async () => {
    const rule: LimitRule = { name: uniqueName('concurrent'), subject: '198.51.100.50', windowSeconds: longWindow, limit: 10 };
    const verdicts = await Promise.all(Array.from({ length: 50 }, () => countHits([rule])));
    assert.equal(verdicts.filter((v) => v.allowed).length, 10);
    assert.equal((await rowsOf(rule.name))[0]!.hits, 50);
  });

  it('allows exactly the limit under concurrency through enforceLimits too', async () => {
    const rule: LimitRule = { name: uniqueName('concurrent-enforce'), subject: 'someone@example.test', windowSeconds: longWindow, limit: 10 };
    const results = await Promise.allSettled(Array.from({ length: 50 }, () => enforceLimits([rule])));
    assert.equal(results.filter((r) => r.status === 'fulfilled').length, 10);
    const refused = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
    assert.equal(refused.length, 40);
    assert.ok(refused.every((r) => r.reason instanceof AppError && r.reason.code === 'RATE_LIMITED'));
  });

  it('starts counting afresh in the next window', async () => {
    const rule: LimitRule = { name: uniqueName('next-window'), subject: 'x', windowSeconds: 3600, limit: 1 };
    await countHits([rule]);
    assert.equal((await countHits([rule])).allowed, false);
    // Move the current window back by one length: the counter now belongs to the previous window.
    await ownerQuery(
      `update rate_limit set window_start = window_start - interval '1 hour', expires_at = expires_at - interval '1 hour' where key like $1::text`,
      [`${rule.name}:%`],
    );
    assert.equal((await countHits([rule])).allowed, true);
    assert.equal((await rowsOf(rule.name)).length, 2);
  });
});
