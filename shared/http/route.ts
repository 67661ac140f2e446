import type { IncomingHttpHeaders } from 'node:http';
import type { z } from 'zod';
import type { ErrorCode } from '../errors.js';
import type { Logger } from '../logging.js';

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/**
 * Who may call a route. `public`: anyone (the gateway lets it through); `private`: a valid access JWT and
 * the route's permission; `webhook`: a partner that signs its requests (checked by the handler).
 */
export type Access = 'public' | 'private' | 'webhook';

/** The authenticated caller, as the auth function's token verifier describes it. */
export interface Principal {
  userId: number;
  role: string;
  companyIds: number[];
  permissions: ReadonlySet<string>;
  sessionId?: string;
}

export interface RouteContext<P, Q, B> {
  params: P;
  query: Q;
  body: B;
  requestId: string;
  ip: string | null;
  userAgent: string | null;
  headers: IncomingHttpHeaders;
  log: Logger;
  /** The verified caller on private routes; undefined on public and webhook routes. */
  principal: Principal | undefined;
  /** The raw request body, for signature checks (webhooks). */
  rawBody: Buffer | undefined;
}

export interface RouteResult {
  status?: number;
  body?: unknown;
  /** An array sends the header once per value (Set-Cookie). */
  headers?: Record<string, string | string[]>;
  /** Defaults to JSON; set for HTML pages. */
  contentType?: string;
}

export interface ResponseSpec {
  status: number;
  description: string;
  schema?: z.ZodType;
  contentType?: string;
}

export interface RouteSpec<P extends z.ZodType, Q extends z.ZodType, B extends z.ZodType> {
  method: HttpMethod;
  /** Gateway path with `{name}` parameters, kept exactly as the API table spells it. */
  path: string;
  operationId: string;
  summary: string;
  tags: string[];
  access: Access;
  /** Required on private routes: the ACL permission the caller needs. */
  permission?: string;
  /** Browser callers (Origin or Cookie header) must send the CSRF token of GET /auth/csrf (shared/http/csrf.ts). */
  csrf?: boolean;
  params?: P;
  query?: Q;
  body?: B;
  response: ResponseSpec;
  /** Error codes the route can answer with beyond the common ones, for the docs. */
  errors?: ErrorCode[];
  /** Cache-Control for successful responses; defaults to no-store. */
  cacheControl?: string;
  handler: (ctx: RouteContext<z.infer<P>, z.infer<Q>, z.infer<B>>) => Promise<RouteResult>;
}

// The table holds routes of many shapes; handlers only ever see their own, already-validated types.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyRoute = RouteSpec<any, any, any>;

/** Identity function that keeps each route's parameter types inferred from its schemas. */
export function defineRoute<P extends z.ZodType = z.ZodType<Record<string, never>>, Q extends z.ZodType = z.ZodType<Record<string, never>>, B extends z.ZodType = z.ZodType<undefined>>(
  spec: RouteSpec<P, Q, B>,
): RouteSpec<P, Q, B> {
  return spec;
}
