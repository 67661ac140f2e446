import { strict as assert } from 'node:assert';
import fc from 'fast-check';
import { compareDecimal, decimalSchema } from './decimal.js';

/** Amounts and units as the instruction API takes them: exact decimal strings, never a float in between. */
describe('crm instructions: decimals', () => {
  const amount = decimalSchema(2);
  const units = decimalSchema(4);
  const parse = (schema: typeof amount, v: unknown) => {
    const r = schema.safeParse(v);
    return r.success ? r.data : undefined;
  };

  const cases: Array<[string, typeof amount, unknown, string | undefined]> = [
    ['an integer number', amount, 1500000, '1500000.00'],
    ['a number with cents', amount, 1500000.25, '1500000.25'],
    ['a string without decimals', amount, '1500000', '1500000.00'],
    ['a string with one decimal', amount, '0.5', '0.50'],
    ['leading zeros', amount, '000012.30', '12.30'],
    ['18 digits as a string', amount, '999999999999999999.99', '999999999999999999.99'],
    ['units with four decimals', units, '12.3456', '12.3456'],
    ['units as a number', units, 0.0001, '0.0001'],
    ['three decimals of money', amount, '1.001', undefined],
    ['five decimals of units', units, '1.00001', undefined],
    ['zero', amount, 0, undefined],
    ['zero as a string', units, '0.0000', undefined],
    ['a negative number', amount, -1, undefined],
    ['a negative string', amount, '-1.00', undefined],
    ['exponent notation', amount, '1e5', undefined],
    ['a tiny number (exponent when printed)', units, 1e-7, undefined],
    ['a trailing dot', amount, '10.', undefined],
    ['a leading dot', amount, '.5', undefined],
    ['blanks', amount, ' 10', undefined],
    ['a comma', amount, '10,5', undefined],
    ['19 digits', amount, '1234567890123456789', undefined],
    ['a number beyond exact doubles (money)', amount, 1e13, undefined],
    ['a number beyond exact doubles (units)', units, 1e11, undefined],
    ['NaN', amount, Number.NaN, undefined],
    ['Infinity', amount, Number.POSITIVE_INFINITY, undefined],
    ['null', amount, null, undefined],
    ['an object', amount, { value: '1' }, undefined],
  ];
  for (const [name, schema, input, expected] of cases) {
    it(`${name}: ${expected ?? 'refused'}`, () => assert.equal(parse(schema, input), expected));
  }

  it('reads every money string of up to 18 digits and 2 decimals exactly', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: 10n ** 18n - 1n }), fc.integer({ min: 0, max: 99 }), (whole, cents) => {
        fc.pre(whole > 0n || cents > 0);
        const text = `${whole}.${String(cents).padStart(2, '0')}`;
        assert.equal(parse(amount, text), text);
      }),
    );
  });

  it('reads every JSON number of whole cents below 10^13 as the same decimal', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: Number.MAX_SAFE_INTEGER }).map((n) => n % 1_000_000_000_000_000), (totalCents) => {
        fc.pre(totalCents > 0);
        const text = `${Math.floor(totalCents / 100)}.${String(totalCents % 100).padStart(2, '0')}`;
        assert.equal(parse(amount, Number(text)), text);
      }),
    );
  });

  it('compares like the numbers they write', () => {
    const decimal = fc.tuple(fc.bigInt({ min: 0n, max: 10n ** 16n }), fc.integer({ min: 0, max: 9999 }));
    fc.assert(
      fc.property(decimal, decimal, ([wa, fa], [wb, fb]) => {
        const a = wa * 10_000n + BigInt(fa);
        const b = wb * 10_000n + BigInt(fb);
        const expected = a < b ? -1 : a > b ? 1 : 0;
        assert.equal(compareDecimal(`${wa}.${String(fa).padStart(4, '0')}`, `${wb}.${String(fb).padStart(4, '0')}`), expected);
      }),
    );
    assert.equal(compareDecimal('10.5', '10.5000'), 0);
    assert.equal(compareDecimal('9.9999', '10.0000'), -1);
    assert.equal(compareDecimal('100000.00', '99999.99'), 1);
  });
});
