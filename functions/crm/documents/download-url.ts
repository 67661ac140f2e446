import { AppError } from '../../../shared/errors.js';
import { withTransaction, type DbActor } from '../../../shared/db/tx.js';
import { downloadUrlSeconds, objectStorage } from '../../../shared/storage/object-storage.js';
import { notFound } from '../crm-access.js';
import { findDocument, markUploaded, type DocumentRecord } from './document.repo.js';

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
  let document = await withTransaction(o.actor, (tx) => findDocument(tx, o.investorId, o.documentId));
  if (!document) throw notFound('document');
  // Storage calls (stat, signing) are network calls: no database connection is held across them.
  const storage = objectStorage();
  if (document.status === 'PENDING_UPLOAD') {
    const stored = await storage.stat(document.objectKey);
    if (!stored) throw new AppError('CONFLICT', { detail: 'The document has not been uploaded yet', extra: { documentStatus: document.status } });
    if (stored.size !== document.size || stored.contentType !== document.contentType) {
      throw new AppError('CONFLICT', { detail: 'The stored file does not match the announced type and size' });
    }
    const id = document.id;
    document = await withTransaction(o.actor, (tx) => markUploaded(tx, id));
  }
  const filename = `${document.kind.toLowerCase()}-${document.id}.${extension[document.contentType]}`;
  const { url, expiresAt } = await storage.signDownload({ key: document.objectKey, expiresInSeconds: downloadUrlSeconds, filename });
  return { document, url, expiresAt };
}
