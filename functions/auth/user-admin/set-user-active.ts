import { AppError } from '../../../shared/errors.js';
import { withTransaction, type DbActor, type Queryable } from '../../../shared/db/tx.js';
import type { Principal } from '../../../shared/http/route.js';
import { findUser, type UserRecord } from '../users/user.repo.js';
import { revokeUserSessions } from '../sessions/session.repo.js';
import { releasePushTokens } from '../devices/device.repo.js';
import { setActive } from './user-admin.repo.js';
import { assertLicensed, assertNotSelf, manageableUser } from './target-user.js';

export interface SetActiveOptions {
  principal: Principal;
  actor: DbActor;
  id: number;
  active: boolean;
}

/**
 * Deactivation ends every session of the user at once: the refresh tokens die with their sessions, and a
 * still-valid access token fails on its next request, where app.session_principal checks the session and the
 * user's status. Reactivation brings back only a deactivated user (pending ones are approved instead), and an
 * agent only with a valid licence. Only an active user is deactivated: deactivating a pending or rejected one
 * and reactivating it would make it ACTIVE without review (such users are reviewed or deleted).
 */
export async function setUserActive(o: SetActiveOptions): Promise<UserRecord> {
  return withTransaction(o.actor, async (tx) => {
    const user = await manageableUser(tx, o.principal, o.id);
    if (!o.active) {
      assertNotSelf(o.principal, user, 'deactivate');
      if (user.status === 'ACTIVE') await deactivate(tx, user.id);
      else if (user.status !== 'INACTIVE') throw new AppError('CONFLICT', { detail: `A ${user.status} user is reviewed or deleted, not deactivated` });
    } else if (user.status !== 'ACTIVE') {
      if (user.status !== 'INACTIVE') throw new AppError('CONFLICT', { detail: `A ${user.status} user is approved, not activated` });
      assertLicensed(user);
      await setActive(tx, user.id, true);
    }
    return (await findUser(tx, user.id))!;
  });
}

/** Status INACTIVE (and, for deletion, deleted_at), every session revoked, push tokens released. */
export async function deactivate(tx: Queryable, userId: number, opts: { deleted?: boolean } = {}): Promise<void> {
  await setActive(tx, userId, false, opts);
  await revokeUserSessions(tx, userId, 'DEACTIVATED');
  await releasePushTokens(tx, userId);
}

/** DELETE /idty/users/{id}: deactivated for good and gone from the admin views; the row stays for the audit trail. */
export async function deleteUser(o: Omit<SetActiveOptions, 'active'>): Promise<void> {
  await withTransaction(o.actor, async (tx) => {
    const user = await manageableUser(tx, o.principal, o.id);
    assertNotSelf(o.principal, user, 'delete');
    await deactivate(tx, user.id, { deleted: true });
  });
}
