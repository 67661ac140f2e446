import type { Queryable } from '../../../shared/db/tx.js';

export interface DeviceInput {
  companyId: number;
  userId: number;
  deviceId: string;
  platform?: 'ANDROID' | 'IOS' | 'WEB' | null;
  deviceName?: string | null;
}

/** Records the device (untrusted on first sight) and returns whether it is trusted already. */
export async function seeDevice(q: Queryable, d: DeviceInput): Promise<{ trusted: boolean }> {
  const { rows } = await q.query<{ trusted: boolean }>(
    `insert into device_info (company_id, user_id, device_id, platform, device_name, last_seen_at)
     values ($1::bigint, $2::bigint, $3::text, $4::text, $5::text, now())
     on conflict (user_id, device_id) do update
       set platform = coalesce(excluded.platform, device_info.platform),
           device_name = coalesce(excluded.device_name, device_info.device_name),
           last_seen_at = now()
     returning trusted_at is not null as trusted`,
    [d.companyId, d.userId, d.deviceId, d.platform ?? null, d.deviceName ?? null],
  );
  return rows[0]!;
}

export async function trustDevice(q: Queryable, userId: number, deviceId: string): Promise<void> {
  await q.query(
    `update device_info set trusted_at = coalesce(trusted_at, now()), last_seen_at = now()
      where user_id = $1::bigint and device_id = $2::text`,
    [userId, deviceId],
  );
}

export async function deviceName(q: Queryable, userId: number, deviceId: string): Promise<string | null> {
  const { rows } = await q.query<{ name: string | null }>(
    `select coalesce(device_name, platform) as name from device_info where user_id = $1::bigint and device_id = $2::text`,
    [userId, deviceId],
  );
  return rows[0]?.name ?? null;
}

/** Registers or replaces the FCM token of one of the caller's devices and turns pushes back on. */
export async function setPushToken(q: Queryable, d: DeviceInput & { pushToken: string }): Promise<void> {
  // A token belongs to one device: if the phone changed hands, the previous owner stops receiving its pushes.
  // The previous owner may be in another company, out of this transaction's sight: a definer function does it.
  await q.query(`select app.release_push_token($1::text, $2::bigint)`, [d.pushToken, d.userId]);
  await q.query(
    `insert into device_info (company_id, user_id, device_id, push_token, push_enabled, last_seen_at)
     values ($1::bigint, $2::bigint, $3::text, $4::text, true, now())
     on conflict (user_id, device_id) do update set push_token = excluded.push_token, push_enabled = true, last_seen_at = now()`,
    [d.companyId, d.userId, d.deviceId, d.pushToken],
  );
}

/** Stops pushes to one device; false when the caller has no such device. */
export async function disablePush(q: Queryable, userId: number, deviceId: string): Promise<boolean> {
  const { rowCount } = await q.query(`update device_info set push_enabled = false where user_id = $1::bigint and device_id = $2::text`, [userId, deviceId]);
  return (rowCount ?? 0) > 0;
}

/** Push tokens of a deactivated user's devices: nothing more is pushed to a phone nobody signs in on. */
export async function releasePushTokens(q: Queryable, userId: number): Promise<void> {
  await q.query(`update device_info set push_token = null where user_id = $1::bigint and push_token is not null`, [userId]);
}
