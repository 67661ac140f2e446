import { z } from 'zod';
import { cached, refresh, type CachedResult } from '../cache/cached.js';
import { config } from '../config.js';
import { bibClient } from './bib.js';
import { bibPortfolio, bibProduct, type BibPortfolio, type BibProduct } from './contract.js';

/**
 * Bib's product catalogue and investors' portfolios, read through the Firestore cache: fresh for their TTL,
 * then served stale while one refresh runs, and when Bib is down served stale for up to
 * BIB_CACHE_MAX_STALE_SECONDS (state 'stale-error'); with no usable copy, 503 DEPENDENCY_UNAVAILABLE.
 */
export const productsCacheKey = 'products';
export const portfolioCacheKey = (bibInvestorId: string) => `portfolio:${bibInvestorId}`;

const productList = z.array(bibProduct);
const loadProducts = async (): Promise<BibProduct[]> => (await bibClient().listProducts()).items;

export function productCatalogue(): Promise<CachedResult<BibProduct[]>> {
  const c = config();
  return cached({
    key: productsCacheKey,
    ttlSeconds: c.BIB_PRODUCTS_TTL_SECONDS,
    staleSeconds: c.BIB_CACHE_STALE_SECONDS,
    maxStaleSeconds: c.BIB_CACHE_MAX_STALE_SECONDS,
    load: loadProducts,
    schema: productList,
  });
}

/** For bib-sync's scheduled run: loads the catalogue from Bib and stores it; the number of products. */
export async function refreshProductCatalogue(): Promise<number> {
  return (await refresh(productsCacheKey, loadProducts)).value.length;
}

/** An investor's holdings at Bib, by Bib's investor id (BibError not_found when Bib does not know it). */
export function investorPortfolio(bibInvestorId: string): Promise<CachedResult<BibPortfolio>> {
  const c = config();
  return cached({
    key: portfolioCacheKey(bibInvestorId),
    ttlSeconds: c.BIB_PORTFOLIO_TTL_SECONDS,
    staleSeconds: c.BIB_CACHE_STALE_SECONDS,
    maxStaleSeconds: c.BIB_CACHE_MAX_STALE_SECONDS,
    load: () => bibClient().getPortfolio(bibInvestorId),
    schema: bibPortfolio,
  });
}
