import { withTransaction, type Tx } from '../../../shared/db/tx.js';
import type { AppError } from '../../../shared/errors.js';
import type { InvestorOtt } from '../../../shared/auth/ott.repo.js';
import { lockOpenLink, type OpenedLink } from './link-access.js';
import { checkLinkCode } from './link-code.js';
import { markLinkTokenUsed, type LinkToken } from './link-token.repo.js';

/**
 * Acts on a link with its step-up code, all in one transaction: the link's row locked and checked open, the
 * code checked against this browser session and spent, `act` run, the link spent. A wrong code's attempt is
 * committed before the error is thrown; if `act` throws, nothing is spent and the code still works.
 */
export async function spendLinkWithCode<T>(
  o: { opened: OpenedLink; session: string; code: string },
  act: (tx: Tx, link: LinkToken, ott: InvestorOtt) => Promise<T>,
): Promise<T> {
  const outcome = await withTransaction(o.opened.actor, async (tx): Promise<{ value: T } | { error: AppError }> => {
    const link = await lockOpenLink(tx, o.opened.link);
    const check = await checkLinkCode(tx, { link, session: o.session, code: o.code });
    if (!check.ok) return { error: check.error };
    const value = await act(tx, link, check.ott);
    await markLinkTokenUsed(tx, link);
    return { value };
  });
  if ('error' in outcome) throw outcome.error;
  return outcome.value;
}
