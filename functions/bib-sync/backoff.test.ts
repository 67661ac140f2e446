import { strict as assert } from 'node:assert';
import fc from 'fast-check';
import { backoffCeilingMs, backoffMs } from './backoff.js';

/** Full jitter: a uniform draw under an exponentially growing, capped ceiling, never under a Retry-After. */
describe('backoff', () => {
  const input = fc.record({
    attempts: fc.integer({ min: 0, max: 60 }),
    baseMs: fc.integer({ min: 0, max: 100_000 }),
    maxMs: fc.integer({ min: 0, max: 10_000_000 }),
    draw: fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }),
  });

  it('draws between 0 and min(max, base × 2^attempts)', () => {
    fc.assert(
      fc.property(input, ({ attempts, baseMs, maxMs, draw }) => {
        const delay = backoffMs({ attempts, baseMs, maxMs, random: () => draw });
        assert.ok(delay >= 0 && delay <= Math.min(maxMs, baseMs * 2 ** attempts), `${delay}`);
        assert.ok(Number.isInteger(delay));
      }),
    );
  });

  it('doubles the ceiling with every attempt until the cap, then stays there', () => {
    fc.assert(
      fc.property(input, ({ attempts, baseMs, maxMs }) => {
        const next = backoffCeilingMs({ attempts: attempts + 1, baseMs, maxMs });
        assert.equal(next, Math.min(maxMs, 2 * backoffCeilingMs({ attempts, baseMs, maxMs })));
      }),
    );
    const ceilings = [0, 1, 2, 3, 4, 5, 6, 30].map((attempts) => backoffCeilingMs({ attempts, baseMs: 1000, maxMs: 20_000 }));
    assert.deepEqual(ceilings, [1000, 2000, 4000, 8000, 16_000, 20_000, 20_000, 20_000]);
  });

  it('reaches both ends of the range: the lowest draw is 0, the highest the ceiling', () => {
    assert.equal(backoffMs({ attempts: 3, baseMs: 1000, maxMs: 60_000, random: () => 0 }), 0);
    assert.equal(backoffMs({ attempts: 3, baseMs: 1000, maxMs: 60_000, random: () => 0.999_999_9 }), 8000);
  });

  it('spreads a batch of records uniformly (seeded): no clustering at the ceiling', () => {
    // mulberry32, seed 42.
    let seed = 42;
    const random = () => {
      seed = (seed + 0x6d2b79f5) | 0;
      let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
      t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
      return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
    };
    const delays = Array.from({ length: 4000 }, () => backoffMs({ attempts: 4, baseMs: 100, maxMs: 10_000, random }));
    const mean = delays.reduce((a, b) => a + b, 0) / delays.length;
    assert.ok(Math.abs(mean - 800) < 40, `mean ${mean}`);
    const quarters = [0, 1, 2, 3].map((q) => delays.filter((d) => d >= q * 400 && d < (q + 1) * 400).length);
    for (const n of quarters) assert.ok(n > 850 && n < 1150, `quarters ${quarters.join(',')}`);
  });

  it("never retries before Bib's Retry-After (or the open circuit's remaining time)", () => {
    fc.assert(
      fc.property(input, fc.integer({ min: 0, max: 600_000 }), ({ attempts, baseMs, maxMs, draw }, retryAfterMs) => {
        const delay = backoffMs({ attempts, baseMs, maxMs, retryAfterMs, random: () => draw });
        assert.ok(delay >= retryAfterMs);
        assert.ok(delay <= Math.max(retryAfterMs, Math.min(maxMs, baseMs * 2 ** attempts)));
      }),
    );
  });
});
