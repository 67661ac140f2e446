import { createServer, request as httpRequest, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { Router } from '../../shared/http/router.js';
import type { AnyRoute } from '../../shared/http/route.js';

/**
 * Local API Gateway: routes each request by the same route table that generates the gateway spec, to the
 * function that serves it, with APPEND_PATH_TO_ADDRESS semantics (the backend sees the original path and
 * query). Like the deployed gateway it answers unknown paths and methods itself, refuses private routes
 * without a bearer token, checks the token's signature, issuer, audience and expiry against our keys (as
 * ESPv2 does with x-google-jwks_uri), and hands the client's Authorization to the function as
 * X-Forwarded-Authorization. The functions verify tokens again, and check the session, in any case.
 */
export type ExtraHandler = (req: IncomingMessage, res: ServerResponse) => Promise<boolean>;

export interface GatewayOptions {
  /** Function name → its routes and the base URL its server listens on. */
  backends: ReadonlyArray<{ name: string; routes: readonly AnyRoute[]; url: string }>;
  /** Tried in order before routing (docs, dev pages). */
  extras?: ExtraHandler[];
  /** The gateway's JWT check on private routes; without it only the presence of a bearer token is checked. */
  verifyJwt?: (token: string) => Promise<boolean>;
}

const hopByHop = new Set(['connection', 'keep-alive', 'proxy-authenticate', 'proxy-authorization', 'te', 'trailer', 'transfer-encoding', 'upgrade', 'host']);

function gatewayError(res: ServerResponse, status: number, message: string): void {
  // ESPv2's own error shape, so clients see locally what they will see in the cloud.
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify({ code: status, message }));
}

export function createGateway(opts: GatewayOptions): Server {
  const backends = opts.backends.map((b) => ({ ...b, router: new Router(b.routes) }));
  const router = new Router(backends.flatMap((b) => b.routes));
  const ownerOf = (path: string) => backends.find((b) => b.router.methodsFor(path).length > 0);

  return createServer((req, res) => {
    void (async () => {
      for (const extra of opts.extras ?? []) if (await extra(req, res)) return;
      const url = new URL(req.url ?? '/', 'http://gateway');
      const method = req.method ?? 'GET';
      if (method === 'OPTIONS') {
        const owner = ownerOf(url.pathname);
        if (!owner) return gatewayError(res, 404, 'The current request is not defined by this API.');
        return proxy(req, res, owner.url, false);
      }
      const found = router.match(method, url.pathname);
      if (found.kind === 'none') return gatewayError(res, 404, 'The current request is not defined by this API.');
      if (found.kind === 'wrong-method') {
        return gatewayError(res, 405, `The current request is matched to the defined url template "${url.pathname}" but its http method is not allowed`);
      }
      const { route } = found.match;
      const authorization = req.headers.authorization;
      if (route.access === 'private') {
        const token = /^Bearer\s+(\S+)$/i.exec(authorization ?? '')?.[1];
        if (!token) return gatewayError(res, 401, 'Jwt is missing');
        if (opts.verifyJwt && !(await opts.verifyJwt(token))) return gatewayError(res, 401, 'Jwt verification fails');
      }
      return proxy(req, res, ownerOf(url.pathname)!.url, true);
    })().catch((err: Error) => {
      if (!res.headersSent) gatewayError(res, 502, `Upstream request failed: ${err.message}`);
      else res.destroy();
    });
  });
}

function proxy(req: IncomingMessage, res: ServerResponse, backendUrl: string, forwardAuth: boolean): Promise<void> {
  const target = new URL(req.url ?? '/', backendUrl);
  const headers: Record<string, string | string[]> = {};
  for (const [k, v] of Object.entries(req.headers)) if (v !== undefined && !hopByHop.has(k)) headers[k] = v;
  const clientIp = (req.socket.remoteAddress ?? '').replace(/^::ffff:/, '');
  headers['x-forwarded-for'] = req.headers['x-forwarded-for'] ? `${req.headers['x-forwarded-for']}, ${clientIp}` : clientIp;
  headers['x-forwarded-proto'] = 'http';
  headers['x-forwarded-host'] = req.headers.host ?? '';
  if (forwardAuth && req.headers.authorization) {
    headers['x-forwarded-authorization'] = req.headers.authorization;
    delete headers.authorization;
  }
  return new Promise((resolve, reject) => {
    const upstream = httpRequest(target, { method: req.method, headers }, (up) => {
      const out: Record<string, string | string[]> = {};
      for (const [k, v] of Object.entries(up.headers)) if (v !== undefined && !hopByHop.has(k)) out[k] = v;
      res.writeHead(up.statusCode ?? 502, out);
      up.pipe(res);
      up.on('end', resolve);
      up.on('error', reject);
    });
    upstream.on('error', reject);
    req.pipe(upstream);
  });
}
