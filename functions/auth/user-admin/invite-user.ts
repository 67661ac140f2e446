import { config } from '../../../shared/config.js';
import { encrypt } from '../../../shared/crypto/encryption.js';
import { withTransaction, type DbActor, type Tx } from '../../../shared/db/tx.js';
import { AppError } from '../../../shared/errors.js';
import type { Principal } from '../../../shared/http/route.js';
import { emit } from '../../../shared/events/outbox.js';
import { newOpaqueToken } from '../../../shared/auth/opaque-token.js';
import { insertUserToken } from '../password/user-token.repo.js';
import { companyName } from '../companies/company.repo.js';
import type { UserRecord } from '../users/user.repo.js';
import { manageableUser } from './target-user.js';

/** Where the emailed link lands: the set-password page (the token travels in the fragment, never in a log). */
export function setPasswordUrl(token: string): string {
  return `${new URL('/auth/set-password', config().PUBLIC_BASE_URL).toString()}#token=${token}`;
}

/**
 * Emails a user an admin created without a password a single-use set-password link, valid for
 * INVITE_TOKEN_TTL_HOURS. A new invitation replaces the previous one. Only the token's hash is stored, and the
 * link travels encrypted in the event.
 */
export async function sendInvite(tx: Tx, user: Pick<UserRecord, 'id' | 'companyId' | 'fullname' | 'email' | 'locale'>): Promise<{ expiresAt: string }> {
  const token = newOpaqueToken();
  const expiresAt = await insertUserToken(tx, {
    companyId: user.companyId,
    userId: user.id,
    purpose: 'SET_PASSWORD',
    hash: token.hash,
    ttlSeconds: config().INVITE_TOKEN_TTL_HOURS * 3600,
  });
  await emit(
    tx,
    'email.requested',
    {
      template: 'USER_INVITE',
      to: user.email,
      variables: { fullname: user.fullname, companyName: (await companyName(tx, user.companyId)) ?? '', expiresAt: expiresAt.toISOString() },
      secureLink: await encrypt(setPasswordUrl(token.token), 'email.link'),
      locale: user.locale,
      entity: { type: 'user', id: String(user.id) },
    },
    { companyId: user.companyId },
  );
  return { expiresAt: expiresAt.toISOString() };
}

/** POST /idty/users/{id}/invite: a fresh link for an invited user who has not chosen a password yet. */
export async function resendInvite(o: { principal: Principal; actor: DbActor; id: number }): Promise<{ expiresAt: string }> {
  return withTransaction(o.actor, async (tx) => {
    const user = await manageableUser(tx, o.principal, o.id);
    if (user.passwordHash) throw new AppError('CONFLICT', { detail: 'The user has a password already; a reset is theirs to start' });
    if (user.status !== 'ACTIVE') throw new AppError('CONFLICT', { detail: `A ${user.status} user is not invited` });
    return sendInvite(tx, user);
  });
}
