import { z } from 'zod';
import { AppError } from '../errors.js';

/** `?limit=&cursor=` on every list (DESIGN §4): keyset pagination with an opaque cursor. */
export const pageQuery = {
  limit: z.coerce.number().int().min(1).max(100).default(20),
  cursor: z.string().min(1).max(512).optional(),
};

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

/** The cursor is the sort key of the last row returned, base64url JSON; opaque to clients. */
export function encodeCursor(key: readonly (string | number)[]): string {
  return Buffer.from(JSON.stringify(key)).toString('base64url');
}

export function decodeCursor<T extends z.ZodType>(cursor: string | undefined, shape: T): z.infer<T> | undefined {
  if (cursor === undefined) return undefined;
  try {
    const parsed = shape.safeParse(JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')));
    if (parsed.success) return parsed.data;
  } catch {
    // fall through to the 400 below
  }
  throw new AppError('VALIDATION_FAILED', { errors: [{ field: 'query.cursor', message: 'Invalid cursor' }] });
}

/** Takes `limit + 1` fetched rows: returns `limit` of them and the cursor of the last one when more exist. */
export function toPage<R, T>(rows: R[], limit: number, key: (row: R) => (string | number)[], map: (row: R) => T): Page<T> {
  const more = rows.length > limit;
  const kept = more ? rows.slice(0, limit) : rows;
  const last = kept.at(-1);
  return { items: kept.map(map), nextCursor: more && last ? encodeCursor(key(last)) : null };
}
