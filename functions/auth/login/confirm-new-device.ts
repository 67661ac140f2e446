import type { Tx } from '../../../shared/db/tx.js';
import { emit } from '../../../shared/events/outbox.js';
import { deviceName, trustDevice } from '../devices/device.repo.js';
import type { OttRecord } from '../../../shared/auth/ott.repo.js';
import { startSession, type TokenPair } from '../sessions/token-pair.js';
import { findUser } from '../users/user.repo.js';
import { assertCanSignIn } from '../users/account-state.js';

/** NEW_DEVICE code verified on its device: the device is trusted from now on and the sign-in completes. */
export async function confirmNewDevice(tx: Tx, ott: OttRecord, ctx: { ip: string | null; userAgent: string | null }): Promise<TokenPair> {
  const user = await findUser(tx, ott.userId, { forUpdate: true });
  if (!user) throw new Error('The user of a live one-time code is missing');
  // The account may have changed state since the password was checked.
  assertCanSignIn(user);
  const deviceId = ott.deviceId!;
  await trustDevice(tx, user.id, deviceId);
  const tokens = await startSession(tx, user, { deviceId, ip: ctx.ip, userAgent: ctx.userAgent });
  // Tell the owner, in case it was not them.
  await emit(
    tx,
    'email.requested',
    {
      template: 'NEW_DEVICE_LOGIN',
      to: user.email,
      variables: { fullname: user.fullname, deviceName: (await deviceName(tx, user.id, deviceId)) ?? deviceId.slice(0, 64), at: new Date().toISOString(), ip: ctx.ip },
      locale: user.locale,
      entity: { type: 'user', id: String(user.id) },
    },
    { companyId: user.companyId },
  );
  return tokens;
}
