import { query } from '../../../shared/db/tx.js';

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

export async function insertDecoy(d: { id: string; channel: 'SMS' | 'EMAIL'; destinationMasked: string; destinationKey: string; ttlSeconds: number }): Promise<Date> {
  const { rows } = await query<{ expires_at: Date }>(
    `insert into auth_ott_decoy (id, channel, destination_masked, destination_key, expires_at)
     values ($1::uuid, $2::text, $3::text, $4::text, now() + make_interval(secs => $5::int)) returning expires_at`,
    [d.id, d.channel, d.destinationMasked, d.destinationKey, d.ttlSeconds],
  );
  return rows[0]!.expires_at;
}

export async function findDecoy(id: string): Promise<Decoy | undefined> {
  const { rows } = await query<Decoy>(
    `select id, channel, destination_masked as "destinationMasked", destination_key as "destinationKey", attempts, expires_at as "expiresAt", created_at as "createdAt"
       from auth_ott_decoy where id = $1::uuid`,
    [id],
  );
  return rows[0];
}

export async function countDecoyAttempt(id: string): Promise<number> {
  const { rows } = await query<{ attempts: number }>(`update auth_ott_decoy set attempts = attempts + 1 where id = $1::uuid returning attempts`, [id]);
  return rows[0]?.attempts ?? 0;
}

export async function expireDecoy(id: string): Promise<void> {
  await query(`update auth_ott_decoy set expires_at = least(expires_at, now()) where id = $1::uuid`, [id]);
}
