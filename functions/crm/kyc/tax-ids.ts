import { z } from 'zod';

/**
 * Indonesian identity and tax numbers, stored as digits only so one number has one spelling and can be
 * compared and deduplicated.
 */

/** KTP number; people type it in groups, so spaces are dropped. The structure is checked by nik.ts. */
export const nikSchema = z
  .string()
  .overwrite((v) => v.replace(/\s+/g, ''))
  .regex(/^\d{16}$/, 'The NIK has 16 digits');

/**
 * NPWP: the 15-digit number (printed 01.234.567.8-901.000) or the 16-digit one in use since 2024
 * (for residents, the NIK). Dots, dashes and spaces of the printed form are dropped.
 */
export const npwpSchema = z
  .string()
  .trim()
  .regex(/^[\d.\s-]+$/, 'Digits, optionally formatted like 01.234.567.8-901.000')
  .overwrite((v) => v.replace(/[.\s-]/g, ''))
  .regex(/^(\d{15}|\d{16})$/, 'The NPWP has 15 or 16 digits');

/** Nomor Induk Berusaha from OSS. */
export const nibSchema = z
  .string()
  .trim()
  .regex(/^\d{13}$/, 'The NIB has 13 digits');
