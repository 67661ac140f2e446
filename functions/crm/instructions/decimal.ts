import { z } from 'zod';

/**
 * Money (2 decimals, numeric(20, 2)) and units (4 decimals, numeric(20, 4)) as the API carries them: a JSON
 * number or a decimal string in, a decimal string with the full scale out ("1500000.00"). Never a float in
 * between: the value is checked and compared as text and BigInt.
 */
export function decimalSchema(scale: 2 | 4) {
  const pattern = new RegExp(`^\\d{1,${20 - scale}}(\\.\\d{1,${scale}})?$`);
  // A JSON number is a double, exact to 15 significant digits: anything larger must come as a string.
  const largestNumber = 10 ** (15 - scale);
  return z.union([z.number(), z.string()]).transform((value, ctx) => {
    if (typeof value === 'number' && !(Math.abs(value) < largestNumber)) {
      ctx.addIssue({ code: 'custom', message: `Send values of ${largestNumber} or more as a decimal string` });
      return z.NEVER;
    }
    const text = typeof value === 'number' ? String(value) : value;
    if (!pattern.test(text)) {
      ctx.addIssue({ code: 'custom', message: `A positive decimal number with at most ${scale} decimals` });
      return z.NEVER;
    }
    const fixed = withScale(text, scale);
    if (scaled(fixed) <= 0n) {
      ctx.addIssue({ code: 'custom', message: 'Must be more than zero' });
      return z.NEVER;
    }
    return fixed;
  });
}

/** "007.5" at scale 2 → "7.50". */
function withScale(text: string, scale: number): string {
  const [whole = '0', fraction = ''] = text.split('.');
  return `${BigInt(whole).toString()}.${fraction.padEnd(scale, '0')}`;
}

/** The value in ten-thousandths, the finest scale the API knows. */
function scaled(text: string): bigint {
  const [whole = '0', fraction = ''] = text.split('.');
  return BigInt(whole) * 10_000n + BigInt(fraction.padEnd(4, '0').slice(0, 4));
}

/** Compares two non-negative decimal strings of up to 4 decimals: -1, 0 or 1. */
export function compareDecimal(a: string, b: string): -1 | 0 | 1 {
  const x = scaled(a);
  const y = scaled(b);
  return x < y ? -1 : x > y ? 1 : 0;
}
