import type { IncomingHttpHeaders } from 'node:http';
import { AppError } from '../../../shared/errors.js';
import type { InvestorStatus } from '../investors/investor.repo.js';
import { requireOpenLink, type OpenedLink } from '../links/link-access.js';
import { requireSession } from '../links/link-code.js';
import { linkSessionOf } from '../links/link-session.js';

/** An investor registers remotely while the agent has not submitted it yet, or to correct a rejection. */
export const registrationStatuses: readonly InvestorStatus[] = ['DRAFT', 'REJECTED'];

export function canRegister(status: InvestorStatus): boolean {
  return registrationStatuses.includes(status);
}

/**
 * A request of the registration page: the browser's link session (the page set it), and a live registration
 * link. A signature link is no registration link: 404, as for an unknown token.
 */
export async function openRegistrationLink(token: string, ip: string | null, headers: IncomingHttpHeaders): Promise<{ opened: OpenedLink; session: string }> {
  const session = requireSession(linkSessionOf(headers));
  const opened = await requireOpenLink(token, ip);
  if (opened.link.kind !== 'investor') throw new AppError('NOT_FOUND', { detail: 'No such link' });
  return { opened, session };
}
