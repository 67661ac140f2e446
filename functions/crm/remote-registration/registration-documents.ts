import { withTransaction, type DbActor } from '../../../shared/db/tx.js';
import { AppError } from '../../../shared/errors.js';
import { confirmUpload } from '../documents/confirm-upload.js';
import { findLatestDocuments, type DocumentKind } from '../documents/document.repo.js';

/** What a remote registration must come with: the investor's KTP and a selfie holding it. */
export const requiredDocuments: readonly DocumentKind[] = ['KTP', 'SELFIE'];

/**
 * BUSINESS_RULE unless the investor has an uploaded document of each required kind: one marked UPLOADED, or a
 * pending one whose object storage now holds as announced (then marked so). Newest first, so a fresh upload is
 * found at once; an abandoned grant does not hide an earlier upload.
 */
export async function assertDocumentsUploaded(actor: DbActor, investorId: string): Promise<void> {
  const documents = await withTransaction(actor, (tx) => findLatestDocuments(tx, investorId, requiredDocuments));
  const missing: DocumentKind[] = [];
  for (const kind of requiredDocuments) {
    let uploaded = false;
    for (const document of documents.filter((d) => d.kind === kind)) {
      if ((await confirmUpload(actor, document)).ok) {
        uploaded = true;
        break;
      }
    }
    if (!uploaded) missing.push(kind);
  }
  if (missing.length) {
    throw new AppError('BUSINESS_RULE', { detail: 'Upload a photo of your KTP and a selfie before you submit', extra: { missingDocuments: missing } });
  }
}
