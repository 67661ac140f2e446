import type { IncomingHttpHeaders } from 'node:http';
import { z } from 'zod';
import { bibHeaders, bibInvestorCreate, bibOrderCreate, bibPaths } from '../../shared/bib/contract.js';
import { json, problem, type Answer } from './answer.js';
import type { Auth } from './auth.js';
import { portfolioOf } from './portfolio.js';
import type { SimState } from './state.js';

export interface ApiRequest {
  method: string;
  /** Path with query, as received (and signed). */
  url: string;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

export interface ApiContext {
  state: SimState;
  auth: Auth;
  investorCreated(clientRef: string): void;
  orderCreated(clientRef: string, orderId: string): void;
}

const investorPath = /^\/partner\/v1\/investors\/([^/]+)$/;
const orderPath = /^\/partner\/v1\/orders\/([^/]+)$/;
const portfolioPath = /^\/internal\/v1\/investors\/([^/]+)\/portfolio$/;
const isoTime = z.iso.datetime({ offset: true });
const cursorShape = z.object({ t: z.number().int(), s: z.number().int() });

/** Bib's API: answers one request (already past the fault switches). */
export function apiAnswer(ctx: ApiContext, req: ApiRequest): Answer {
  const q = req.url.indexOf('?');
  const path = q < 0 ? req.url : req.url.slice(0, q);
  if (path === bibPaths.token) return req.method === 'POST' ? ctx.auth.issueToken(req.body) : notAllowed();
  const refused = ctx.auth.refuse(req.method, req.url, req.headers, req.body);
  if (refused) return refused;
  const route = match(ctx, req, path, q < 0 ? '' : req.url.slice(q + 1));
  return route ? route() : problem(404, 'NOT_FOUND', `no route ${req.method} ${path}`);
}

function match(ctx: ApiContext, req: ApiRequest, path: string, query: string): (() => Answer) | undefined {
  const { state } = ctx;
  const get = (f: () => Answer) => () => (req.method === 'GET' ? f() : notAllowed());
  const post = (f: () => Answer) => () => (req.method === 'POST' ? f() : notAllowed());
  let m: RegExpExecArray | null;
  if (path === bibPaths.investors) return post(() => createInvestor(ctx, req));
  if (path === bibPaths.orders) return () => (req.method === 'POST' ? createOrder(ctx, req) : req.method === 'GET' ? listOrders(state, query) : notAllowed());
  if (path === bibPaths.products) return get(() => json(200, { items: state.products, asOf: new Date().toISOString() }));
  if ((m = investorPath.exec(path))) {
    const id = decode(m[1]);
    return get(() => {
      const investor = id === undefined ? undefined : state.investors.get(id)?.investor;
      return investor ? json(200, investor) : problem(404, 'NOT_FOUND', `no investor ${id ?? ''}`);
    });
  }
  if ((m = orderPath.exec(path))) {
    const id = decode(m[1]);
    return get(() => {
      const order = id === undefined ? undefined : state.orders.get(id)?.order;
      return order ? json(200, order) : problem(404, 'NOT_FOUND', `no order ${id ?? ''}`);
    });
  }
  if ((m = portfolioPath.exec(path))) {
    const id = decode(m[1]);
    return get(() => (id !== undefined && state.investors.has(id) ? json(200, portfolioOf(state, id)) : problem(404, 'NOT_FOUND', `no investor ${id ?? ''}`)));
  }
  return undefined;
}

function createInvestor(ctx: ApiContext, req: ApiRequest): Answer {
  const input = parseBody(req, bibInvestorCreate);
  if ('answer' in input) return input.answer;
  const r = ctx.state.createInvestor(input.value);
  if (!r.ok) return r.answer;
  if (!r.replayed) ctx.investorCreated(input.value.clientRef);
  return json(r.replayed ? 200 : 201, r.value);
}

function createOrder(ctx: ApiContext, req: ApiRequest): Answer {
  const input = parseBody(req, bibOrderCreate);
  if ('answer' in input) return input.answer;
  const r = ctx.state.createOrder(input.value);
  if (!r.ok) return r.answer;
  if (!r.replayed) ctx.orderCreated(input.value.clientRef, r.value.id);
  return json(r.replayed ? 200 : 201, r.value);
}

/** A create's body, checked against the contract; its Idempotency-Key must be its clientRef. */
function parseBody<S extends z.ZodType<{ clientRef: string }>>(req: ApiRequest, schema: S): { value: z.infer<S> } | { answer: Answer } {
  let raw: unknown;
  try {
    raw = JSON.parse(req.body.toString('utf8'));
  } catch {
    return { answer: problem(400, 'VALIDATION_FAILED', 'the body is not JSON') };
  }
  const parsed = schema.safeParse(raw);
  if (!parsed.success) {
    const detail = parsed.error.issues.slice(0, 5).map((i) => `${i.path.join('.') || '(body)'}: ${i.message}`).join('; ');
    return { answer: problem(400, 'VALIDATION_FAILED', detail) };
  }
  const key = req.headers[bibHeaders.idempotencyKey.toLowerCase()];
  if (key !== parsed.data.clientRef) return { answer: problem(400, 'BAD_IDEMPOTENCY_KEY', `${bibHeaders.idempotencyKey} must be the clientRef`) };
  return { value: parsed.data };
}

function listOrders(state: SimState, query: string): Answer {
  const search = new URLSearchParams(query);
  const since = search.get('changedSince');
  if (!since || !isoTime.safeParse(since).success) return problem(400, 'VALIDATION_FAILED', 'changedSince must be an ISO date-time');
  const limitText = search.get('limit') ?? '100';
  const limit = /^\d{1,3}$/.test(limitText) ? Number(limitText) : 0;
  if (limit < 1 || limit > 500) return problem(400, 'VALIDATION_FAILED', 'limit must be 1..500');
  const cursorText = search.get('cursor');
  let after: { t: number; s: number } | null = null;
  if (cursorText) {
    const c = cursorShape.safeParse(safeJson(Buffer.from(cursorText, 'base64url').toString('utf8')));
    if (!c.success) return problem(400, 'VALIDATION_FAILED', 'cursor is not one this API gave');
    after = c.data;
  }
  const page = state.changedSince(Date.parse(since), after, limit);
  const nextCursor = page.next ? Buffer.from(JSON.stringify(page.next)).toString('base64url') : null;
  return json(200, { items: page.items, nextCursor });
}

function notAllowed(): Answer {
  return problem(405, 'METHOD_NOT_ALLOWED');
}

function decode(segment: string | undefined): string | undefined {
  try {
    return segment === undefined ? undefined : decodeURIComponent(segment);
  } catch {
    return undefined;
  }
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
