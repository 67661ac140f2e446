import type { Tx } from '../../../shared/db/tx.js';
import { emit } from '../../../shared/events/outbox.js';
import { trustDevice } from '../devices/device.repo.js';
import type { OttRecord } from '../../../shared/auth/ott.repo.js';
import { companyAdmins, findUser, markPhoneVerified, setUserStatus } from '../users/user.repo.js';
import { companyName } from '../companies/company.repo.js';

/**
 * REGISTER code verified: the phone is confirmed, the registering device trusted, and the account waits for
 * an admin of its company, who is told by email and push (through the outbox).
 */
export async function completeRegistration(tx: Tx, ott: OttRecord): Promise<{ status: 'PENDING_APPROVAL' }> {
  const user = await findUser(tx, ott.userId, { forUpdate: true });
  if (!user || user.status !== 'PENDING_VERIFICATION') return { status: 'PENDING_APPROVAL' };
  await setUserStatus(tx, user.id, 'PENDING_APPROVAL');
  await markPhoneVerified(tx, user.id);
  if (ott.deviceId) await trustDevice(tx, user.id, ott.deviceId);
  const admins = await companyAdmins(tx, user.companyId);
  const company = (await companyName(tx, user.companyId)) ?? '';
  for (const admin of admins) {
    await emit(
      tx,
      'email.requested',
      {
        template: 'RM_REGISTRATION_RECEIVED',
        to: admin.email,
        variables: { agentName: user.fullname, agentEmail: user.email, agentPhone: user.phone, companyName: company },
        locale: admin.locale,
        entity: { type: 'user', id: String(user.id) },
      },
      { companyId: user.companyId },
    );
  }
  if (admins.length) {
    await emit(
      tx,
      'push.requested',
      {
        userIds: admins.map((a) => a.id),
        type: 'RM_REGISTRATION',
        title: 'Pendaftaran agen baru',
        body: `${user.fullname} menunggu persetujuan Anda.`,
        data: { userId: String(user.id) },
      },
      { companyId: user.companyId },
    );
  }
  return { status: 'PENDING_APPROVAL' };
}
