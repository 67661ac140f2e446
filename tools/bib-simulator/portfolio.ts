import type { BibOrder, BibPortfolio, BibProduct } from '../../shared/bib/contract.js';
import { fromScaled, marketValue, scale, switchUnits, toScaled, unitsForAmount } from './decimal.js';
import type { SimState } from './state.js';

/**
 * An investor's holdings: the seeded ones plus the effect of every COMPLETED order, in the order they
 * completed. Units are BigInts at scale 4; a redemption or switch never takes more than is held.
 */
export function portfolioOf(state: SimState, investorId: string): BibPortfolio {
  const units = new Map(state.holdings.get(investorId) ?? []);
  const nav = (code: string | null): bigint | undefined => {
    const p = code === null ? undefined : state.productsByCode.get(code);
    return p?.nav ? toScaled(p.nav, scale.nav) : undefined;
  };
  const completed = (state.ordersByInvestor.get(investorId) ?? [])
    .filter((o) => o.order.status === 'COMPLETED')
    .sort((a, b) => a.updatedAtMs - b.updatedAtMs || a.seq - b.seq);
  for (const { order } of completed) applyOrder(units, order, nav);

  const holdings: BibPortfolio['holdings'] = [];
  let total = 0n;
  for (const [code, u] of [...units].sort(([a], [b]) => a.localeCompare(b))) {
    const product: BibProduct | undefined = state.productsByCode.get(code);
    // A holding without a priced product cannot be valued; Bib would not show it either.
    if (u <= 0n || !product?.nav || !product.navDate) continue;
    const value = marketValue(u, toScaled(product.nav, scale.nav));
    total += value;
    holdings.push({
      productCode: code,
      productName: product.name,
      units: fromScaled(u, scale.units),
      nav: product.nav,
      navDate: product.navDate,
      marketValue: fromScaled(value, scale.money),
      currency: product.currency,
    });
  }
  return { investorId, asOf: new Date().toISOString(), holdings, totalMarketValue: fromScaled(total, scale.money), currency: 'IDR' };
}

function applyOrder(units: Map<string, bigint>, o: BibOrder, nav: (code: string | null) => bigint | undefined): void {
  const held = units.get(o.productCode) ?? 0n;
  const sourceNav = nav(o.productCode);
  // Units the order names, or its amount converted at the source NAV (rounded down).
  const asked = o.units !== null ? toScaled(o.units, scale.units) : o.amount !== null && sourceNav ? unitsForAmount(toScaled(o.amount, scale.money), sourceNav) : 0n;
  if (o.type === 'SUBSCRIPTION') {
    units.set(o.productCode, held + asked);
    return;
  }
  const moved = asked < held ? asked : held;
  units.set(o.productCode, held - moved);
  if (o.type === 'SWITCHING' && o.targetProductCode !== null) {
    const targetNav = nav(o.targetProductCode);
    if (!sourceNav || !targetNav) return;
    units.set(o.targetProductCode, (units.get(o.targetProductCode) ?? 0n) + switchUnits(moved, sourceNav, targetNav));
  }
}
