import { withTransaction } from '../../../shared/db/tx.js';
import { AppError } from '../../../shared/errors.js';
import type { UploadGrant } from '../../../shared/storage/object-storage.js';
import type { DocumentRecord } from '../documents/document.repo.js';
import { grantUpload, type DocumentSpec } from '../documents/request-upload.js';
import { findInvestor } from '../investors/investor.repo.js';
import type { OpenedLink } from '../links/link-access.js';
import { canRegister } from './investor-link.js';

export interface RequestLinkUploadOptions extends DocumentSpec {
  opened: OpenedLink;
}

/**
 * The registration page's upload of a KTP photo or a selfie: the same document rows and signed PUT as the agent's
 * app (functions/crm/documents), made as the link's tenant with no user.
 */
export async function requestLinkUpload(o: RequestLinkUploadOptions): Promise<{ document: DocumentRecord; upload: UploadGrant }> {
  const investor = await withTransaction(o.opened.actor, (tx) => findInvestor(tx, o.opened.link.subjectId));
  if (!investor) throw new AppError('NOT_FOUND', { detail: 'No such link' });
  if (!canRegister(investor.status)) {
    throw new AppError('CONFLICT', { detail: 'This registration is complete; nothing more can be uploaded here', extra: { investorStatus: investor.status } });
  }
  return grantUpload(o.opened.actor, investor, o);
}
