import { z } from 'zod';

/** Contact details as every function accepts them: E.164 phone numbers and lower-cased email addresses. */
export const phoneSchema = z.string().regex(/^\+[1-9]\d{7,14}$/, 'Use E.164, e.g. +6281234567890');
export const emailSchema = z
  .email()
  .max(320)
  .transform((v) => v.toLowerCase());
