import { randomUUID } from 'node:crypto';
import { withTransaction, type DbActor } from '../../../shared/db/tx.js';
import { objectStorage, uploadUrlSeconds, type UploadGrant } from '../../../shared/storage/object-storage.js';
import { notFound } from '../crm-access.js';
import { findInvestor } from '../investors/investor.repo.js';
import { insertDocument, type DocumentContentType, type DocumentKind, type DocumentRecord } from './document.repo.js';

export interface RequestUploadOptions {
  actor: DbActor;
  investorId: string;
  kind: DocumentKind;
  contentType: DocumentContentType;
  size: number;
}

/**
 * Records a KYC document and returns the signed URL the app uploads it to: content type and exact size bound
 * into the signature, valid for 15 minutes. The bytes never pass through this function.
 */
export async function requestUpload(o: RequestUploadOptions): Promise<{ document: DocumentRecord; upload: UploadGrant }> {
  const investor = await withTransaction(o.actor, (tx) => findInvestor(tx, o.investorId));
  if (!investor) throw notFound('investor');
  const id = randomUUID();
  const objectKey = `investors/${investor.companyId}/${investor.id}/${id}`;
  // Signing may call the IAM API (Cloud Functions hold no private key), so it happens outside any transaction,
  // and before the row is written: a failed signing leaves no document behind. RLS checks the insert again.
  const upload = await objectStorage().signUpload({ key: objectKey, contentType: o.contentType, size: o.size, expiresInSeconds: uploadUrlSeconds });
  const document = await withTransaction(o.actor, (tx) =>
    insertDocument(tx, { id, investorId: investor.id, companyId: investor.companyId, kind: o.kind, contentType: o.contentType, size: o.size, objectKey }),
  );
  return { document, upload };
}
