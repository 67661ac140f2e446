import type { BibInvestor, BibInvestorCreate, BibOrder, BibOrderCreate, BibOrderStatus, BibProduct } from '../../shared/bib/contract.js';
import { problem, type Answer } from './answer.js';
import { seedProducts } from './catalogue.js';
import { scale, toScaled } from './decimal.js';

interface StoredInvestor {
  investor: BibInvestor;
  /** The first request's body (canonical JSON), to tell a replay from another body under the same key. */
  request: string;
}

export interface StoredOrder {
  order: BibOrder;
  /** Creation sequence: the `id` part of the (updatedAt, id) order, numeric so it sorts past 999999. */
  seq: number;
  updatedAtMs: number;
  request: string;
}

export type CreateResult<T> = { ok: true; replayed: boolean; value: T } | { ok: false; answer: Answer };

export interface ChangedPage {
  items: BibOrder[];
  next: { t: number; s: number } | null;
}

export const finalStatuses: ReadonlySet<BibOrderStatus> = new Set(['COMPLETED', 'REJECTED']);

/**
 * Bib's records, in memory. Ids count up over the simulator's whole life (reset keeps counting), so records
 * created after a reset never reuse an id an earlier test stored in the shared database.
 */
export class SimState {
  readonly investors = new Map<string, StoredInvestor>();
  private readonly investorsByRef = new Map<string, StoredInvestor>();
  readonly orders = new Map<string, StoredOrder>();
  private readonly ordersByRef = new Map<string, StoredOrder>();
  readonly ordersByInvestor = new Map<string, StoredOrder[]>();
  /** Seeded holdings: investor id → product code → units (scale 4). */
  readonly holdings = new Map<string, Map<string, bigint>>();
  products: BibProduct[] = seedProducts();
  productsByCode = new Map(this.products.map((p) => [p.code, p]));
  private investorSeq = 0;
  private orderSeq = 0;
  /** Orders by (updatedAt, seq), rebuilt on demand after a change. */
  private sorted: StoredOrder[] | undefined;

  clear(products: BibProduct[]): void {
    this.investors.clear();
    this.investorsByRef.clear();
    this.orders.clear();
    this.ordersByRef.clear();
    this.ordersByInvestor.clear();
    this.holdings.clear();
    this.sorted = undefined;
    this.setProducts(products);
  }

  setProducts(products: BibProduct[]): void {
    this.products = products.map((p) => ({ ...p }));
    this.productsByCode = new Map(this.products.map((p) => [p.code, p]));
  }

  createInvestor(input: BibInvestorCreate): CreateResult<BibInvestor> {
    const request = JSON.stringify(input);
    const existing = this.investorsByRef.get(input.clientRef);
    if (existing) return replay(existing.request, request, existing.investor);
    const investor: BibInvestor = {
      id: `BIB-INV-${String(++this.investorSeq).padStart(6, '0')}`,
      clientRef: input.clientRef,
      status: 'ACTIVE',
      createdAt: new Date().toISOString(),
    };
    const stored = { investor, request };
    this.investors.set(investor.id, stored);
    this.investorsByRef.set(input.clientRef, stored);
    return { ok: true, replayed: false, value: investor };
  }

  investorByClientRef(clientRef: string): BibInvestor | undefined {
    return this.investorsByRef.get(clientRef)?.investor;
  }

  createOrder(input: BibOrderCreate): CreateResult<BibOrder> {
    const request = JSON.stringify(input);
    const existing = this.ordersByRef.get(input.clientRef);
    if (existing) return replay(existing.request, request, existing.order);
    const refused = this.refuseOrder(input);
    if (refused) return { ok: false, answer: refused };
    const now = new Date();
    const seq = ++this.orderSeq;
    const order: BibOrder = {
      id: `BIB-ORD-${String(seq).padStart(6, '0')}`,
      clientRef: input.clientRef,
      investorId: input.investorId,
      type: input.type,
      productCode: input.productCode,
      targetProductCode: input.targetProductCode,
      amount: input.amount,
      units: input.units,
      status: 'RECEIVED',
      reason: null,
      version: 1,
      createdAt: now.toISOString(),
      updatedAt: now.toISOString(),
    };
    const stored: StoredOrder = { order, seq, updatedAtMs: now.getTime(), request };
    this.orders.set(order.id, stored);
    this.ordersByRef.set(input.clientRef, stored);
    const list = this.ordersByInvestor.get(order.investorId);
    if (list) list.push(stored);
    else this.ordersByInvestor.set(order.investorId, [stored]);
    this.sorted = undefined;
    return { ok: true, replayed: false, value: order };
  }

  orderByClientRef(clientRef: string): BibOrder | undefined {
    return this.ordersByRef.get(clientRef)?.order;
  }

  /** A new snapshot of the order (earlier snapshots, e.g. in webhook events, stay as they were). */
  setOrderStatus(id: string, status: BibOrderStatus, reason: string | null): BibOrder {
    const stored = this.orders.get(id);
    if (!stored) throw new Error(`unknown order ${id}`);
    // updatedAt never goes backwards, even if the clock does.
    const ms = Math.max(Date.now(), stored.updatedAtMs);
    stored.order = { ...stored.order, status, reason, version: stored.order.version + 1, updatedAt: new Date(ms).toISOString() };
    stored.updatedAtMs = ms;
    this.sorted = undefined;
    return stored.order;
  }

  /** Orders with updatedAt ≥ sinceMs after the cursor, oldest change first (keyset on (updatedAt, seq)). */
  changedSince(sinceMs: number, after: { t: number; s: number } | null, limit: number): ChangedPage {
    this.sorted ??= [...this.orders.values()].sort((a, b) => a.updatedAtMs - b.updatedAtMs || a.seq - b.seq);
    const all = this.sorted;
    const start = after ? lowerBound(all, (o) => o.updatedAtMs > after.t || (o.updatedAtMs === after.t && o.seq > after.s)) : 0;
    const from = Math.max(start, lowerBound(all, (o) => o.updatedAtMs >= sinceMs));
    const slice = all.slice(from, from + limit);
    const last = slice[slice.length - 1];
    const more = from + limit < all.length;
    return { items: slice.map((o) => o.order), next: more && last ? { t: last.updatedAtMs, s: last.seq } : null };
  }

  private refuseOrder(input: BibOrderCreate): Answer | undefined {
    if ((input.amount === null) === (input.units === null)) return problem(400, 'VALIDATION_FAILED', 'exactly one of amount and units');
    if (input.type === 'SUBSCRIPTION' && input.amount === null) return problem(400, 'VALIDATION_FAILED', 'a subscription is an amount');
    if ((input.type === 'SWITCHING') !== (input.targetProductCode !== null)) {
      return problem(400, 'VALIDATION_FAILED', 'targetProductCode is required for a switch, and only for a switch');
    }
    if (!this.investors.has(input.investorId)) return problem(422, 'UNKNOWN_INVESTOR', `no investor ${input.investorId}`);
    for (const code of [input.productCode, input.targetProductCode]) {
      if (code !== null && !this.productsByCode.get(code)?.active) return problem(422, 'UNKNOWN_PRODUCT', `no active product ${code}`);
    }
    const product = this.productsByCode.get(input.productCode);
    if (input.type === 'SUBSCRIPTION' && product && input.amount !== null) {
      if (toScaled(input.amount, scale.money) < toScaled(product.minSubscription, scale.money)) {
        return problem(422, 'BELOW_MINIMUM', `the minimum subscription of ${product.code} is ${product.minSubscription}`);
      }
    }
    return undefined;
  }
}

function replay<T>(first: string, again: string, value: T): CreateResult<T> {
  if (first !== again) return { ok: false, answer: problem(422, 'IDEMPOTENCY_MISMATCH', 'another request was made under this Idempotency-Key') };
  return { ok: true, replayed: true, value };
}

/** First index whose element satisfies `pred` (which must be false…false true…true over the array). */
function lowerBound<T>(arr: readonly T[], pred: (x: T) => boolean): number {
  let lo = 0;
  let hi = arr.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (pred(arr[mid] as T)) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}
