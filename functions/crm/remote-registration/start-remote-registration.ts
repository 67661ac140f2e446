import { withTransaction, type DbActor } from '../../../shared/db/tx.js';
import { AppError } from '../../../shared/errors.js';
import { emit } from '../../../shared/events/outbox.js';
import { newOpaqueToken } from '../../../shared/auth/opaque-token.js';
import { sealedInvestorLink } from '../links/link-url.js';
import { enforceLimits } from '../../../shared/rate-limit.js';
import { findAgentLicence } from '../agents/agent.repo.js';
import { notFound } from '../crm-access.js';
import { findInvestor } from '../investors/investor.repo.js';
import { canRegister } from './investor-link.js';
import { findCompanyName, insertInvestorToken, revokeOpenInvestorTokens } from './registration-link.repo.js';

export interface StartRemoteRegistrationOptions {
  actor: DbActor;
  investorId: string;
}

/** Links emailed per investor per hour: enough for a lost email, not enough to flood an inbox. */
export const registrationLinkLimit = { windowSeconds: 3600, limit: 5 };

/**
 * The agent emails an individual investor (a draft, or a rejected one to correct) a single-use link to complete
 * their KYC themselves. A new link revokes the earlier one. Only the token's hash is stored; the link travels
 * encrypted in the email event, which commits with the token or not at all.
 */
export async function startRemoteRegistration(o: StartRemoteRegistrationOptions): Promise<{ investorId: string; expiresAt: string }> {
  return withTransaction(o.actor, async (tx) => {
    // The open links are locked before the investor, the order the investor's submission locks them in.
    await revokeOpenInvestorTokens(tx, o.investorId);
    const investor = await findInvestor(tx, o.investorId, true);
    if (!investor) throw notFound('investor');
    if (investor.type !== 'INDIVIDUAL') {
      throw new AppError('BUSINESS_RULE', { detail: 'Remote registration is for individual investors; submit an institution’s KYC in the app' });
    }
    if (!canRegister(investor.status)) {
      throw new AppError('CONFLICT', { detail: `A ${investor.status} investor has no registration to complete`, extra: { investorStatus: investor.status } });
    }
    if (!investor.email) throw new AppError('BUSINESS_RULE', { detail: 'The investor has no email address to send the link to' });
    // Counted once the caller is known to see the investor, so nobody spends another's allowance.
    await enforceLimits([{ name: 'investor:remote-registration', subject: investor.id, ...registrationLinkLimit }]);

    const token = newOpaqueToken();
    const { expiresAt } = await insertInvestorToken(tx, { companyId: investor.companyId, investorId: investor.id, hash: token.hash });
    const agent = await findAgentLicence(tx, investor.agentId);
    const companyName = await findCompanyName(tx, investor.companyId);
    if (!agent || !companyName) throw new Error(`The agent or company of investor ${investor.id} is not visible`);
    await emit(
      tx,
      'email.requested',
      {
        template: 'INVESTOR_REMOTE_REGISTRATION',
        to: investor.email,
        variables: {
          investorName: investor.fullName,
          agentName: agent.fullname,
          companyName,
          expiresAt: expiresAt.toISOString(),
        },
        secureLink: await sealedInvestorLink(token.token),
        entity: { type: 'investor', id: investor.id },
      },
      { companyId: investor.companyId },
    );
    return { investorId: investor.id, expiresAt: expiresAt.toISOString() };
  });
}
