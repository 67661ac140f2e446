import { z } from 'zod';
import { defineRoute, type AnyRoute } from '../../../shared/http/route.js';
import { actorOf, requirePrincipal } from '../../../shared/auth/actor.js';
import { enforceLimits } from '../../../shared/rate-limit.js';
import { documentSchema, documentView, uploadGrantSchema, uploadGrantView } from '../documents/document.view.js';
import { openRegistrationLink } from './investor-link.js';
import { requestLinkUpload } from './link-documents.js';
import { linkDocumentSchema, registrationSchema } from './registration-input.js';
import { startRemoteRegistration } from './start-remote-registration.js';
import { submitRegistration } from './submit-registration.js';

const tokenParams = z.strictObject({ token: z.string().min(1).max(200) });

export const startRemoteRegistrationRoute = defineRoute({
  method: 'POST',
  path: '/crm/investors/{id}/remote-registration',
  operationId: 'startRemoteRegistration',
  summary: 'Email an individual investor (DRAFT or REJECTED) a single-use link to complete their KYC themselves; a new link replaces the previous one',
  tags: ['Investors'],
  access: 'private',
  permission: 'investor:write',
  params: z.strictObject({ id: z.uuid() }),
  errors: ['NOT_FOUND', 'CONFLICT', 'BUSINESS_RULE', 'RATE_LIMITED'],
  response: {
    status: 202,
    description: 'The email is on its way',
    schema: z.object({ investorId: z.uuid(), expiresAt: z.string() }),
  },
  handler: async ({ params, principal, ip }) => {
    const p = requirePrincipal(principal);
    return { status: 202, body: await startRemoteRegistration({ actor: actorOf(p, ip), investorId: params.id }) };
  },
});

export const linkDocumentUploadRoute = defineRoute({
  method: 'POST',
  path: '/crm/links/{token}/documents',
  operationId: 'requestRegistrationUpload',
  summary: 'From the registration page: record the investor’s KTP photo or selfie (JPEG or PNG, at most 10 MB) and get the signed URL to PUT it to',
  tags: ['Investor links'],
  access: 'public',
  csrf: true,
  params: tokenParams,
  body: linkDocumentSchema,
  errors: ['NOT_FOUND', 'LINK_EXPIRED', 'LINK_USED', 'FORBIDDEN', 'CONFLICT', 'RATE_LIMITED', 'CSRF_FAILED'],
  response: { status: 201, description: 'The document and its upload grant', schema: z.object({ document: documentSchema, upload: uploadGrantSchema }) },
  handler: async ({ params, body, headers, ip }) => {
    await enforceLimits([{ name: 'link-documents:ip', subject: ip, windowSeconds: 3600, limit: 60 }]);
    const { opened } = await openRegistrationLink(params.token, ip, headers);
    // Per link too: storage is not a free drop box for whoever holds a link.
    await enforceLimits([{ name: 'link-documents:link', subject: String(opened.link.tokenId), windowSeconds: 3600, limit: 20 }]);
    const { document, upload } = await requestLinkUpload({ opened, ...body });
    return { status: 201, body: { document: documentView(document), upload: uploadGrantView(upload) } };
  },
});

export const submitRegistrationRoute = defineRoute({
  method: 'POST',
  path: '/crm/links/{token}/registration',
  operationId: 'submitRemoteRegistration',
  summary: 'From the registration page: the investor submits their KYC (as POST /crm/investors) with the step-up code; the investor is then SUBMITTED for approval',
  tags: ['Investor links'],
  access: 'public',
  csrf: true,
  params: tokenParams,
  body: registrationSchema,
  errors: ['NOT_FOUND', 'LINK_EXPIRED', 'LINK_USED', 'FORBIDDEN', 'CONFLICT', 'BUSINESS_RULE', 'OTP_INVALID', 'OTP_EXPIRED', 'OTP_USED', 'OTP_LOCKED', 'RATE_LIMITED', 'CSRF_FAILED'],
  response: { status: 200, description: 'Submitted for approval', schema: z.object({ status: z.literal('SUBMITTED') }) },
  handler: async ({ params, body, headers, ip }) => {
    await enforceLimits([{ name: 'link-registration:ip', subject: ip, windowSeconds: 3600, limit: 30 }]);
    const { opened, session } = await openRegistrationLink(params.token, ip, headers);
    return { body: await submitRegistration({ opened, session, input: body }) };
  },
});

export const registrationRoutes: readonly AnyRoute[] = [startRemoteRegistrationRoute, linkDocumentUploadRoute, submitRegistrationRoute];
