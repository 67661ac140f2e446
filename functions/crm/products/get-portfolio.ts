import { isBibError } from '../../../shared/bib/bib-error.js';
import { investorPortfolio } from '../../../shared/bib/catalogue.js';
import type { CachedResult } from '../../../shared/cache/cached.js';
import { withTransaction, type DbActor } from '../../../shared/db/tx.js';
import { AppError } from '../../../shared/errors.js';
import { notFound } from '../crm-access.js';
import { findInvestor } from '../investors/investor.repo.js';
import { portfolioView, type PortfolioView } from './product.view.js';

export interface GetPortfolioOptions {
  actor: DbActor;
  investorId: string;
}

/**
 * An investor's holdings at Bib, through the cache. The investor is looked up as the caller sees it (an agent:
 * its own; an admin: its companies'), so an invisible one is 404; one not opened at Bib yet is 409.
 */
export async function getInvestorPortfolio(o: GetPortfolioOptions): Promise<{ portfolio: PortfolioView; cache: CachedResult<unknown> }> {
  const investor = await withTransaction(o.actor, (tx) => findInvestor(tx, o.investorId));
  if (!investor) throw notFound('investor');
  const bibId = investor.externalId;
  if (!bibId) {
    throw new AppError('CONFLICT', {
      detail: 'The investor is not at Bib yet (no externalId): it has a portfolio once the Bib sync has opened it there',
      extra: { investorStatus: investor.status, syncStatus: investor.syncStatus },
    });
  }
  try {
    const cache = await investorPortfolio(bibId);
    return { portfolio: portfolioView(investor.id, cache.value), cache };
  } catch (err) {
    if (isBibError(err) && err.kind === 'not_found') {
      throw new AppError('CONFLICT', { detail: `Bib does not know the investor's Bib id ${bibId}; check its link`, cause: err });
    }
    if (isBibError(err)) throw new AppError('DEPENDENCY_UNAVAILABLE', { detail: 'Bib cannot give the portfolio now', cause: err });
    throw err;
  }
}
