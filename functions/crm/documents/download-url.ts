import { AppError } from '../../../shared/errors.js';
import { withTransaction, type DbActor } from '../../../shared/db/tx.js';
import { downloadUrlSeconds, objectStorage } from '../../../shared/storage/object-storage.js';
import { notFound } from '../crm-access.js';
import { confirmUpload } from './confirm-upload.js';
import { findDocument, type DocumentRecord } from './document.repo.js';

export interface DownloadUrlOptions {
  actor: DbActor;
  investorId: string;
  documentId: string;
}

const extension: Record<DocumentRecord['contentType'], string> = { 'image/jpeg': 'jpg', 'image/png': 'png', 'application/pdf': 'pdf' };

/**
 * A short-lived signed GET URL for a document of a visible investor. The first call after the upload checks
 * the stored object against what was announced and marks the document UPLOADED.
 */
export async function documentDownloadUrl(o: DownloadUrlOptions): Promise<{ document: DocumentRecord; url: string; expiresAt: Date }> {
  const found = await withTransaction(o.actor, (tx) => findDocument(tx, o.investorId, o.documentId));
  if (!found) throw notFound('document');
  const check = await confirmUpload(o.actor, found);
  if (!check.ok && check.reason === 'missing') {
    throw new AppError('CONFLICT', { detail: 'The document has not been uploaded yet', extra: { documentStatus: found.status } });
  }
  if (!check.ok) throw new AppError('CONFLICT', { detail: 'The stored file does not match the announced type and size' });
  const document = check.document;
  const filename = `${document.kind.toLowerCase()}-${document.id}.${extension[document.contentType]}`;
  const { url, expiresAt } = await objectStorage().signDownload({ key: document.objectKey, expiresInSeconds: downloadUrlSeconds, filename });
  return { document, url, expiresAt };
}
