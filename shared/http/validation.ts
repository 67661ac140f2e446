import type { z } from 'zod';
import { AppError, type FieldError } from '../errors.js';

/** Parses one part of a request; a failure becomes a 400 listing every bad field. */
export function parsePart<T extends z.ZodType>(schema: T | undefined, value: unknown, part: 'params' | 'query' | 'body'): z.infer<T> {
  if (!schema) return (part === 'body' ? undefined : {}) as z.infer<T>;
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  throw new AppError('VALIDATION_FAILED', { errors: fieldErrors(result.error, part) });
}

export function fieldErrors(error: z.ZodError, part: string): FieldError[] {
  return error.issues.map((issue) => {
    const keys = issue.code === 'unrecognized_keys' ? issue.keys : [];
    const path = [part, ...issue.path.map(String)];
    if (keys.length) return { field: [...path, keys.join(',')].join('.'), message: `Unknown field: ${keys.join(', ')}` };
    return { field: path.join('.'), message: issue.message };
  });
}
