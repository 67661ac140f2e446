import { withTransaction, type DbActor } from '../../../shared/db/tx.js';
import { AppError } from '../../../shared/errors.js';
import { downloadUrlSeconds, objectStorage } from '../../../shared/storage/object-storage.js';
import { notFound } from '../crm-access.js';
import { findEvidence, instructionVisible, type EvidenceRecord } from './evidence.repo.js';

export interface GetSignatureEvidenceOptions {
  actor: DbActor;
  instructionId: string;
}

export interface SignatureEvidence {
  evidence: EvidenceRecord;
  signature: { url: string; expiresAt: Date } | undefined;
}

/**
 * What the investor decided on an instruction the caller sees, with the evidence, and for an approval a
 * short-lived URL of the drawn signature. Signing may call the IAM API: it happens after the transaction.
 */
export async function getSignatureEvidence(o: GetSignatureEvidenceOptions): Promise<SignatureEvidence> {
  const evidence = await withTransaction(o.actor, async (tx) => {
    const found = await findEvidence(tx, o.instructionId);
    if (found) return found;
    if (!(await instructionVisible(tx, o.instructionId))) throw notFound('instruction');
    throw new AppError('NOT_FOUND', { detail: 'The investor has not decided this instruction yet' });
  });
  const key = evidence.signatureObjectKey;
  const signature = key
    ? await objectStorage().signDownload({ key, expiresInSeconds: downloadUrlSeconds, filename: `signature-${evidence.instructionId}.png` })
    : undefined;
  return { evidence, signature };
}
