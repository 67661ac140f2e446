import { z } from 'zod';
import { defineRoute } from '../../../shared/http/route.js';
import { pageQuery } from '../../../shared/http/pagination.js';
import { actorOf, requirePrincipal } from '../../../shared/auth/actor.js';
import { documentContentTypes, documentKinds, maxDocumentBytes } from './document.repo.js';
import { documentSchema, documentView, uploadGrantSchema, uploadGrantView } from './document.view.js';
import { requestUpload } from './request-upload.js';
import { documentDownloadUrl } from './download-url.js';
import { listDocumentsOfInvestor } from './list-documents.js';

const tags = ['Investor documents'];
const investorIdParams = z.strictObject({ id: z.uuid() });

export const requestDocumentUploadRoute = defineRoute({
  method: 'POST',
  path: '/crm/investors/{id}/documents',
  operationId: 'requestDocumentUpload',
  summary: 'Record a KYC document (JPEG, PNG or PDF, at most 10 MB) and get the signed URL to PUT it to within 15 minutes',
  tags,
  access: 'private',
  permission: 'investor:write',
  params: investorIdParams,
  body: z.strictObject({
    kind: z.enum(documentKinds),
    contentType: z.enum(documentContentTypes),
    size: z.number().int().min(1).max(maxDocumentBytes),
  }),
  errors: ['NOT_FOUND'],
  response: {
    status: 201,
    description: 'The document and its upload grant',
    schema: z.object({ document: documentSchema, upload: uploadGrantSchema }),
  },
  handler: async ({ params, body, principal, ip }) => {
    const p = requirePrincipal(principal);
    const { document, upload } = await requestUpload({ actor: actorOf(p, ip), investorId: params.id, ...body });
    return { status: 201, body: { document: documentView(document), upload: uploadGrantView(upload) } };
  },
});

export const listDocumentsRoute = defineRoute({
  method: 'GET',
  path: '/crm/investors/{id}/documents',
  operationId: 'listDocuments',
  summary: 'The KYC documents of an investor, newest first',
  tags,
  access: 'private',
  permission: 'investor:read',
  params: investorIdParams,
  query: z.strictObject({ ...pageQuery }),
  errors: ['NOT_FOUND'],
  response: { status: 200, description: 'A page of documents', schema: z.object({ items: z.array(documentSchema), nextCursor: z.string().nullable() }) },
  handler: async ({ params, query, principal, ip }) => {
    const p = requirePrincipal(principal);
    return { body: await listDocumentsOfInvestor({ actor: actorOf(p, ip), investorId: params.id, ...query }) };
  },
});

export const documentDownloadUrlRoute = defineRoute({
  method: 'GET',
  path: '/crm/investors/{id}/documents/{documentId}/download-url',
  operationId: 'documentDownloadUrl',
  summary: 'A signed URL to read an uploaded document, valid for 5 minutes',
  tags,
  access: 'private',
  permission: 'investor:read',
  params: z.strictObject({ id: z.uuid(), documentId: z.uuid() }),
  errors: ['NOT_FOUND', 'CONFLICT'],
  response: { status: 200, description: 'The URL', schema: z.object({ document: documentSchema, url: z.string(), expiresAt: z.string() }) },
  handler: async ({ params, principal, ip }) => {
    const p = requirePrincipal(principal);
    const { document, url, expiresAt } = await documentDownloadUrl({ actor: actorOf(p, ip), investorId: params.id, documentId: params.documentId });
    return { body: { document: documentView(document), url, expiresAt: expiresAt.toISOString() } };
  },
});

export const documentRoutes = [requestDocumentUploadRoute, listDocumentsRoute, documentDownloadUrlRoute];
