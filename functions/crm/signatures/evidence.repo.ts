import type { Queryable } from '../../../shared/db/tx.js';

export interface EvidenceRecord {
  instructionId: string;
  decision: 'APPROVE' | 'REJECT';
  reason: string | null;
  document: Record<string, unknown>;
  documentHash: string;
  signatureObjectKey: string | null;
  ip: string | null;
  userAgent: string | null;
  otpChannel: 'SMS' | 'EMAIL';
  decidedAt: Date;
}

/** The evidence of a visible instruction (RLS: the tenant's, and for agents their own instructions'). */
export async function findEvidence(q: Queryable, instructionId: string): Promise<EvidenceRecord | undefined> {
  const { rows } = await q.query<{
    instruction_id: string;
    decision: EvidenceRecord['decision'];
    reason: string | null;
    document: Record<string, unknown>;
    document_hash: string;
    signature_object_key: string | null;
    ip: string | null;
    user_agent: string | null;
    otp_channel: EvidenceRecord['otpChannel'];
    decided_at: Date;
  }>(
    `select s.instruction_id, s.decision, s.reason, s.document, s.document_hash, s.signature_object_key, host(s.ip) as ip,
            s.user_agent, s.otp_channel, s.decided_at
       from instruction_signature s
      where s.instruction_id = $1::uuid`,
    [instructionId],
  );
  const r = rows[0];
  return (
    r && {
      instructionId: r.instruction_id,
      decision: r.decision,
      reason: r.reason,
      document: r.document,
      documentHash: r.document_hash,
      signatureObjectKey: r.signature_object_key,
      ip: r.ip,
      userAgent: r.user_agent,
      otpChannel: r.otp_channel,
      decidedAt: r.decided_at,
    }
  );
}

/** Whether the caller sees the instruction at all (a 404 either way, but with an honest detail). */
export async function instructionVisible(q: Queryable, id: string): Promise<boolean> {
  const { rows } = await q.query(`select 1 from instruction i where i.id = $1::uuid`, [id]);
  return rows.length > 0;
}
