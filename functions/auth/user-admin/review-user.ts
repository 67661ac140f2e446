import { AppError } from '../../../shared/errors.js';
import { withTransaction, type DbActor, type Tx } from '../../../shared/db/tx.js';
import { emit } from '../../../shared/events/outbox.js';
import type { Principal } from '../../../shared/http/route.js';
import { findUser, type UserRecord } from '../users/user.repo.js';
import { companyName } from '../companies/company.repo.js';
import { recordDecision } from './user-admin.repo.js';
import { assertLicensed, manageableUser } from './target-user.js';

export interface ReviewOptions {
  principal: Principal;
  actor: DbActor;
  id: number;
  decision: 'APPROVE' | 'REJECT';
  reason?: string;
}

/**
 * An admin approves or rejects an RM agent waiting for approval. Approval needs a WAPERD licence that has
 * not expired and records who approved and when; rejection records the reason. The agent is told by email
 * and push, through the outbox of the same transaction.
 */
export async function reviewUser(o: ReviewOptions): Promise<UserRecord> {
  return withTransaction(o.actor, async (tx) => {
    const user = await manageableUser(tx, o.principal, o.id);
    if (user.role !== 'RM_AGENT' || user.status !== 'PENDING_APPROVAL') {
      throw new AppError('CONFLICT', { detail: `Only RM agents waiting for approval are reviewed; this user is ${user.role} ${user.status}` });
    }
    const approve = o.decision === 'APPROVE';
    if (approve) assertLicensed(user);
    if (!(await recordDecision(tx, user.id, { approve, reason: approve ? null : o.reason! }))) {
      throw new AppError('CONFLICT', { detail: 'The user was reviewed meanwhile' });
    }
    await tellAgent(tx, user, approve, o.reason);
    return (await findUser(tx, user.id))!;
  });
}

async function tellAgent(tx: Tx, user: UserRecord, approve: boolean, reason: string | undefined): Promise<void> {
  const company = (await companyName(tx, user.companyId)) ?? '';
  const entity = { type: 'user', id: String(user.id) };
  await emit(
    tx,
    'email.requested',
    approve
      ? { template: 'RM_APPROVED', to: user.email, variables: { fullname: user.fullname, companyName: company }, locale: user.locale, entity }
      : { template: 'RM_REJECTED', to: user.email, variables: { fullname: user.fullname, companyName: company, reason: reason! }, locale: user.locale, entity },
    { companyId: user.companyId },
  );
  const en = user.locale === 'en';
  await emit(
    tx,
    'push.requested',
    {
      userIds: [user.id],
      type: approve ? 'ACCOUNT_APPROVED' : 'ACCOUNT_REJECTED',
      title: approve ? (en ? 'Account approved' : 'Akun disetujui') : en ? 'Registration declined' : 'Pendaftaran ditolak',
      body: approve
        ? en ? `You can now sign in to RMTools at ${company}.` : `Anda sekarang dapat masuk ke RMTools di ${company}.`
        : en ? `Reason: ${reason}` : `Alasan: ${reason}`,
      data: { userId: String(user.id), status: approve ? 'ACTIVE' : 'REJECTED' },
    },
    { companyId: user.companyId },
  );
}
