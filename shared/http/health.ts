import { z } from 'zod';
import { query } from '../db/tx.js';
import { AppError } from '../errors.js';
import { defineRoute, type AnyRoute } from './route.js';

/** `GET /<prefix>/health`: the function answers and its database answers. */
export function healthRoute(prefix: string, tag: string): AnyRoute {
  return defineRoute({
    method: 'GET',
    path: `/${prefix}/health`,
    operationId: `${prefix}Health`,
    summary: `Health of the ${prefix} function and its database`,
    tags: [tag],
    access: 'public',
    query: z.strictObject({}),
    response: { status: 200, description: 'Healthy', schema: z.object({ status: z.literal('ok'), checks: z.object({ database: z.literal('ok') }) }) },
    errors: ['DEPENDENCY_UNAVAILABLE'],
    handler: async () => {
      try {
        await query('select 1');
      } catch (err) {
        throw new AppError('DEPENDENCY_UNAVAILABLE', { detail: 'The database does not answer', cause: err });
      }
      return { body: { status: 'ok', checks: { database: 'ok' } } };
    },
  });
}
