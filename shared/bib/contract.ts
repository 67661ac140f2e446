import { z } from 'zod';

/**
 * Bib's API as RMTools uses it: the one definition of the contract. Bib's real API is not public, so this is
 * what we ask of it; the client (client.ts) sends and checks these shapes, the simulator (tools/bib-simulator)
 * serves them, and crm's webhook route reads the event. Money, units and NAV are decimal strings, never floats.
 *
 * Partner API (every call carries `Authorization: Bearer <token>` and a request signature, hmac.ts):
 *   POST /oauth/token                       client credentials (form body) → token
 *   POST /partner/v1/investors              Idempotency-Key: our investor id → investor (201 new, 200 replay)
 *   GET  /partner/v1/investors/{id}         → investor
 *   POST /partner/v1/orders                 Idempotency-Key: our instruction id → order (201 new, 200 replay)
 *   GET  /partner/v1/orders/{id}            → order
 *   GET  /partner/v1/orders?changedSince=&cursor=&limit=   orders changed at or after a time, oldest first
 * Internal API (same token):
 *   GET  /internal/v1/products              → catalogue
 *   GET  /internal/v1/investors/{id}/portfolio  → holdings
 * Webhook to us: POST {our base}/crm/webhooks/bib, header `Bib-Signature: t=<unix seconds>,v1=<hex>`.
 * Errors: `application/problem+json` with `code`; 429 and 503 may carry `Retry-After` (seconds).
 */
export const bibPaths = {
  token: '/oauth/token',
  investors: '/partner/v1/investors',
  investor: (id: string) => `/partner/v1/investors/${encodeURIComponent(id)}`,
  orders: '/partner/v1/orders',
  order: (id: string) => `/partner/v1/orders/${encodeURIComponent(id)}`,
  products: '/internal/v1/products',
  portfolio: (investorId: string) => `/internal/v1/investors/${encodeURIComponent(investorId)}/portfolio`,
} as const;

/** Header names of the contract. */
export const bibHeaders = {
  idempotencyKey: 'Idempotency-Key',
  /** On our calls to Bib: `t=<unix seconds>,v1=<hex HMAC>` over the request (hmac.ts). */
  requestSignature: 'X-Partner-Signature',
  /** On Bib's webhook calls to us. */
  webhookSignature: 'Bib-Signature',
} as const;

const money = z.string().regex(/^\d{1,18}(\.\d{1,2})?$/, 'a decimal amount, at most 2 decimals');
const units = z.string().regex(/^\d{1,16}(\.\d{1,4})?$/, 'a decimal number of units, at most 4 decimals');
const decimal = z.string().regex(/^\d{1,16}(\.\d{1,8})?$/, 'a decimal number');
const pct = z.string().regex(/^\d{1,3}(\.\d{1,2})?$/, 'a percentage');
const day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'YYYY-MM-DD');
const bibId = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._:-]{0,63}$/);

export const bibTokenResponse = z.object({
  access_token: z.string().min(16),
  token_type: z.literal('Bearer'),
  expires_in: z.number().int().positive(),
});
export type BibTokenResponse = z.infer<typeof bibTokenResponse>;

export const bibBankAccount = z.strictObject({
  bankCode: z.string().min(3).max(10),
  accountNumber: z.string().regex(/^\d{5,20}$/),
  accountHolder: z.string().min(1).max(200),
});

/** What we send to open an investor at Bib. `clientRef` is our investor id (also the idempotency key). */
export const bibInvestorCreate = z.strictObject({
  clientRef: z.uuid(),
  /** Our tenant, so Bib can attribute the investor to the selling company. */
  companyId: z.number().int().positive(),
  /** The RM who onboarded the investor (our user id). */
  agentRef: z.string().min(1).max(64),
  type: z.enum(['INDIVIDUAL', 'INSTITUTIONAL']),
  fullName: z.string().min(1).max(200),
  email: z.email().nullable(),
  phone: z.string().nullable(),
  /** NIK (individual) or NPWP (institutional), in full: Bib is the registrar's counterpart (S-INVEST). */
  identityNumber: z.string().regex(/^\d{15,16}$/),
  birthDate: day.nullable(),
  riskProfile: z.enum(['CONSERVATIVE', 'MODERATE', 'AGGRESSIVE']).nullable(),
  bankAccounts: z.array(bibBankAccount).max(10),
});
export type BibInvestorCreate = z.infer<typeof bibInvestorCreate>;

export const bibInvestor = z.object({
  id: bibId,
  clientRef: z.uuid(),
  status: z.enum(['ACTIVE', 'BLOCKED']),
  createdAt: z.iso.datetime({ offset: true }),
});
export type BibInvestor = z.infer<typeof bibInvestor>;

export const bibOrderTypes = ['SUBSCRIPTION', 'REDEMPTION', 'SWITCHING'] as const;
export const bibOrderStatuses = ['RECEIVED', 'PROCESSING', 'COMPLETED', 'REJECTED'] as const;
export type BibOrderStatus = (typeof bibOrderStatuses)[number];

/** What we send for a signed instruction. `clientRef` is our instruction id (also the idempotency key). */
export const bibOrderCreate = z.strictObject({
  clientRef: z.uuid(),
  investorId: bibId,
  type: z.enum(bibOrderTypes),
  productCode: z.string().min(1).max(32),
  targetProductCode: z.string().min(1).max(32).nullable(),
  /** Exactly one of amount and units (a subscription is always an amount). */
  amount: money.nullable(),
  units: units.nullable(),
  /** For a redemption: where the money goes. */
  bankAccount: bibBankAccount.nullable(),
  signedAt: z.iso.datetime({ offset: true }),
});
export type BibOrderCreate = z.infer<typeof bibOrderCreate>;

export const bibOrder = z.object({
  id: bibId,
  clientRef: z.uuid(),
  investorId: bibId,
  type: z.enum(bibOrderTypes),
  productCode: z.string(),
  targetProductCode: z.string().nullable(),
  amount: money.nullable(),
  units: units.nullable(),
  status: z.enum(bibOrderStatuses),
  /** Why Bib rejected the order. */
  reason: z.string().max(500).nullable(),
  /** Grows by one with every change of the order: the order of events, whatever order they arrive in. */
  version: z.number().int().nonnegative(),
  createdAt: z.iso.datetime({ offset: true }),
  updatedAt: z.iso.datetime({ offset: true }),
});
export type BibOrder = z.infer<typeof bibOrder>;

export const bibOrderPage = z.object({ items: z.array(bibOrder), nextCursor: z.string().nullable() });
export type BibOrderPage = z.infer<typeof bibOrderPage>;

export const bibProductTypes = ['MONEY_MARKET', 'FIXED_INCOME', 'BALANCED', 'EQUITY'] as const;

export const bibProduct = z.object({
  code: z.string().min(1).max(32),
  name: z.string().min(1).max(200),
  /** The investment manager: a switch stays within one. */
  productHouse: z.string().min(1).max(200),
  type: z.enum(bibProductTypes),
  riskLevel: z.number().int().min(1).max(5),
  currency: z.string().length(3),
  minSubscription: money,
  minRedemptionUnits: units,
  subscriptionFeePct: pct.nullable(),
  redemptionFeePct: pct.nullable(),
  switchingFeePct: pct.nullable(),
  nav: decimal.nullable(),
  navDate: day.nullable(),
  active: z.boolean(),
});
export type BibProduct = z.infer<typeof bibProduct>;

export const bibProductList = z.object({ items: z.array(bibProduct), asOf: z.iso.datetime({ offset: true }) });
export type BibProductList = z.infer<typeof bibProductList>;

export const bibHolding = z.object({
  productCode: z.string(),
  productName: z.string(),
  units: units,
  nav: decimal,
  navDate: day,
  marketValue: money,
  currency: z.string().length(3),
});
export const bibPortfolio = z.object({
  investorId: bibId,
  asOf: z.iso.datetime({ offset: true }),
  holdings: z.array(bibHolding),
  totalMarketValue: money,
  currency: z.string().length(3),
});
export type BibPortfolio = z.infer<typeof bibPortfolio>;

/** Bib → us: an order's status changed. Events of one order may arrive twice or out of order. */
export const bibWebhookEvent = z.object({
  id: z.string().min(1).max(200),
  type: z.literal('order.status_changed'),
  createdAt: z.iso.datetime({ offset: true }),
  data: z.object({ order: bibOrder }),
});
export type BibWebhookEvent = z.infer<typeof bibWebhookEvent>;

export const bibProblem = z.object({ code: z.string(), detail: z.string().optional() }).loose();
