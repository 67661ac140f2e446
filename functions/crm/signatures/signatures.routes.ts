import { z } from 'zod';
import { defineRoute, type AnyRoute } from '../../../shared/http/route.js';
import { actorOf, requirePrincipal } from '../../../shared/auth/actor.js';
import { enforceLimits } from '../../../shared/rate-limit.js';
import { requireSession } from '../links/link-code.js';
import { linkSessionOf } from '../links/link-session.js';
import { decideInstruction, type DecisionInput } from './decide-instruction.js';
import { getSignatureEvidence } from './get-signature-evidence.js';
import { signatureDocumentSchema } from './signature-document.js';
import { maxSignatureDataUrlChars, readSignaturePng } from './signature-png.js';

const documentHashSchema = z.string().regex(/^[0-9a-f]{64}$/, 'The SHA-256 of the document, 64 lowercase hex digits');

/** What PATCH /crm/instructions/signature takes: each decision with its own part, checked on its field (400). */
export const decisionBodySchema = z
  .strictObject({
    token: z.string().min(1).max(200),
    code: z.string().regex(/^\d{6}$/, 'The 6-digit code'),
    decision: z.enum(['APPROVE', 'REJECT']),
    reason: z.string().trim().min(3).max(500).optional(),
    signature: z.string().max(maxSignatureDataUrlChars, 'At most 300 KB').optional(),
    documentHash: documentHashSchema.optional(),
  })
  .superRefine((b, ctx) => {
    const issue = (field: string, message: string) => ctx.addIssue({ code: 'custom', path: [field], message });
    if (b.decision === 'APPROVE') {
      if (b.signature === undefined) issue('signature', 'An approval is signed: send the drawn signature as a PNG data URL');
      else {
        const read = readSignaturePng(b.signature);
        if (!read.ok) issue('signature', read.message);
      }
      if (b.reason !== undefined) issue('reason', 'Only a rejection has a reason');
    } else {
      if (b.reason === undefined) issue('reason', 'Say why you reject the transaction (3 to 500 characters)');
      if (b.signature !== undefined) issue('signature', 'A rejection is not signed');
    }
  });

export const decideInstructionRoute = defineRoute({
  method: 'PATCH',
  path: '/crm/instructions/signature',
  operationId: 'decideInstruction',
  summary:
    'The investor approves (with a drawn signature) or rejects an instruction from the emailed link, with the step-up code sent to this browser ' +
    'session (POST /crm/links/{token}/otp). documentHash, when sent, must be the one the page showed. Single use',
  tags: ['Investor links'],
  access: 'public',
  csrf: true,
  body: decisionBodySchema,
  errors: ['NOT_FOUND', 'LINK_EXPIRED', 'LINK_USED', 'OTP_INVALID', 'OTP_EXPIRED', 'OTP_USED', 'OTP_LOCKED', 'FORBIDDEN', 'CONFLICT', 'RATE_LIMITED', 'CSRF_FAILED'],
  response: {
    status: 200,
    description: 'The decision is recorded',
    schema: z.object({ status: z.enum(['SIGNED', 'REJECTED_BY_INVESTOR']), documentHash: documentHashSchema }),
  },
  handler: async ({ body, headers, ip, userAgent }) => {
    await enforceLimits([{ name: 'link-decision:ip', subject: ip, windowSeconds: 3600, limit: 60 }]);
    const session = requireSession(linkSessionOf(headers));
    // The schema checked the decision's part already.
    const input: DecisionInput =
      body.decision === 'APPROVE' ? { decision: 'APPROVE', signaturePng: pngOf(body.signature!) } : { decision: 'REJECT', reason: body.reason! };
    const result = await decideInstruction({ token: body.token, code: body.code, input, documentHash: body.documentHash, session, ip, userAgent });
    return { body: result };
  },
});

function pngOf(dataUrl: string): Buffer {
  const read = readSignaturePng(dataUrl);
  if (!read.ok) throw new Error(read.message);
  return read.png;
}

export const signatureEvidenceSchema = z.object({
  instructionId: z.uuid(),
  decision: z.enum(['APPROVE', 'REJECT']),
  reason: z.string().nullable(),
  decidedAt: z.string(),
  ip: z.string().nullable(),
  userAgent: z.string().nullable(),
  otpChannel: z.enum(['SMS', 'EMAIL']),
  documentHash: documentHashSchema,
  /** The instruction as the investor saw and decided it; documentHash is the SHA-256 of its canonical JSON. */
  document: signatureDocumentSchema,
  /** Approvals: the drawn signature (image/png), readable for 5 minutes. */
  signatureUrl: z.string().optional(),
  signatureUrlExpiresAt: z.string().optional(),
});

export const signatureEvidenceRoute = defineRoute({
  method: 'GET',
  path: '/crm/instructions/{id}/signature',
  operationId: 'getInstructionSignature',
  summary: 'The investor’s decision on an instruction with its evidence (time, IP, user agent, code channel, the document and its hash) and the drawn signature (agents: their own)',
  tags: ['Instructions'],
  access: 'private',
  permission: 'instruction:read',
  params: z.strictObject({ id: z.uuid() }),
  errors: ['NOT_FOUND'],
  response: { status: 200, description: 'The evidence', schema: signatureEvidenceSchema },
  handler: async ({ params, principal, ip }) => {
    const p = requirePrincipal(principal);
    const { evidence: e, signature } = await getSignatureEvidence({ actor: actorOf(p, ip), instructionId: params.id });
    return {
      body: {
        instructionId: e.instructionId,
        decision: e.decision,
        reason: e.reason,
        decidedAt: e.decidedAt.toISOString(),
        ip: e.ip,
        userAgent: e.userAgent,
        otpChannel: e.otpChannel,
        documentHash: e.documentHash,
        document: e.document,
        ...(signature ? { signatureUrl: signature.url, signatureUrlExpiresAt: signature.expiresAt.toISOString() } : {}),
      },
    };
  },
});

export const signatureRoutes: readonly AnyRoute[] = [decideInstructionRoute, signatureEvidenceRoute];
