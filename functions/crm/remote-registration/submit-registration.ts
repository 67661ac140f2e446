import { withTransaction } from '../../../shared/db/tx.js';
import { AppError } from '../../../shared/errors.js';
import { emit } from '../../../shared/events/outbox.js';
import { findInvestor } from '../investors/investor.repo.js';
import { assertReferencesKnown, checkKyc, writeKyc } from '../investors/write-kyc.js';
import type { OpenedLink } from '../links/link-access.js';
import { spendLinkWithCode } from '../links/spend-link.js';
import { canRegister } from './investor-link.js';
import { assertDocumentsUploaded } from './registration-documents.js';
import { asSubmission, type RegistrationInput } from './registration-input.js';

export interface SubmitRegistrationOptions {
  opened: OpenedLink;
  /** The browser's link session, which the code is bound to. */
  session: string;
  input: RegistrationInput;
  now?: Date;
}

/**
 * The investor submits their KYC from the registration page. Everything that can be checked without the code is
 * checked first (the API's rules, the master data, the uploaded KTP and selfie), so a mistake costs no code.
 * Then one transaction: the link locked and its code checked, the investor locked and still open, its KYC
 * written (a rejected investor's earlier rows replaced), SUBMITTED, the agent told, the link spent. The investor
 * stays the agent's; the audit trail records no user and the investor's address.
 */
export async function submitRegistration(o: SubmitRegistrationOptions): Promise<{ status: 'SUBMITTED' }> {
  const submission = asSubmission(o.input);
  const kyc = await checkKyc(submission, o.now ?? new Date());
  await withTransaction(o.opened.actor, (tx) => assertReferencesKnown(tx, submission));
  await assertDocumentsUploaded(o.opened.actor, o.opened.link.subjectId);

  await spendLinkWithCode({ opened: o.opened, session: o.session, code: o.input.code }, async (tx, link) => {
    const investor = await findInvestor(tx, link.subjectId, true);
    if (!investor) throw new AppError('NOT_FOUND', { detail: 'No such link' });
    if (investor.type !== 'INDIVIDUAL' || !canRegister(investor.status)) {
      throw new AppError('CONFLICT', { detail: 'This registration was completed already', extra: { investorStatus: investor.status } });
    }
    const saved = await writeKyc(tx, {
      kyc,
      companyId: investor.companyId,
      agentId: investor.agentId,
      leadId: investor.leadId,
      existing: investor,
      discloseConflict: false,
    });
    await emit(
      tx,
      'push.requested',
      {
        userIds: [saved.agentId],
        type: 'INVESTOR_SUBMITTED',
        title: 'Investor registration submitted',
        body: `${saved.fullName} completed the registration; it awaits approval.`,
        data: { investorId: saved.id },
      },
      { companyId: saved.companyId },
    );
  });
  return { status: 'SUBMITTED' };
}
