import type { Queryable } from '../../../shared/db/tx.js';

export interface InboxItem {
  id: number;
  type: string;
  title: string;
  body: string;
  data: Record<string, string>;
  readAt: Date | null;
  createdAt: Date;
  /**
   * created_at to the microsecond, for the cursor. A JavaScript Date keeps milliseconds, and a keyset cut to
   * milliseconds skips every row between the cut value and the real one (rows written by one transaction
   * share their timestamp to the microsecond).
   */
  cursorAt: string;
}

/** The user's inbox, newest first, after the keyset (createdAt, id): index notification_inbox. */
export async function listInbox(q: Queryable, userId: number, after: [string, number] | undefined, limit: number): Promise<InboxItem[]> {
  const { rows } = await q.query<InboxItem>(
    `select id, type, title, body, data, read_at as "readAt", created_at as "createdAt",
            to_char(created_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') as "cursorAt"
       from notification
      where user_id = $1::bigint
        and ($2::timestamptz is null or (created_at, id) < ($2::timestamptz, $3::bigint))
      order by created_at desc, id desc
      limit $4::int`,
    [userId, after?.[0] ?? null, after?.[1] ?? null, limit],
  );
  return rows;
}

/** Marks one of the user's notifications read (idempotent); false when the user has no such notification. */
export async function markRead(q: Queryable, userId: number, id: number): Promise<boolean> {
  const { rowCount } = await q.query(
    `update notification set read_at = coalesce(read_at, now()) where id = $1::bigint and user_id = $2::bigint`,
    [id, userId],
  );
  return (rowCount ?? 0) > 0;
}
