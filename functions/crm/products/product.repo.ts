import type { Queryable } from '../../../shared/db/tx.js';

export const productTypes = ['MONEY_MARKET', 'FIXED_INCOME', 'BALANCED', 'EQUITY'] as const;
export type ProductType = (typeof productTypes)[number];

/** A mutual fund on the catalogue. Money, units, fees and NAV stay decimal strings as Postgres gives them. */
export interface ProductRecord {
  code: string;
  name: string;
  /** The investment manager: switching stays within one. */
  productHouse: string;
  type: ProductType;
  /** 1 (lowest) to 5. */
  riskLevel: number;
  currency: string;
  minSubscription: string;
  /** "0.0000" when the product sets no minimum. */
  minRedemptionUnits: string;
  subscriptionFeePct: string | null;
  redemptionFeePct: string | null;
  switchingFeePct: string | null;
  nav: string | null;
  /** YYYY-MM-DD. */
  navDate: string | null;
  active: boolean;
}

interface ProductRow {
  code: string;
  name: string;
  product_house: string;
  type: ProductType;
  risk_level: number;
  currency: string;
  min_subscription: string;
  min_redemption_units: string;
  subscription_fee_pct: string | null;
  redemption_fee_pct: string | null;
  switching_fee_pct: string | null;
  nav: string | null;
  nav_date: string | null;
  active: boolean;
}

// pg hands numeric columns over as strings: exact, never rounded through a float.
const productColumns = `p.code, p.name, p.product_house, p.type, p.risk_level, p.currency, p.min_subscription,
       p.min_redemption_units, p.subscription_fee_pct, p.redemption_fee_pct, p.switching_fee_pct, p.nav,
       to_char(p.nav_date, 'YYYY-MM-DD') as nav_date, p.active`;

function toProduct(r: ProductRow): ProductRecord {
  return {
    code: r.code,
    name: r.name,
    productHouse: r.product_house,
    type: r.type,
    riskLevel: Number(r.risk_level),
    currency: r.currency,
    minSubscription: r.min_subscription,
    minRedemptionUnits: r.min_redemption_units,
    subscriptionFeePct: r.subscription_fee_pct,
    redemptionFeePct: r.redemption_fee_pct,
    switchingFeePct: r.switching_fee_pct,
    nav: r.nav,
    navDate: r.nav_date,
    active: r.active,
  };
}

/** The products with these codes, active or not (reference data: no tenant). */
export async function findProducts(q: Queryable, codes: readonly string[]): Promise<ProductRecord[]> {
  if (codes.length === 0) return [];
  const { rows } = await q.query<ProductRow>(`select ${productColumns} from product p where p.code = any ($1::text[]) order by p.code`, [codes]);
  return rows.map(toProduct);
}

export async function findProduct(q: Queryable, code: string): Promise<ProductRecord | undefined> {
  return (await findProducts(q, [code]))[0];
}
