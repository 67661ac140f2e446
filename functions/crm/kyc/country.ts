import { z } from 'zod';

/** Region codes ICU knows that are not countries (unions, the UN, "unknown", "outlying Oceania"). */
const notCountries = new Set(['EU', 'EZ', 'UN', 'QO', 'ZZ']);
const regionNames = new Intl.DisplayNames(['en'], { type: 'region' });

/** ICU names every assigned ISO 3166-1 code and echoes an unassigned one back unchanged. */
export function isCountryCode(code: string): boolean {
  return /^[A-Z]{2}$/.test(code) && !notCountries.has(code) && regionNames.of(code) !== code;
}

/** ISO 3166-1 alpha-2 country, stored upper-case ('id' is taken as 'ID'). */
export const countryCodeSchema = z
  .string()
  .trim()
  .toUpperCase()
  .refine(isCountryCode, 'An ISO 3166-1 alpha-2 country code, e.g. ID');
