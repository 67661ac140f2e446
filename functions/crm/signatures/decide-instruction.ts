import { randomUUID } from 'node:crypto';
import type { Tx } from '../../../shared/db/tx.js';
import { AppError } from '../../../shared/errors.js';
import { emit } from '../../../shared/events/outbox.js';
import type { InvestorOtt } from '../../../shared/auth/ott.repo.js';
import { objectStorage } from '../../../shared/storage/object-storage.js';
import { assertInstructionTransition } from '../../../shared/instructions/instruction-status.js';
import { pushInstructionStatus } from '../../../shared/instructions/instruction-push.js';
import { assertLinkOpen, linkState, resolveLink, type OpenedLink } from '../links/link-access.js';
import { spendLinkWithCode } from '../links/spend-link.js';
import type { LinkToken } from '../links/link-token.repo.js';
import { loadSignatureDocument, type LoadedDocument } from './signature-document.js';
import { signatureLinkClosedReason } from './signature-state.js';
import { findOttLocale, insertEvidence, recordInvestorDecision } from './signature.repo.js';

export type DecisionInput = { decision: 'APPROVE'; signaturePng: Buffer } | { decision: 'REJECT'; reason: string };

export interface DecideInstructionOptions {
  token: string;
  code: string;
  input: DecisionInput;
  /** The hash the page showed; when given it must still be the instruction's. */
  documentHash?: string;
  /** The browser's link session (link-session.ts), which the code must have been sent to. */
  session: string;
  ip: string | null;
  userAgent: string | null;
}

export interface DecisionResult {
  status: 'SIGNED' | 'REJECTED_BY_INVESTOR';
  documentHash: string;
}

const maxUserAgent = 512;

/**
 * The investor's decision from the emailed link, in the one transaction that spends the link and the code
 * (spend-link.ts): the instruction locked, its document rebuilt and hashed, the drawn signature stored, the
 * status and the evidence written, the RM pushed and the investor sent a receipt with the hash. The PNG is
 * written inside the transaction on purpose: only after the code is verified, and a failed write rolls the
 * decision back (an object orphaned by a later failure is harmless; a decision without its signature is not).
 */
export async function decideInstruction(o: DecideInstructionOptions): Promise<DecisionResult> {
  const opened = await openInstructionLink(o.token, o.ip);
  return spendLinkWithCode({ opened, session: o.session, code: o.code }, async (tx, link, ott) => {
    const loaded = await loadSignatureDocument(tx, link.subjectId, { forUpdate: true });
    if (!loaded) throw new AppError('NOT_FOUND', { detail: 'No such link' });
    const status = o.input.decision === 'APPROVE' ? 'SIGNED' : 'REJECTED_BY_INVESTOR';
    assertInstructionTransition(loaded.source.status, status);
    if (o.documentHash !== undefined && o.documentHash !== loaded.hash) {
      throw new AppError('CONFLICT', {
        detail: 'The transaction changed since the page was opened; reload it and check again',
        extra: { documentHash: loaded.hash },
      });
    }
    const key = o.input.decision === 'APPROVE' ? await storeSignature(loaded, o.input.signaturePng) : null;
    const reason = o.input.decision === 'REJECT' ? o.input.reason : null;
    await recordInvestorDecision(tx, loaded.source.id, reason === null ? { status: 'SIGNED' } : { status: 'REJECTED_BY_INVESTOR', reason });
    const decidedAt = await insertEvidence(tx, {
      companyId: loaded.source.companyId,
      instructionId: loaded.source.id,
      decision: o.input.decision,
      reason,
      document: loaded.document,
      documentHash: loaded.hash,
      signatureObjectKey: key,
      ip: o.ip,
      userAgent: o.userAgent === null ? null : Array.from(o.userAgent).slice(0, maxUserAgent).join(''),
      otpId: ott.id,
      otpChannel: ott.channel,
    });
    await tellPeople(tx, { loaded, link, ott, status, reason, decidedAt });
    return { status, documentHash: loaded.hash };
  });
}

/** The link behind the token, if it is an instruction's: 404 otherwise, 410 when it can no longer act. */
async function openInstructionLink(token: string, ip: string | null): Promise<OpenedLink> {
  const opened = await resolveLink(token, ip);
  if (!opened || opened.link.kind !== 'instruction') throw new AppError('NOT_FOUND', { detail: 'No such link' });
  const state = linkState(opened.link);
  if ((state === 'revoked' || state === 'expired') && (await signatureLinkClosedReason(opened)) === 'cancelled') {
    throw new AppError('LINK_EXPIRED', { detail: 'The transaction was cancelled; there is nothing to sign' });
  }
  assertLinkOpen(opened.link);
  return opened;
}

async function storeSignature(loaded: LoadedDocument, png: Buffer): Promise<string> {
  const key = `signatures/${loaded.source.companyId}/${loaded.source.id}/${randomUUID()}.png`;
  await objectStorage().put(key, png, 'image/png');
  return key;
}

async function tellPeople(
  tx: Tx,
  o: { loaded: LoadedDocument; link: LinkToken; ott: InvestorOtt; status: DecisionResult['status']; reason: string | null; decidedAt: Date },
): Promise<void> {
  const { source, document, hash } = o.loaded;
  const productName = [document.product, ...(document.targetProduct ? [document.targetProduct] : [])].map((p) => p.name).join(' → ');
  await pushInstructionStatus(tx, {
    id: source.id,
    companyId: source.companyId,
    agentId: source.agentId,
    investorName: source.investorName,
    productName,
    status: o.status,
    reason: o.reason,
  });
  // The link was emailed, so there is an address; one removed since just means no receipt.
  if (!source.investorEmail) return;
  await emit(
    tx,
    'email.requested',
    {
      template: 'INSTRUCTION_RECEIPT',
      to: source.investorEmail,
      variables: {
        investorName: source.investorName,
        instructionType: source.type,
        productName,
        amount: source.amount,
        units: source.units,
        decision: o.status === 'SIGNED' ? 'SIGNED' : 'REJECTED',
        at: o.decidedAt.toISOString(),
        documentHash: hash,
      },
      locale: await findOttLocale(tx, o.ott.id),
      entity: { type: 'instruction', id: source.id },
    },
    { companyId: o.link.companyId },
  );
}
