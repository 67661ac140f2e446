import type { Tx } from '../../../shared/db/tx.js';

export interface InboxEntry {
  companyId: number;
  userId: number;
  eventId: string;
  type: string;
  title: string;
  body: string;
  data: Record<string, string>;
}

/** The inbox row GET /auth/notifications reads; one per (event, user), whatever the redeliveries. */
export async function addToInbox(tx: Tx, e: InboxEntry): Promise<void> {
  await tx.query(
    `insert into notification (company_id, user_id, event_id, type, title, body, data)
     values ($1::bigint, $2::bigint, $3::text, $4::text, $5::text, $6::text, $7::jsonb)
     on conflict (event_id, user_id) do nothing`,
    [e.companyId, e.userId, e.eventId, e.type, e.title, e.body, JSON.stringify(e.data)],
  );
}

/** Push tokens of a user's devices that still want pushes (unsubscribed devices are left out). */
export async function pushTokensOf(tx: Tx, userId: number): Promise<string[]> {
  const { rows } = await tx.query<{ push_token: string }>(
    `select push_token from device_info where user_id = $1::bigint and push_enabled and push_token is not null`,
    [userId],
  );
  return rows.map((r) => r.push_token);
}

/** FCM said these tokens are dead: stop sending to them (the app registers a new one when it runs). */
export async function forgetPushTokens(tx: Tx, tokens: string[]): Promise<void> {
  if (tokens.length === 0) return;
  await tx.query(`update device_info set push_token = null where push_token = any ($1::text[])`, [tokens]);
}
