import { z } from 'zod';
import { defineRoute } from '../../../shared/http/route.js';
import { publicJwks } from '../../../shared/auth/signing-keys.js';
import { issueCsrfToken } from '../../../shared/http/csrf.js';

const jwk = z.object({ kty: z.literal('EC'), crv: z.literal('P-256'), kid: z.string(), alg: z.literal('ES256'), use: z.literal('sig'), x: z.string(), y: z.string() });

export const jwksRoute = defineRoute({
  method: 'GET',
  path: '/auth/.well-known/jwks.json',
  operationId: 'jwks',
  summary: 'Public keys of the access tokens (API Gateway x-google-jwks_uri and other verifiers)',
  tags: ['Auth'],
  access: 'public',
  // Short enough that a rotation reaches verifiers before the previous key is dropped.
  cacheControl: 'public, max-age=300',
  response: { status: 200, description: 'The live signing keys (current and previous)', schema: z.object({ keys: z.array(jwk) }) },
  handler: async () => ({ body: await publicJwks() }),
});

export const csrfRoute = defineRoute({
  method: 'GET',
  path: '/auth/csrf',
  operationId: 'csrfToken',
  summary: 'A CSRF token for browser callers of public POSTs: send it back in X-CSRF-Token',
  tags: ['Auth'],
  access: 'public',
  response: { status: 200, description: 'The token (also set as an httpOnly cookie)', schema: z.object({ csrfToken: z.string(), expiresAt: z.string() }) },
  handler: async () => {
    const t = await issueCsrfToken();
    return { body: { csrfToken: t.token, expiresAt: t.expiresAt }, headers: { 'Set-Cookie': t.cookie } };
  },
});
