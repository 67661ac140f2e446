import { QueryParams } from './query-params.js';
import type { Queryable } from './tx.js';

/** The sort key of the last row of the previous page: created_at as Postgres text (microseconds kept), id. */
export type CreatedKey = [createdAt: string, id: string];

/** A listed row with created_at as text, exact to the microsecond, for the next page's cursor. */
export type WithCreatedKey<T> = T & { createdKey: string };

export interface NewestFirstQuery {
  /** The table, read under the alias `i`. */
  table: string;
  /** The selected columns, qualified with `i.`. */
  columns: string;
  /** Conditions on `i`; `$1` are the company ids, `$2` the rows wanted (see {@link companyKeysetParams}). */
  params: QueryParams;
  before?: CreatedKey;
}

/** The parameters of a newest-first page over `companyIds`: `limit` rows at the most (ask for one more than shown). */
export function companyKeysetParams(companyIds: readonly number[], limit: number): QueryParams {
  return new QueryParams(companyIds, limit).and('i.company_id = c.id');
}

/**
 * One page of a company-scoped table, newest first (created_at desc, id desc, after `before`). Per company an
 * index range read as far as the page needs; the company pages are merged.
 */
export async function listNewestFirstByCompany<R, T>(q: Queryable, query: NewestFirstQuery, map: (row: R) => T): Promise<Array<WithCreatedKey<T>>> {
  const { params, before } = query;
  if (before) params.and(`(i.created_at, i.id) < (${params.param(before[0])}::timestamptz, ${params.param(before[1])}::uuid)`);
  const { rows } = await q.query<R & { created_key: string }>(
    `select x.* from unnest($1::bigint[]) as c (id)
      cross join lateral (
        select ${query.columns}, i.created_at::text as created_key from ${query.table} i
         where ${params.where.join(' and ')}
         order by i.created_at desc, i.id desc
         limit $2::int) as x
      order by x.created_at desc, x.id desc
      limit $2::int`,
    params.values,
  );
  return rows.map((r) => ({ ...map(r), createdKey: r.created_key }));
}
