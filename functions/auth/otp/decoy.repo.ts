import { query, type Queryable } from '../../../shared/db/tx.js';

/** Decoy one-time tokens (see migration 0005): what a reset for an unknown identifier leaves behind. */
export interface Decoy {
  id: string;
  channel: 'SMS' | 'EMAIL';
  destinationMasked: string;
  destinationKey: string;
  attempts: number;
  expiresAt: Date;
  createdAt: Date;
}

/** The given transaction, or a pooled connection for one-statement work. */
const db = (q?: Queryable): Queryable => q ?? { query };

export async function insertDecoy(
  d: { id: string; channel: 'SMS' | 'EMAIL'; destinationMasked: string; destinationKey: string; ttlSeconds: number },
  q?: Queryable,
): Promise<Date> {
  const { rows } = await db(q).query<{ expires_at: Date }>(
    `insert into auth_ott_decoy (id, channel, destination_masked, destination_key, expires_at)
     values ($1::uuid, $2::text, $3::text, $4::text, now() + make_interval(secs => $5::int)) returning expires_at`,
    [d.id, d.channel, d.destinationMasked, d.destinationKey, d.ttlSeconds],
  );
  return rows[0]!.expires_at;
}

/** `forUpdate` (inside a transaction) serialises resends of one decoy, as the row lock does for a real code. */
export async function findDecoy(id: string, opts: { forUpdate?: boolean } = {}, q?: Queryable): Promise<Decoy | undefined> {
  const { rows } = await db(q).query<Decoy>(
    `select id, channel, destination_masked as "destinationMasked", destination_key as "destinationKey", attempts, expires_at as "expiresAt", created_at as "createdAt"
       from auth_ott_decoy where id = $1::uuid${opts.forUpdate ? ' for update' : ''}`,
    [id],
  );
  return rows[0];
}

/** When the newest decoy to this destination was issued (a real code's cooldown runs from its newest code too). */
export async function latestDecoyAt(destinationKey: string, q?: Queryable): Promise<Date | undefined> {
  const { rows } = await db(q).query<{ at: Date | null }>(`select max(created_at) as at from auth_ott_decoy where destination_key = $1::text`, [destinationKey]);
  return rows[0]?.at ?? undefined;
}

export async function countDecoyAttempt(id: string): Promise<number> {
  const { rows } = await query<{ attempts: number }>(`update auth_ott_decoy set attempts = attempts + 1 where id = $1::uuid returning attempts`, [id]);
  return rows[0]?.attempts ?? 0;
}

export async function expireDecoy(id: string, q?: Queryable): Promise<void> {
  await db(q).query(`update auth_ott_decoy set expires_at = least(expires_at, now()) where id = $1::uuid`, [id]);
}
