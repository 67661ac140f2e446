import { strict as assert } from 'node:assert';
import { hasReachedAge, isCalendarDate, jakartaDate } from './calendar.js';
import { countryCodeSchema, isCountryCode } from './country.js';

describe('crm kyc calendar and countries', () => {
  const days: [string, string][] = [
    ['2026-05-12T16:59:59Z', '2026-05-12'],
    ['2026-05-12T17:00:00Z', '2026-05-13'],
    ['2026-12-31T17:00:00Z', '2027-01-01'],
  ];
  for (const [instant, day] of days) {
    it(`${instant} is ${day} in Jakarta`, () => assert.equal(jakartaDate(new Date(instant)), day));
  }

  const dates: [number, number, number, boolean][] = [
    [2024, 2, 29, true],
    [2000, 2, 29, true],
    [1900, 2, 29, false],
    [2026, 2, 29, false],
    [2026, 4, 31, false],
    [2026, 12, 31, true],
    [2026, 13, 1, false],
    [2026, 0, 1, false],
    [2026, 1, 0, false],
  ];
  for (const [y, m, d, ok] of dates) {
    it(`${y}-${m}-${d} ${ok ? 'is' : 'is not'} a calendar date`, () => assert.equal(isCalendarDate(y, m, d), ok));
  }

  const ages: [string, number, string, boolean][] = [
    ['2009-05-12', 17, '2026-05-12', true],
    ['2009-05-13', 17, '2026-05-12', false],
    ['2008-02-29', 17, '2025-02-28', false],
    ['2008-02-29', 17, '2025-03-01', true],
    ['2008-02-29', 16, '2024-02-29', true],
  ];
  for (const [birth, years, today, ok] of ages) {
    it(`born ${birth} ${ok ? 'is' : 'is not'} ${years} on ${today}`, () => assert.equal(hasReachedAge(birth, years, today), ok));
  }

  const countries: [string, string | null][] = [
    ['ID', 'ID'],
    ['sg', 'SG'],
    [' US ', 'US'],
    ['XX', null],
    ['EU', null],
    ['UN', null],
    ['ZZ', null],
    ['IDN', null],
    ['I', null],
  ];
  for (const [input, out] of countries) {
    it(`country ${JSON.stringify(input)} ${out ? `is ${out}` : 'is refused'}`, () => {
      const r = countryCodeSchema.safeParse(input);
      assert.equal(r.success, out !== null);
      if (r.success) assert.equal(r.data, out);
      if (out) assert.ok(isCountryCode(out));
    });
  }
});
