import type { CachedResult } from '../../../shared/cache/cached.js';
import { readCatalogue, type ProductType } from './product-catalogue.js';
import { productView, type ProductView } from './product.view.js';

export interface ListProductsOptions {
  type?: ProductType;
  active?: boolean;
}

/** Bib's catalogue through the cache, optionally one type or only (in)active funds, in Bib's order. */
export async function listProducts(o: ListProductsOptions): Promise<{ items: ProductView[]; cache: CachedResult<unknown> }> {
  const cache = await readCatalogue();
  const items = cache.value.filter((p) => (o.type === undefined || p.type === o.type) && (o.active === undefined || p.active === o.active));
  return { items: items.map(productView), cache };
}
