import { hashOpaqueToken, opaqueTokenPattern } from '../../../shared/auth/opaque-token.js';
import { query, withTransaction, type DbActor, type Tx } from '../../../shared/db/tx.js';
import { AppError } from '../../../shared/errors.js';
import { findLinkToken, type LinkToken } from './link-token.repo.js';

/**
 * An emailed link, found by its token's hash. The investor has no account: the token names the tenant (one
 * SECURITY DEFINER look-up), and everything after runs as that tenant under RLS, with no user.
 */
export interface OpenedLink {
  link: LinkToken;
  actor: DbActor;
}

export type LinkState = 'open' | 'used' | 'expired' | 'revoked';

export function linkState(link: LinkToken, now = Date.now()): LinkState {
  if (link.usedAt) return 'used';
  if (link.revokedAt) return 'revoked';
  if (link.expiresAt.getTime() <= now) return 'expired';
  return 'open';
}

/** Undefined for a malformed or unknown token: the caller answers 404 (or its page) without saying which. */
export async function resolveLink(token: string, ip: string | null): Promise<OpenedLink | undefined> {
  if (!opaqueTokenPattern.test(token)) return undefined;
  const { rows } = await query<{ kind: LinkToken['kind']; token_id: string; company_id: string }>(
    { name: 'investor-link-tenant', text: 'select kind, token_id, company_id from app.investor_link($1::text)' },
    [hashOpaqueToken(token)],
  );
  const tenant = rows[0];
  if (!tenant) return undefined;
  const actor: DbActor = { companyIds: [Number(tenant.company_id)], ip };
  const link = await withTransaction(actor, (tx) => findLinkToken(tx, tenant.kind, Number(tenant.token_id)));
  return link && { link, actor };
}

/** The API's answer to a link that can no longer act: 410, used or expired (a replaced link counts as expired). */
export function assertLinkOpen(link: LinkToken): void {
  const state = linkState(link);
  if (state === 'used') throw new AppError('LINK_USED');
  if (state === 'expired') throw new AppError('LINK_EXPIRED');
  if (state === 'revoked') throw new AppError('LINK_EXPIRED', { detail: 'A newer link replaced this one; use the latest email' });
}

/** Locks the link's row for the transaction that would spend it, and checks it is still open. */
export async function lockOpenLink(tx: Tx, link: LinkToken): Promise<LinkToken> {
  const locked = await findLinkToken(tx, link.kind, link.tokenId, { forUpdate: true });
  if (!locked) throw new AppError('NOT_FOUND', { detail: 'No such link' });
  assertLinkOpen(locked);
  return locked;
}

/** A request that must name a live link: 404 unknown, 410 used or expired. */
export async function requireOpenLink(token: string, ip: string | null): Promise<OpenedLink> {
  const opened = await resolveLink(token, ip);
  if (!opened) throw new AppError('NOT_FOUND', { detail: 'No such link' });
  assertLinkOpen(opened.link);
  return opened;
}
