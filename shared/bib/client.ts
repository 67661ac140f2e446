import type { z } from 'zod';
import { BibError, retryAfterMs } from './bib-error.js';
import { CircuitBreaker } from './circuit-breaker.js';
import {
  bibHeaders,
  bibInvestor,
  bibOrder,
  bibOrderPage,
  bibPaths,
  bibPortfolio,
  bibProblem,
  bibProductList,
  bibTokenResponse,
  type BibInvestor,
  type BibInvestorCreate,
  type BibOrder,
  type BibOrderCreate,
  type BibOrderPage,
  type BibPortfolio,
  type BibProductList,
} from './contract.js';
import { requestPayload, signatureHeader } from './hmac.js';

export interface BibCredentials {
  clientId: string;
  clientSecret: string;
  /** Signs our requests (X-Partner-Signature). */
  signingSecret: string;
}

export interface BibClientOptions {
  baseUrl: string;
  credentials: () => Promise<BibCredentials>;
  /** Per call (each attempt), including the token call. */
  timeoutMs: number;
  breaker?: CircuitBreaker;
  fetch?: typeof fetch;
}

/** A created record: `replayed` when Bib already had it under this idempotency key. */
export interface Created<T> {
  value: T;
  replayed: boolean;
}

interface CallOptions<S extends z.ZodType> {
  method: 'GET' | 'POST';
  path: string;
  schema: S;
  body?: unknown;
  idempotencyKey?: string;
}

/**
 * The typed client of Bib's API (contract.ts). Every call: a bearer token (client credentials, cached until a
 * minute before it expires, fetched once however many calls wait for it, renewed once on a 401), a request
 * signature, a timeout, the circuit breaker, and the answer checked against the contract. Failures are
 * BibError with a kind that says whether retrying can help. Creates carry an idempotency key, so a call
 * retried after a timeout (which Bib may have carried out) never creates a second record.
 */
export class BibClient {
  readonly breaker: CircuitBreaker;
  private readonly fetch: typeof fetch;
  private token: { value: string; until: number } | undefined;
  private tokenFetch: Promise<string> | undefined;
  /** Calls made (attempts reaching the network), for run reports and tests. */
  calls = 0;

  constructor(private readonly o: BibClientOptions) {
    this.breaker = o.breaker ?? new CircuitBreaker();
    this.fetch = o.fetch ?? globalThis.fetch;
  }

  async createInvestor(input: BibInvestorCreate): Promise<Created<BibInvestor>> {
    return this.create({ method: 'POST', path: bibPaths.investors, schema: bibInvestor, body: input, idempotencyKey: input.clientRef });
  }

  getInvestor(id: string): Promise<BibInvestor> {
    return this.call({ method: 'GET', path: bibPaths.investor(id), schema: bibInvestor }).then((r) => r.value);
  }

  async createOrder(input: BibOrderCreate): Promise<Created<BibOrder>> {
    return this.create({ method: 'POST', path: bibPaths.orders, schema: bibOrder, body: input, idempotencyKey: input.clientRef });
  }

  getOrder(id: string): Promise<BibOrder> {
    return this.call({ method: 'GET', path: bibPaths.order(id), schema: bibOrder }).then((r) => r.value);
  }

  /** Orders changed at or after `since`, oldest change first, a page at a time. */
  listOrdersChangedSince(q: { since: string; cursor?: string | null; limit?: number }): Promise<BibOrderPage> {
    const search = new URLSearchParams({ changedSince: q.since, limit: String(q.limit ?? 100) });
    if (q.cursor) search.set('cursor', q.cursor);
    return this.call({ method: 'GET', path: `${bibPaths.orders}?${search}`, schema: bibOrderPage }).then((r) => r.value);
  }

  listProducts(): Promise<BibProductList> {
    return this.call({ method: 'GET', path: bibPaths.products, schema: bibProductList }).then((r) => r.value);
  }

  getPortfolio(bibInvestorId: string): Promise<BibPortfolio> {
    return this.call({ method: 'GET', path: bibPaths.portfolio(bibInvestorId), schema: bibPortfolio }).then((r) => r.value);
  }

  private async create<S extends z.ZodType>(c: CallOptions<S>): Promise<Created<z.infer<S>>> {
    const r = await this.call(c);
    return { value: r.value, replayed: r.status === 200 };
  }

  private async call<S extends z.ZodType>(c: CallOptions<S>): Promise<{ value: z.infer<S>; status: number }> {
    if (!this.breaker.tryAcquire()) {
      throw new BibError('circuit_open', 'Bib circuit is open', { retryAfterMs: this.breaker.retryInMs() });
    }
    try {
      let res = await this.send(c, await this.accessToken());
      if (res.status === 401) {
        // The token may have been revoked or rotated early: one fresh token, one more try.
        this.token = undefined;
        res = await this.send(c, await this.accessToken());
      }
      const value = await this.read(res, c);
      this.breaker.success();
      return { value, status: res.status };
    } catch (err) {
      const e = err instanceof BibError ? err : new BibError('unavailable', 'Bib call failed', { cause: err });
      if (e.transient) this.breaker.failure();
      else this.breaker.neutral();
      throw e;
    }
  }

  private async send(c: CallOptions<z.ZodType>, token: string): Promise<Response> {
    const body = c.body === undefined ? '' : JSON.stringify(c.body);
    const creds = await this.o.credentials();
    const headers: Record<string, string> = {
      accept: 'application/json',
      authorization: `Bearer ${token}`,
      [bibHeaders.requestSignature]: signatureHeader(creds.signingSecret, requestPayload(c.method, c.path, body)),
    };
    if (body) headers['content-type'] = 'application/json';
    if (c.idempotencyKey) headers[bibHeaders.idempotencyKey] = c.idempotencyKey;
    return this.fetchWithTimeout(c.path, { method: c.method, headers, body: body || undefined });
  }

  private async read<S extends z.ZodType>(res: Response, c: CallOptions<S>): Promise<z.infer<S>> {
    const text = await res.text().catch((err: unknown) => {
      throw new BibError('unavailable', `Bib ${c.method} ${c.path}: body not read`, { status: res.status, cause: err });
    });
    const json = parseJson(text);
    if (res.ok) {
      const parsed = c.schema.safeParse(json);
      if (!parsed.success) throw new BibError('invalid_response', `Bib ${c.method} ${c.path}: answer does not match the contract`, { status: res.status });
      return parsed.data;
    }
    const problem = bibProblem.safeParse(json);
    const code = problem.success ? problem.data.code : undefined;
    const detail = problem.success && problem.data.detail ? `: ${problem.data.detail}` : '';
    const message = `Bib ${c.method} ${c.path.split('?')[0]} answered ${res.status}${code ? ` ${code}` : ''}${detail}`;
    const retryAfter = retryAfterMs(res.headers.get('retry-after'));
    if (res.status === 429) throw new BibError('rate_limited', message, { status: 429, code, retryAfterMs: retryAfter });
    if (res.status === 401 || res.status === 403) throw new BibError('unauthorized', message, { status: res.status, code });
    if (res.status === 404) throw new BibError('not_found', message, { status: 404, code });
    if (res.status >= 500 || res.status === 408) throw new BibError('unavailable', message, { status: res.status, code, retryAfterMs: retryAfter });
    throw new BibError('rejected', message, { status: res.status, code });
  }

  private async accessToken(): Promise<string> {
    if (this.token && Date.now() < this.token.until) return this.token.value;
    this.tokenFetch ??= this.fetchToken().finally(() => (this.tokenFetch = undefined));
    return this.tokenFetch;
  }

  private async fetchToken(): Promise<string> {
    const creds = await this.o.credentials();
    const body = new URLSearchParams({ grant_type: 'client_credentials', client_id: creds.clientId, client_secret: creds.clientSecret }).toString();
    const res = await this.fetchWithTimeout(bibPaths.token, {
      method: 'POST',
      headers: { accept: 'application/json', 'content-type': 'application/x-www-form-urlencoded' },
      body,
    });
    const parsed = bibTokenResponse.safeParse(parseJson(await res.text().catch(() => '')));
    if (res.status === 429) throw new BibError('rate_limited', 'Bib token endpoint rate limited', { status: 429, retryAfterMs: retryAfterMs(res.headers.get('retry-after')) });
    if (res.status >= 500) throw new BibError('unavailable', `Bib token endpoint answered ${res.status}`, { status: res.status });
    if (!res.ok) throw new BibError('unauthorized', `Bib refused our client credentials (${res.status})`, { status: res.status });
    if (!parsed.success) throw new BibError('invalid_response', 'Bib token answer does not match the contract', { status: res.status });
    // Renewed a minute early (or halfway through a short-lived token), so no call carries one about to expire.
    const lifeMs = parsed.data.expires_in * 1000;
    this.token = { value: parsed.data.access_token, until: Date.now() + Math.max(lifeMs / 2, lifeMs - 60_000) };
    return this.token.value;
  }

  private async fetchWithTimeout(path: string, init: RequestInit): Promise<Response> {
    this.calls++;
    try {
      return await this.fetch(new URL(path, this.o.baseUrl), { ...init, signal: AbortSignal.timeout(this.o.timeoutMs) });
    } catch (err) {
      if (err instanceof Error && (err.name === 'TimeoutError' || err.name === 'AbortError')) {
        throw new BibError('timeout', `Bib ${init.method} ${path.split('?')[0]} timed out after ${this.o.timeoutMs} ms`, { cause: err });
      }
      throw new BibError('unavailable', `Bib ${init.method} ${path.split('?')[0]} failed: ${(err as Error).message}`, { cause: err });
    }
  }
}

function parseJson(text: string): unknown {
  if (!text) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
