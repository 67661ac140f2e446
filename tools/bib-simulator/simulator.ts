import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomInt } from 'node:crypto';
import type { BibCredentials } from '../../shared/bib/client.js';
import { localBibCredentials } from '../../shared/bib/bib.js';
import type { BibInvestor, BibOrder, BibOrderStatus, BibProduct } from '../../shared/bib/contract.js';
import { adminAnswer } from './admin.js';
import { problem, writeAnswer } from './answer.js';
import { Auth } from './auth.js';
import { seedProducts } from './catalogue.js';
import { scale, toScaled } from './decimal.js';
import { defaultFaults, mergeFaults, seededRandom, type BibFaults } from './faults.js';
import { InvestmentManager } from './investment-manager.js';
import { handleRequest, type Counters, type ServerContext } from './server.js';
import { SimState } from './state.js';
import { WebhookDispatcher } from './webhooks.js';

export type { BibFaults } from './faults.js';

export interface BibSimulatorOptions {
  /** 0 or absent: any free port, on 127.0.0.1. */
  port?: number;
  /** Default localBibCredentials from shared/bib/bib.ts. */
  credentials?: BibCredentials;
  /** Where order events go; default null (none). */
  webhook?: { url: string; secret: string } | null;
  faults?: Partial<BibFaults>;
  /** Investment manager: after processingAfterMs an order goes RECEIVED→PROCESSING, after finalAfterMs more → COMPLETED or REJECTED (rejectShare). false = orders only move through progressOrder(). Default false. */
  lifecycle?: { processingAfterMs: number; finalAfterMs: number; rejectShare: number } | false;
  /** Default: the seed catalogue (catalogue.ts). */
  products?: BibProduct[];
  /** Default 3600. */
  tokenTtlSeconds?: number;
  /** PRNG seed for fault decisions (deterministic tests); default random. */
  seed?: number;
  /** Webhook retries: wait backoff × 2^(n-1) before the n-th retry; default 200 ms, 5 attempts in all. */
  webhookBackoffMs?: number;
  webhookMaxAttempts?: number;
}

export interface BibSimulatorStats {
  /** API requests received (token included; /_sim/ not). */
  requests: number;
  tokenRequests: number;
  /** POST /partner/v1/investors received. */
  investorCreateRequests: number;
  orderCreateRequests: number;
  /** Records created per clientRef: a correct client gets exactly 1 for every clientRef, whatever the faults. */
  investorsCreatedByClientRef: Map<string, number>;
  ordersCreatedByClientRef: Map<string, number>;
  faultsInjected: { errors: number; timeouts: number; rateLimited: number };
  /** Deliveries answered 2xx (a duplicate counts twice), deliveries given up after every attempt, attempts. */
  webhooksSent: number;
  webhooksFailed: number;
  webhookAttempts: number;
}

export interface BibSimulator {
  /** http://127.0.0.1:<port> */
  url: string;
  /** Current values (the live object: setFaults changes it in place; assigning one sets every switch). */
  faults: BibFaults;
  setFaults(f: Partial<BibFaults>): void;
  setWebhook(w: { url: string; secret: string } | null): void;
  setLifecycle(l: BibSimulatorOptions['lifecycle']): void;
  stats(): BibSimulatorStats;
  investors(): BibInvestor[];
  orders(): BibOrder[];
  order(id: string): BibOrder | undefined;
  orderByClientRef(clientRef: string): BibOrder | undefined;
  /** Moves an order to a status now (version+1, updatedAt now) and sends its webhook event (honouring the webhook faults). */
  progressOrder(orderId: string, status: BibOrderStatus, reason?: string): BibOrder;
  /** Seeds holdings for an investor (portfolio answers are computed from these plus COMPLETED orders). */
  setHoldings(investorId: string, holdings: Array<{ productCode: string; units: string }>): void;
  setProducts(products: BibProduct[]): void;
  /** Waits until every queued webhook delivery has been attempted (tests). */
  flushWebhooks(): Promise<void>;
  /** Clears investors, orders, holdings, stats; faults, products, webhook and lifecycle back to the start options. Ids keep counting. */
  reset(): void;
  stop(): Promise<void>;
}

const emptyCounters = (): Counters => ({
  requests: 0,
  tokenRequests: 0,
  investorCreateRequests: 0,
  orderCreateRequests: 0,
  faultsInjected: { errors: 0, timeouts: 0, rateLimited: 0 },
});

/** Starts Bib's stand-in on 127.0.0.1 (see README, "Bib integration"). */
export async function startBibSimulator(opts: BibSimulatorOptions = {}): Promise<BibSimulator> {
  const startFaults = mergeFaults({ ...defaultFaults }, opts.faults ?? {});
  const startProducts = (opts.products ?? seedProducts()).map((p) => ({ ...p }));
  const startWebhook = opts.webhook ? { ...opts.webhook } : null;
  const startLifecycle = opts.lifecycle ? { ...opts.lifecycle } : false;
  const seed = opts.seed ?? randomInt(2 ** 31);
  let rng = seededRandom(seed);
  const random = () => rng();

  const faults: BibFaults = { ...startFaults };
  const state = new SimState();
  state.setProducts(startProducts);
  let counters = emptyCounters();
  const investorsCreated = new Map<string, number>();
  const ordersCreated = new Map<string, number>();
  const held = new Set<ServerResponse>();
  const webhooks = new WebhookDispatcher({
    random,
    faults: () => faults,
    backoffMs: opts.webhookBackoffMs ?? 200,
    maxAttempts: opts.webhookMaxAttempts ?? 5,
    timeoutMs: 5_000,
    concurrency: 16,
  });
  webhooks.target = startWebhook;

  const progressOrder = (orderId: string, status: BibOrderStatus, reason?: string): BibOrder => {
    if (!state.orders.has(orderId)) throw new Error(`Bib simulator: no order ${orderId}`);
    const why = reason ?? (status === 'REJECTED' ? 'Rejected by the investment manager' : null);
    const order = state.setOrderStatus(orderId, status, why);
    webhooks.orderChanged(order);
    return order;
  };
  const manager = new InvestmentManager(state, random, progressOrder);
  manager.set(startLifecycle);

  const releaseHeld = () => {
    for (const res of held) res.destroy();
    held.clear();
  };

  const sim: BibSimulator = {
    url: '',
    get faults() {
      return faults;
    },
    set faults(f: BibFaults) {
      Object.assign(faults, mergeFaults(faults, f));
    },
    setFaults: (f) => Object.assign(faults, mergeFaults(faults, f)),
    setWebhook: (w) => (webhooks.target = w ? { ...w } : null),
    setLifecycle: (l) => manager.set(l ?? false),
    stats: () => ({
      ...counters,
      faultsInjected: { ...counters.faultsInjected },
      investorsCreatedByClientRef: new Map(investorsCreated),
      ordersCreatedByClientRef: new Map(ordersCreated),
      webhooksSent: webhooks.stats.sent,
      webhooksFailed: webhooks.stats.failed,
      webhookAttempts: webhooks.stats.attempts,
    }),
    investors: () => [...state.investors.values()].map((i) => i.investor),
    orders: () => [...state.orders.values()].map((o) => o.order),
    order: (id) => state.orders.get(id)?.order,
    orderByClientRef: (ref) => state.orderByClientRef(ref),
    progressOrder,
    setHoldings: (investorId, holdings) => {
      state.holdings.set(investorId, new Map(holdings.map((h) => [h.productCode, toScaled(h.units, scale.units)])));
    },
    setProducts: (products) => state.setProducts(products),
    flushWebhooks: () => webhooks.flush(),
    reset: () => {
      manager.clear();
      webhooks.cancel();
      webhooks.resetStats();
      releaseHeld();
      state.clear(startProducts);
      Object.assign(faults, startFaults);
      counters = emptyCounters();
      ctx.counters = counters;
      investorsCreated.clear();
      ordersCreated.clear();
      rng = seededRandom(seed);
      webhooks.target = startWebhook ? { ...startWebhook } : null;
      manager.set(startLifecycle);
    },
    stop: async () => {
      manager.clear();
      releaseHeld();
      await webhooks.close();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
  };

  const bump = (m: Map<string, number>, key: string) => m.set(key, (m.get(key) ?? 0) + 1);
  const ctx: ServerContext = {
    state,
    auth: new Auth(opts.credentials ?? localBibCredentials, opts.tokenTtlSeconds ?? 3600),
    faults,
    random,
    counters,
    held,
    investorCreated: (ref) => bump(investorsCreated, ref),
    orderCreated: (ref, orderId) => {
      bump(ordersCreated, ref);
      manager.orderReceived(orderId);
    },
    admin: (method, url, body) => adminAnswer(sim, method, url, body),
  };

  const server = createServer((req, res) => {
    handleRequest(ctx, req, res).catch((err: unknown) => {
      if (!res.headersSent) writeAnswer(res, problem(500, 'INTERNAL_ERROR', (err as Error).message));
      else res.destroy();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  sim.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return sim;
}
