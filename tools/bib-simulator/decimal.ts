/**
 * Exact decimal arithmetic for money, units and NAV: values are BigInts scaled by 10^scale, never floats.
 */
const pow10 = (n: number): bigint => 10n ** BigInt(n);

/** "1234.5" at scale 4 → 12345000n. Throws on anything that is not a plain non-negative decimal. */
export function toScaled(value: string, scale: number): bigint {
  const m = /^(\d+)(?:\.(\d+))?$/.exec(value);
  if (!m) throw new Error(`not a decimal: ${value}`);
  const frac = m[2] ?? '';
  if (frac.length > scale) {
    // More digits than the scale: truncate (inputs are validated by the contract's regexes first).
    return BigInt(m[1] + frac.slice(0, scale));
  }
  return BigInt(m[1] + frac.padEnd(scale, '0'));
}

/** 12345000n at scale 4 → "1234.5000"; negative values keep their sign. */
export function fromScaled(value: bigint, scale: number): string {
  const negative = value < 0n;
  const digits = (negative ? -value : value).toString().padStart(scale + 1, '0');
  const whole = digits.slice(0, digits.length - scale);
  const text = scale > 0 ? `${whole}.${digits.slice(digits.length - scale)}` : whole;
  return negative ? `-${text}` : text;
}

/** value (at `from` scale) expressed at a smaller `to` scale, rounded half up (away from zero). */
export function roundTo(value: bigint, from: number, to: number): bigint {
  if (to >= from) return value * pow10(to - from);
  const d = pow10(from - to);
  const q = value / d;
  const r = value % d;
  if (r * 2n >= d) return q + 1n;
  if (r * 2n <= -d) return q - 1n;
  return q;
}

/** floor(a / b) for non-negative a and positive b. */
export function divFloor(a: bigint, b: bigint): bigint {
  return a / b;
}

export const scale = { money: 2, units: 4, nav: 8 } as const;

/** Units (scale 4) bought with an amount (scale 2) at a NAV (scale 8), rounded down. */
export function unitsForAmount(amount: bigint, nav: bigint): bigint {
  // amount/100 ÷ nav/1e8 × 1e4 = amount × 1e10 ÷ nav
  return divFloor(amount * pow10(10), nav);
}

/** Units of a target fund (scale 4) for units of a source fund at their two NAVs (scale 8), rounded down. */
export function switchUnits(units: bigint, sourceNav: bigint, targetNav: bigint): bigint {
  return divFloor(units * sourceNav, targetNav);
}

/** Market value (scale 2) of units (scale 4) at a NAV (scale 8), rounded half up. */
export function marketValue(units: bigint, nav: bigint): bigint {
  return roundTo(units * nav, scale.units + scale.nav, scale.money);
}
