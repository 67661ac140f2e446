import type { Queryable } from '../../shared/db/tx.js';

/** The pull's watermark: Bib's updatedAt of the newest order applied. */
export const ordersWatermark = 'orders.changed_since';
export const watermarkOrigin = '1970-01-01T00:00:00Z';

export async function readWatermark(q: Queryable, name: string): Promise<string | undefined> {
  const { rows } = await q.query<{ value: string }>(`select value from bib_sync_state where name = $1::text`, [name]);
  return rows[0]?.value;
}

/** Moves the watermark forward only: two runs pulling at once can never move it back. */
export async function advanceWatermark(q: Queryable, name: string, value: string): Promise<void> {
  await q.query(
    `insert into bib_sync_state (name, value) values ($1::text, $2::text)
     on conflict (name) do update set value = excluded.value, updated_at = now()
      where bib_sync_state.value::timestamptz < excluded.value::timestamptz`,
    [name, value],
  );
}
