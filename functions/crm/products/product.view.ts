import { z } from 'zod';
import type { BibPortfolio } from '../../../shared/bib/contract.js';
import { productTypes, type Product } from './product-catalogue.js';

/** Our API's shapes of Bib's data: named field by field, so a field Bib adds does not reach our clients unseen. */
const decimal = z.string().regex(/^\d+(\.\d+)?$/);

export const productSchema = z.object({
  code: z.string(),
  name: z.string(),
  /** The investment manager: a switch stays within one. */
  productHouse: z.string(),
  type: z.enum(productTypes),
  /** 1 (lowest) to 5. */
  riskLevel: z.number().int().min(1).max(5),
  currency: z.string(),
  /** Decimal strings, as Bib sends them. */
  minSubscription: decimal,
  /** "0.0000" when the product sets no minimum. */
  minRedemptionUnits: decimal,
  subscriptionFeePct: decimal.nullable(),
  redemptionFeePct: decimal.nullable(),
  switchingFeePct: decimal.nullable(),
  nav: decimal.nullable(),
  /** YYYY-MM-DD. */
  navDate: z.string().nullable(),
  /** On sale: instructions are accepted for it. */
  active: z.boolean(),
});
export type ProductView = z.infer<typeof productSchema>;

export function productView(p: Product): ProductView {
  return {
    code: p.code,
    name: p.name,
    productHouse: p.productHouse,
    type: p.type,
    riskLevel: p.riskLevel,
    currency: p.currency,
    minSubscription: p.minSubscription,
    minRedemptionUnits: p.minRedemptionUnits,
    subscriptionFeePct: p.subscriptionFeePct,
    redemptionFeePct: p.redemptionFeePct,
    switchingFeePct: p.switchingFeePct,
    nav: p.nav,
    navDate: p.navDate,
    active: p.active,
  };
}

export const portfolioSchema = z.object({
  investorId: z.uuid(),
  /** The investor's id at Bib (its externalId). */
  bibInvestorId: z.string(),
  /** When Bib computed the holdings. */
  asOf: z.string(),
  currency: z.string(),
  totalMarketValue: decimal,
  holdings: z.array(
    z.object({
      productCode: z.string(),
      productName: z.string(),
      units: decimal,
      nav: decimal,
      navDate: z.string(),
      marketValue: decimal,
      currency: z.string(),
    }),
  ),
});
export type PortfolioView = z.infer<typeof portfolioSchema>;

export function portfolioView(investorId: string, p: BibPortfolio): PortfolioView {
  return {
    investorId,
    bibInvestorId: p.investorId,
    asOf: p.asOf,
    currency: p.currency,
    totalMarketValue: p.totalMarketValue,
    holdings: p.holdings.map((h) => ({
      productCode: h.productCode,
      productName: h.productName,
      units: h.units,
      nav: h.nav,
      navDate: h.navDate,
      marketValue: h.marketValue,
      currency: h.currency,
    })),
  };
}
