import { z } from 'zod';
import type { UploadGrant } from '../../../shared/storage/object-storage.js';
import { documentContentTypes, documentKinds, type DocumentRecord } from './document.repo.js';

export const documentSchema = z.object({
  id: z.uuid(),
  investorId: z.uuid(),
  kind: z.enum(documentKinds),
  contentType: z.enum(documentContentTypes),
  size: z.number().int(),
  status: z.enum(['PENDING_UPLOAD', 'UPLOADED']),
  uploadedAt: z.string().nullable(),
  createdBy: z.number().int().nullable(),
  createdAt: z.string(),
});
export type DocumentView = z.infer<typeof documentSchema>;

export function documentView(d: DocumentRecord): DocumentView {
  return {
    id: d.id,
    investorId: d.investorId,
    kind: d.kind,
    contentType: d.contentType,
    size: d.size,
    status: d.status,
    uploadedAt: d.uploadedAt?.toISOString() ?? null,
    createdBy: d.createdBy,
    createdAt: d.createdAt.toISOString(),
  };
}

/** The signed PUT the client sends the bytes with. */
export const uploadGrantSchema = z.object({ url: z.string(), method: z.literal('PUT'), headers: z.record(z.string(), z.string()), expiresAt: z.string() });

export function uploadGrantView(g: UploadGrant): z.infer<typeof uploadGrantSchema> {
  return { url: g.url, method: g.method, headers: g.headers, expiresAt: g.expiresAt.toISOString() };
}
