import { query } from '../../../shared/db/tx.js';

/**
 * Hourly: deletes expired codes, decoys, reset tokens, dead sessions and rate-limit windows, and
 * registrations whose phone was never verified within a day (so an email or phone cannot be squatted).
 * Runs app.purge_auth_records, which works across tenants as the owner and touches nothing else.
 */
export async function purgeAuthRecords(): Promise<Record<string, number>> {
  const { rows } = await query<{ kind: string; removed: number }>(`select kind, removed from app.purge_auth_records(interval '24 hours')`);
  return Object.fromEntries(rows.map((r) => [r.kind, Number(r.removed)]));
}
