import { z } from 'zod';
import type { FieldError } from '../../../shared/errors.js';

/**
 * An Indonesian address with the region codes of the master data (GET /crm/locations). Whether the
 * codes exist is the caller's check against the database; nesting needs no lookup, so it is here.
 */
export const addressSchema = z.strictObject({
  line: z.string().trim().min(5).max(300),
  provinceCode: z.string().regex(/^\d{2}$/, 'A province code like 31'),
  cityCode: z.string().regex(/^\d{2}\.\d{2}$/, 'A regency or city code like 31.71'),
  districtCode: z.string().regex(/^\d{2}\.\d{2}\.\d{2}$/, 'A district code like 31.71.01'),
  postalCode: z.string().regex(/^[1-9]\d{4}$/, 'A 5-digit postal code'),
});
export type Address = z.infer<typeof addressSchema>;

/** The city must lie in the province and the district in the city. */
export function addressNestingErrors(address: Address, field: string): FieldError[] {
  const errors: FieldError[] = [];
  if (!address.cityCode.startsWith(`${address.provinceCode}.`)) {
    errors.push({ field: `${field}.cityCode`, message: `City ${address.cityCode} is not in province ${address.provinceCode}` });
  }
  if (!address.districtCode.startsWith(`${address.cityCode}.`)) {
    errors.push({ field: `${field}.districtCode`, message: `District ${address.districtCode} is not in city ${address.cityCode}` });
  }
  return errors;
}
