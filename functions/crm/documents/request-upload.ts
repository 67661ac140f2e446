import { randomUUID } from 'node:crypto';
import { withTransaction, type DbActor } from '../../../shared/db/tx.js';
import { objectStorage, uploadUrlSeconds, type UploadGrant } from '../../../shared/storage/object-storage.js';
import { notFound } from '../crm-access.js';
import { findInvestor, type InvestorRecord } from '../investors/investor.repo.js';
import { insertDocument, type DocumentContentType, type DocumentKind, type DocumentRecord } from './document.repo.js';

export interface DocumentSpec {
  kind: DocumentKind;
  contentType: DocumentContentType;
  size: number;
}

export interface RequestUploadOptions extends DocumentSpec {
  actor: DbActor;
  investorId: string;
}

/**
 * Records a KYC document and returns the signed URL the app uploads it to: content type and exact size bound
 * into the signature, valid for 15 minutes. The bytes never pass through this function.
 */
export async function requestUpload(o: RequestUploadOptions): Promise<{ document: DocumentRecord; upload: UploadGrant }> {
  const investor = await withTransaction(o.actor, (tx) => findInvestor(tx, o.investorId));
  if (!investor) throw notFound('investor');
  return grantUpload(o.actor, investor, o);
}

/**
 * The document row and its upload grant for an investor the actor is known to see: the agent's app, or the
 * investor's own registration page (no user: created_by stays null).
 */
export async function grantUpload(actor: DbActor, investor: Pick<InvestorRecord, 'id' | 'companyId'>, spec: DocumentSpec): Promise<{ document: DocumentRecord; upload: UploadGrant }> {
  const id = randomUUID();
  const objectKey = `investors/${investor.companyId}/${investor.id}/${id}`;
  // Signing may call the IAM API (Cloud Functions hold no private key), so it happens outside any transaction,
  // and before the row is written: a failed signing leaves no document behind. RLS checks the insert again.
  const upload = await objectStorage().signUpload({ key: objectKey, contentType: spec.contentType, size: spec.size, expiresInSeconds: uploadUrlSeconds });
  const document = await withTransaction(actor, (tx) =>
    insertDocument(tx, { id, investorId: investor.id, companyId: investor.companyId, kind: spec.kind, contentType: spec.contentType, size: spec.size, objectKey }),
  );
  return { document, upload };
}
