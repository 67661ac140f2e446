import type { z } from 'zod';
import { AppError, type FieldError } from '../errors.js';

type Part = 'params' | 'query' | 'body';

/**
 * Parses the parts of a request against their schemas. A failure is one 400 listing every bad field of
 * every part, so a client fixes its request in one round.
 */
export function parseRequest(
  schemas: Partial<Record<Part, z.ZodType>>,
  values: Record<Part, unknown>,
): Record<Part, unknown> {
  const out: Record<Part, unknown> = { params: {}, query: {}, body: undefined };
  const errors: FieldError[] = [];
  for (const part of ['params', 'query', 'body'] as const) {
    const schema = schemas[part];
    if (!schema) continue;
    const result = schema.safeParse(values[part]);
    if (result.success) out[part] = result.data;
    else errors.push(...fieldErrors(result.error, part));
  }
  if (errors.length) throw new AppError('VALIDATION_FAILED', { errors });
  return out;
}

export function fieldErrors(error: z.ZodError, part: string): FieldError[] {
  return error.issues.map((issue) => {
    const keys = issue.code === 'unrecognized_keys' ? issue.keys : [];
    const path = [part, ...issue.path.map(String)];
    if (keys.length) return { field: [...path, keys.join(',')].join('.'), message: `Unknown field: ${keys.join(', ')}` };
    return { field: path.join('.'), message: issue.message };
  });
}
