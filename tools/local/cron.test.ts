import { strict as assert } from 'node:assert';
import { nextRun, parseCron } from './cron.js';

describe('local cron', () => {
  const cases: Array<[string, string, string, string]> = [
    ['every minute', '* * * * *', '2026-01-01T00:00:30Z', '2026-01-01T00:01:00.000Z'],
    ['every 5 minutes', '*/5 * * * *', '2026-01-01T00:03:00Z', '2026-01-01T00:05:00.000Z'],
    ['daily 02:00 Jakarta is 19:00 UTC', '0 2 * * *', '2026-01-01T20:00:00Z', '2026-01-02T19:00:00.000Z'],
    ['weekdays 09:30', '30 9 * * 1-5', '2026-01-03T00:00:00Z', '2026-01-05T02:30:00.000Z'],
    ['first of the month', '0 0 1 * *', '2026-01-15T00:00:00Z', '2026-01-31T17:00:00.000Z'],
    ['Sunday as 7', '0 0 * * 7', '2026-01-01T00:00:00Z', '2026-01-03T17:00:00.000Z'],
  ];
  for (const [name, expr, from, expected] of cases) {
    it(`${name}: ${expr}`, () => {
      assert.equal(nextRun(expr, new Date(from), 'Asia/Jakarta').toISOString(), expected);
    });
  }

  it('refuses malformed expressions', () => {
    for (const bad of ['* * * *', '61 * * * *', '*/0 * * * *', 'a * * * *', '5-1 * * * *']) assert.throws(() => parseCron(bad), /cron/i);
  });
});
