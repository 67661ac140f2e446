import { strict as assert } from 'node:assert';
import fc from 'fast-check';
import { femaleGender, maleGender } from './kyc-options.js';
import { nikRuleErrors, parseNik, type ParsedNik } from './nik.js';

/** Noon in Jakarta on 12 May 2026. */
const today = new Date('2026-05-12T12:00:00+07:00');
const central = { provinceCode: '31', cityCode: '31.71', districtCode: '31.71.01' };

/** The NIK of someone registered in Gambir, Jakarta Pusat. */
function nikOf(birthDate: string, gender: string, serial = '0001', region = '317101'): string {
  const [y, m, d] = birthDate.split('-') as [string, string, string];
  const day = gender === femaleGender ? Number(d) + 40 : Number(d);
  return `${region}${String(day).padStart(2, '0')}${m}${y.slice(2)}${serial}`;
}

describe('crm kyc NIK', () => {
  const parsed: [string, string, Date, ParsedNik | null][] = [
    ['a man born 12 May 1990', '3171011205900001', today, { ...central, birthDate: '1990-05-12', gender: maleGender }],
    ['a woman born 12 May 1990 (day + 40)', '3171015205900002', today, { ...central, birthDate: '1990-05-12', gender: femaleGender }],
    ['a woman born on the 1st (41)', '3171014101900001', today, { ...central, birthDate: '1990-01-01', gender: femaleGender }],
    ['a woman born on the 31st (71)', '3171017101900001', today, { ...central, birthDate: '1990-01-31', gender: femaleGender }],
    ['a Surabaya NIK', '3578011205900001', today, { provinceCode: '35', cityCode: '35.78', districtCode: '35.78.01', birthDate: '1990-05-12', gender: maleGender }],
    ["'05 is 2005 in 2026", '3171011205050001', today, { ...central, birthDate: '2005-05-12', gender: maleGender }],
    ["'26 is 2026 in 2026 (the same year counts)", '3171010101260001', today, { ...central, birthDate: '2026-01-01', gender: maleGender }],
    ["'27 is 1927 in 2026", '3171010101270001', today, { ...central, birthDate: '1927-01-01', gender: maleGender }],
    ["'27 is 2027 once it is 2027 in Jakarta (UTC still 2026)", '3171010101270001', new Date('2026-12-31T18:00:00Z'), { ...central, birthDate: '2027-01-01', gender: maleGender }],
    ["'05 is 1905 before 2005", '3171011205050001', new Date('2004-06-01T00:00:00Z'), { ...central, birthDate: '1905-05-12', gender: maleGender }],
    ['29 February of a leap year (2000)', '3171012902000001', today, { ...central, birthDate: '2000-02-29', gender: maleGender }],
    ['29 February of a leap year, a woman (69)', '3171016902000001', today, { ...central, birthDate: '2000-02-29', gender: femaleGender }],
    ['31 February (310299)', '3171013102990001', today, null],
    ['30 February (300299)', '3171013002990001', today, null],
    ['29 February of a common year (290299)', '3171012902990001', today, null],
    ['29 February of a common year, a woman (690299)', '3171016902990001', today, null],
    ['31 April', '3171013104900001', today, null],
    ['day 00', '3171010005900001', today, null],
    ['day 32', '3171013205900001', today, null],
    ['day 40', '3171014005900001', today, null],
    ['day 72', '3171017205900001', today, null],
    ['month 00', '3171011200900001', today, null],
    ['month 13', '3171011213900001', today, null],
    ['serial 0000', '3171011205900000', today, null],
    ['province 01', '0171011205900001', today, null],
    ['city 00', '3100011205900001', today, null],
    ['district 00', '3171001205900001', today, null],
    ['15 digits', '317101120590001', today, null],
    ['17 digits', '31710112059000011', today, null],
    ['a letter', '317101120590000A', today, null],
    ['spaces', '3171 0112 0590 0001', today, null],
    ['empty', '', today, null],
  ];
  for (const [name, nik, on, expected] of parsed) {
    it(`parseNik: ${name}`, () => assert.deepEqual(parseNik(nik, on), expected));
  }

  it('parseNik reads back any birth date of the last 100 years and either gender', () => {
    const birth = fc
      .record({ year: fc.integer({ min: 1927, max: 2026 }), month: fc.integer({ min: 1, max: 12 }), day: fc.integer({ min: 1, max: 31 }) })
      .filter(({ year, month, day }) => day <= new Date(Date.UTC(year, month, 0)).getUTCDate());
    const serial = fc.integer({ min: 1, max: 9999 }).map((n) => String(n).padStart(4, '0'));
    fc.assert(
      fc.property(birth, fc.constantFrom(maleGender, femaleGender), serial, ({ year, month, day }, gender, s) => {
        const birthDate = `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
        const p = parseNik(nikOf(birthDate, gender, s), today);
        assert.deepEqual(p, { ...central, birthDate, gender });
      }),
    );
  });

  const man = { nik: '3171011205900001', birthDate: '1990-05-12', gender: maleGender, provinceCode: '31' };
  const rules: [string, typeof man, string[]][] = [
    ['all consistent', man, []],
    ['a woman with her NIK', { ...man, nik: '3171015205900002', gender: femaleGender }, []],
    ['a centenarian (the century follows the birth date)', { ...man, nik: nikOf('1925-03-01', maleGender), birthDate: '1925-03-01' }, []],
    ['another birth date', { ...man, birthDate: '1990-05-13' }, ['birth date 1990-05-12']],
    // The NIK holds two digits of the year; an implausible century is individualRuleErrors' oldest-age rule.
    ['another century (the NIK cannot tell)', { ...man, birthDate: '1890-05-12' }, []],
    ['the other gender', { ...man, gender: femaleGender }, ['gender']],
    ['a woman with a man’s NIK', { ...man, nik: '3171011205900001', gender: femaleGender }, ['gender']],
    ['an address in another province', { ...man, provinceCode: '32' }, ['province 31']],
    ['everything different', { ...man, birthDate: '1991-05-12', gender: femaleGender, provinceCode: '32' }, ['birth date', 'gender', 'province']],
    ['a malformed NIK', { ...man, nik: '3171013102990001' }, ['Not a valid NIK']],
    ['a 0000 serial', { ...man, nik: '3171011205900000' }, ['Not a valid NIK']],
  ];
  for (const [name, input, messages] of rules) {
    it(`nikRuleErrors: ${name}`, () => {
      const errors = nikRuleErrors(input);
      assert.equal(errors.length, messages.length, JSON.stringify(errors));
      errors.forEach((e, i) => {
        assert.equal(e.field, 'body.individual.nik');
        assert.ok(e.message.includes(messages[i] ?? ''), e.message);
      });
    });
  }

  it('nikRuleErrors reports under the given field', () => {
    assert.deepEqual(nikRuleErrors({ ...man, provinceCode: '32' }, 'body.x').map((e) => e.field), ['body.x.nik']);
  });
});
