import { withTransaction, type DbActor } from '../../../shared/db/tx.js';
import { objectStorage } from '../../../shared/storage/object-storage.js';
import { markUploaded, type DocumentRecord } from './document.repo.js';

export type UploadCheck = { ok: true; document: DocumentRecord } | { ok: false; reason: 'missing' | 'mismatch' };

/**
 * Whether a document's bytes are in storage as announced. A pending document is checked against the stored
 * object (type and exact size) and, when it matches, marked UPLOADED. The storage call is a network call: no
 * database connection is held across it.
 */
export async function confirmUpload(actor: DbActor, document: DocumentRecord): Promise<UploadCheck> {
  if (document.status === 'UPLOADED') return { ok: true, document };
  const stored = await objectStorage().stat(document.objectKey);
  if (!stored) return { ok: false, reason: 'missing' };
  if (stored.size !== document.size || stored.contentType !== document.contentType) return { ok: false, reason: 'mismatch' };
  return { ok: true, document: await withTransaction(actor, (tx) => markUploaded(tx, document.id)) };
}
