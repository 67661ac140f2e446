import { refreshProductCatalogue } from '../../shared/bib/catalogue.js';
import type { Logger } from '../../shared/logging.js';

/** The scheduled run refreshes the product cache first; its failure is reported, not the run's. */
export async function refreshProducts(log: Logger): Promise<{ refreshed: number | null; failed: boolean }> {
  try {
    return { refreshed: await refreshProductCatalogue(), failed: false };
  } catch (err) {
    log.warn({ err }, 'bib sync: refreshing the product cache failed');
    return { refreshed: null, failed: true };
  }
}
