import { z } from 'zod';

/** A person's name as printed on a KTP: letters (any script's), spaces, dots, apostrophes and hyphens. */
export const personNameSchema = z
  .string()
  .trim()
  .overwrite((v) => v.replace(/\s+/g, ' '))
  .min(2)
  .max(100)
  .regex(/^[\p{L} .'-]+$/u, 'Letters, spaces, dots, apostrophes and hyphens only');
