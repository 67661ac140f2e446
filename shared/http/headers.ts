import type { Request, Response } from '@google-cloud/functions-framework';

/** Headers every response carries. Pages that render HTML replace the CSP with their own. */
export function applySecurityHeaders(res: Response): void {
  res.setHeader('X-Content-Type-Options', 'nosniff');
  res.setHeader('X-Frame-Options', 'DENY');
  res.setHeader('Referrer-Policy', 'no-referrer');
  res.setHeader('Strict-Transport-Security', 'max-age=31536000; includeSubDomains');
  res.setHeader('Content-Security-Policy', "default-src 'none'; frame-ancestors 'none'");
  res.setHeader('Cross-Origin-Opener-Policy', 'same-origin');
  res.setHeader('Cache-Control', 'no-store');
}

const allowHeaders = 'Authorization, Content-Type, Idempotency-Key, X-Request-Id, X-CSRF-Token';
const exposeHeaders = 'X-Request-Id, Retry-After, Location';

/** CORS for the configured origins only. Returns whether the request's origin is allowed. */
export function applyCors(req: Request, res: Response, origins: readonly string[]): boolean {
  const origin = req.get('origin');
  res.setHeader('Vary', 'Origin');
  if (!origin || !(origins.includes(origin) || origins.includes('*'))) return false;
  res.setHeader('Access-Control-Allow-Origin', origin);
  res.setHeader('Access-Control-Expose-Headers', exposeHeaders);
  if (req.method === 'OPTIONS') {
    res.setHeader('Access-Control-Allow-Headers', allowHeaders);
    res.setHeader('Access-Control-Max-Age', '600');
  }
  return true;
}
