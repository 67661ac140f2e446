import { isBibError } from '../../../shared/bib/bib-error.js';
import { productCatalogue } from '../../../shared/bib/catalogue.js';
import { bibProductTypes, type BibProduct } from '../../../shared/bib/contract.js';
import type { CachedResult } from '../../../shared/cache/cached.js';
import { AppError } from '../../../shared/errors.js';

export const productTypes = bibProductTypes;
export type ProductType = (typeof productTypes)[number];

/**
 * A mutual fund of Bib's catalogue: code, name, productHouse (a switch stays within one), type, riskLevel (1-5),
 * currency, minSubscription, minRedemptionUnits ("0.0000" when none), the fee percentages, nav and navDate.
 * Money, units, fees and NAV are decimal strings.
 */
export type Product = BibProduct;

/**
 * The catalogue as the cache has it (shared/bib/catalogue.ts). Bib down with no usable copy is 503
 * DEPENDENCY_UNAVAILABLE; so is an answer Bib should never give for its catalogue (a refusal).
 */
export async function readCatalogue(): Promise<CachedResult<Product[]>> {
  try {
    return await productCatalogue();
  } catch (err) {
    if (isBibError(err)) throw new AppError('DEPENDENCY_UNAVAILABLE', { detail: 'Bib’s product catalogue cannot be read now', cause: err });
    throw err;
  }
}

/** The catalogue's products with these codes, on sale or not, in catalogue order. */
export async function findCatalogueProducts(codes: readonly string[]): Promise<Product[]> {
  if (codes.length === 0) return [];
  const wanted = new Set(codes);
  return (await readCatalogue()).value.filter((p) => wanted.has(p.code));
}
