import type { Queryable } from '../../shared/db/tx.js';

/** The two kinds of record the sync pushes; both carry the same bookkeeping columns (migration 0009). */
export type SyncTable = 'investor' | 'instruction';

export interface Claimed {
  id: string;
  companyId: number;
}

export interface ClaimFilter {
  max: number;
  leaseSeconds: number;
  /** One tenant only (an admin's "sync now"). */
  companyId?: number | null;
  /** Named records: due whatever their backoff says, FAILED ones included. */
  ids?: readonly string[] | null;
}

const claimFunction: Record<SyncTable, string> = {
  investor: 'app.claim_bib_investors',
  instruction: 'app.claim_bib_instructions',
};

/**
 * Takes up to `max` due records no other run holds (SECURITY DEFINER, across tenants, FOR UPDATE SKIP LOCKED)
 * and leases them; run in a short transaction of its own, so the lease, not a lock, keeps other runs off.
 */
export async function claimDue(q: Queryable, table: SyncTable, f: ClaimFilter): Promise<Claimed[]> {
  const { rows } = await q.query<{ id: string; company_id: string | number }>(
    `select id, company_id from ${claimFunction[table]}($1::int, $2::int, $3::bigint, $4::uuid[])`,
    [f.max, f.leaseSeconds, f.companyId ?? null, f.ids ? [...f.ids] : null],
  );
  return rows.map((r) => ({ id: r.id, companyId: Number(r.company_id) }));
}

/** Gives leases back (records claimed but not worked, or held until the run's end), as their tenant. */
export async function releaseClaims(q: Queryable, table: SyncTable, ids: readonly string[]): Promise<void> {
  if (ids.length === 0) return;
  await q.query(`update ${table} set sync_claimed_until = null where id = any ($1::uuid[]) and sync_claimed_until is not null`, [[...ids]]);
}

/** Still waiting for the push: the same states the claims take (an admin may have linked an investor meanwhile). */
const stillDue: Record<SyncTable, string> = {
  investor: `status = 'APPROVED' and external_id is null and sync_status in ('PENDING', 'FAILED')`,
  instruction: `status = 'SIGNED' and sync_status in ('NOT_READY', 'PENDING', 'FAILED')`,
};

export interface RetryOutcome {
  /** Short, without personal data. */
  error: string;
  delayMs: number;
  maxAttempts: number;
}

/**
 * A transient failure: one more attempt counted, retried after `delayMs`; FAILED once the attempts are spent.
 * The lease stays until the run ends (releaseClaims), so this run does not take the record again.
 */
export async function recordRetry(q: Queryable, table: SyncTable, id: string, o: RetryOutcome): Promise<'PENDING' | 'FAILED' | 'gone'> {
  const { rows } = await q.query<{ sync_status: 'PENDING' | 'FAILED' }>(
    `update ${table}
        set sync_attempts = sync_attempts + 1,
            sync_error = left($2::text, 500),
            sync_status = case when sync_attempts + 1 >= $4::int then 'FAILED' else 'PENDING' end,
            sync_next_at = case when sync_attempts + 1 >= $4::int then null
                                else now() + make_interval(secs => $3::double precision / 1000) end
      where id = $1::uuid and ${stillDue[table]}
      returning sync_status`,
    [id, o.error, o.delayMs, o.maxAttempts],
  );
  return rows[0]?.sync_status ?? 'gone';
}

/**
 * A permanent failure (Bib refused what we sent): FAILED at once, until an admin asks for it again. The lease
 * stays until the run ends, as for a retry: an admin's named sync would otherwise take it again in this run.
 */
export async function recordFailure(q: Queryable, table: SyncTable, id: string, error: string): Promise<boolean> {
  const { rowCount } = await q.query(
    `update ${table}
        set sync_attempts = sync_attempts + 1, sync_error = left($2::text, 500), sync_status = 'FAILED', sync_next_at = null
      where id = $1::uuid and ${stillDue[table]}`,
    [id, error],
  );
  return (rowCount ?? 0) > 0;
}

/** Not tried: comes back after `delayMs` without an attempt counted (an instruction whose investor is not at Bib yet). */
export async function recordDeferral(q: Queryable, table: SyncTable, id: string, o: { reason: string; delayMs: number }): Promise<void> {
  await q.query(
    `update ${table}
        set sync_status = 'PENDING', sync_error = left($2::text, 500),
            sync_next_at = now() + make_interval(secs => $3::double precision / 1000)
      where id = $1::uuid and ${stillDue[table]}`,
    [id, o.reason, o.delayMs],
  );
}
