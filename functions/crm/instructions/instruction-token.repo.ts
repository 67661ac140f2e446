import type { Queryable } from '../../../shared/db/tx.js';

/** A signature link's token: only its SHA-256 is stored; it lives exactly as long as the instruction's link. */
export async function insertInstructionToken(q: Queryable, t: { companyId: number; instructionId: string; hash: string; expiresAt: Date }): Promise<void> {
  await q.query(
    `insert into instruction_token (company_id, instruction_id, purpose, token_hash, expires_at, created_by)
     values ($1::bigint, $2::uuid, 'SIGNATURE', $3::text, $4::timestamptz, app.user_id())`,
    [t.companyId, t.instructionId, t.hash, t.expiresAt],
  );
}

/**
 * Locks the instruction's live links. Whatever changes both a link and its instruction locks the link first
 * (the investor's decision starts from the link), so a cancellation or resend racing a signature waits
 * instead of deadlocking.
 */
export async function lockOpenTokens(q: Queryable, instructionId: string): Promise<void> {
  await q.query(
    `select id from instruction_token where instruction_id = $1::uuid and used_at is null and revoked_at is null order by id for update`,
    [instructionId],
  );
}

/** Ends every link of the instruction not used or revoked yet (a fresh link, a cancellation). */
export async function revokeOpenTokens(q: Queryable, instructionId: string): Promise<number> {
  const { rowCount } = await q.query(
    `update instruction_token set revoked_at = now() where instruction_id = $1::uuid and used_at is null and revoked_at is null`,
    [instructionId],
  );
  return rowCount ?? 0;
}
