import { randomUUID } from 'node:crypto';
import type { HttpFunction, Request, Response } from '@google-cloud/functions-framework';
import { AppError, isAppError, toProblem } from '../errors.js';
import { logger, traceFields, urlForLog } from '../logging.js';
import { config } from '../config.js';
import type { AnyRoute, Principal, RouteResult } from './route.js';
import { Router } from './router.js';
import { parseRequest } from './validation.js';
import { applyCors, applySecurityHeaders } from './headers.js';
import { bearerToken, clientIp } from './request.js';
import { checkCsrf } from './csrf.js';

export type Authenticator = (token: string, ctx: { requestId: string; ip: string | null }) => Promise<Principal>;

export interface HttpFunctionOptions {
  /** Verifies an access token; provided by the auth layer. Private routes fail closed without it. */
  authenticate?: Authenticator;
}

const requestIdPattern = /^[A-Za-z0-9._-]{8,128}$/;

/**
 * Turns a route table into one Functions Framework HTTP function: routing, validation, auth, errors as
 * problem+json, request ids, security headers, CORS and an access log line. Handlers return data; they
 * never touch the response.
 */
export function createHttpFunction(routes: readonly AnyRoute[], options: HttpFunctionOptions = {}): HttpFunction {
  const router = new Router(routes);
  return async (req: Request, res: Response) => {
    const started = process.hrtime.bigint();
    const incoming = req.get('x-request-id');
    const requestId = incoming && requestIdPattern.test(incoming) ? incoming : randomUUID();
    const log = logger().child({ requestId, ...traceFields(req.get('x-cloud-trace-context')) });
    const path = req.path;
    const ip = clientIp(req);
    res.setHeader('X-Request-Id', requestId);
    applySecurityHeaders(res);
    const corsAllowed = applyCors(req, res, config().CORS_ORIGINS);
    let status = 500;
    try {
      if (req.method === 'OPTIONS') {
        const methods = router.methodsFor(path);
        if (!methods.length) throw new AppError('ROUTE_NOT_FOUND');
        if (corsAllowed) res.setHeader('Access-Control-Allow-Methods', [...methods, 'OPTIONS'].join(', '));
        status = 204;
        res.status(204).end();
        return;
      }
      const found = router.match(req.method, path);
      if (found.kind === 'none') throw new AppError('ROUTE_NOT_FOUND');
      if (found.kind === 'wrong-method') {
        throw new AppError('METHOD_NOT_ALLOWED', { headers: { Allow: found.allowed.join(', ') } });
      }
      const { route, params } = found.match;
      const principal = await authenticate(route, req, options, { requestId, ip });
      if (route.csrf) await checkCsrf(req);
      const parts = parseRequest(route, { params, query: req.query, body: route.body ? readJsonBody(req) : undefined });
      const result = await route.handler({
        ...parts,
        requestId,
        ip,
        userAgent: req.get('user-agent') ?? null,
        headers: req.headers,
        log,
        principal,
        rawBody: req.rawBody,
      });
      status = send(res, result, route.cacheControl);
    } catch (err) {
      status = sendError(res, err, requestId, log);
    } finally {
      const latency = Number(process.hrtime.bigint() - started) / 1e9;
      log.info(
        {
          httpRequest: {
            requestMethod: req.method,
            requestUrl: urlForLog(req.originalUrl),
            status,
            userAgent: req.get('user-agent'),
            remoteIp: ip ?? undefined,
            latency: `${latency.toFixed(6)}s`,
          },
        },
        // The message repeats the path: redacted like the URL (an investor link's token is in it).
        `${req.method} ${urlForLog(path)} ${status}`,
      );
    }
  };
}

async function authenticate(
  route: AnyRoute,
  req: Request,
  options: HttpFunctionOptions,
  ctx: { requestId: string; ip: string | null },
): Promise<Principal | undefined> {
  // Public and webhook routes never look at a token: no verification cost on the hot master-data paths.
  if (route.access !== 'private') return undefined;
  const token = bearerToken(req, config().TRUST_GATEWAY_HEADERS);
  if (!token) throw new AppError('UNAUTHENTICATED', { headers: { 'WWW-Authenticate': 'Bearer' } });
  if (!options.authenticate) throw new AppError('UNAUTHENTICATED', { detail: 'No token verifier is configured' });
  const principal = await options.authenticate(token, ctx);
  if (route.permission && !principal.permissions.has(route.permission)) {
    throw new AppError('FORBIDDEN', { detail: `Missing permission ${route.permission}` });
  }
  return principal;
}

/** The framework parsed the body already (shared/http/framework-errors.ts handles what it could not). */
function readJsonBody(req: Request): unknown {
  const limit = config().JSON_BODY_LIMIT_BYTES;
  if ((req.rawBody?.length ?? 0) > limit) throw new AppError('PAYLOAD_TOO_LARGE', { detail: `At most ${limit} bytes` });
  const hasBody = (req.rawBody?.length ?? 0) > 0;
  if (!hasBody) return undefined;
  if (!req.is('application/json')) {
    throw new AppError('UNSUPPORTED_MEDIA_TYPE', { detail: 'Send the body as application/json' });
  }
  return req.body;
}

function send(res: Response, result: RouteResult, cacheControl: string | undefined): number {
  const status = result.status ?? (result.body === undefined ? 204 : 200);
  for (const [k, v] of Object.entries(result.headers ?? {})) res.setHeader(k, v);
  if (cacheControl && status < 300) res.setHeader('Cache-Control', cacheControl);
  if (result.body === undefined || status === 204) {
    res.status(status).end();
    return status;
  }
  if (result.contentType) {
    res.status(status).type(result.contentType).send(result.body);
    return status;
  }
  res.status(status).type('application/json; charset=utf-8').send(JSON.stringify(result.body));
  return status;
}

export function sendError(res: Response, err: unknown, requestId: string, log = logger()): number {
  const appError = isAppError(err) ? err : new AppError('INTERNAL', { cause: err });
  if (appError.status >= 500) log.error({ err }, appError.detail ?? appError.title);
  else log.debug({ code: appError.code }, 'request refused');
  for (const [k, v] of Object.entries(appError.headers ?? {})) res.setHeader(k, v);
  res.setHeader('Cache-Control', 'no-store');
  res.status(appError.status).type('application/problem+json; charset=utf-8').send(JSON.stringify(toProblem(appError, requestId)));
  return appError.status;
}
