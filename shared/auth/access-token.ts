import { randomUUID } from 'node:crypto';
import { jwtVerify, SignJWT, type JWTHeaderParameters } from 'jose';
import { z } from 'zod';
import { config } from '../config.js';
import { AppError } from '../errors.js';
import { logger } from '../logging.js';
import { signingKeys } from './signing-keys.js';

/**
 * Access tokens (DESIGN §5): ES256 JWTs, `kid` in the header, short-lived (ACCESS_TOKEN_TTL_SECONDS).
 * Verification trusts nothing the token says about keys or algorithms: ES256 only, and the key comes from our
 * own key set by `kid` (a `jwk`, `jku` or `x5u` header is never used or fetched).
 */
const ALG = 'ES256';
const CLOCK_TOLERANCE_SECONDS = 5;
// Ours are ~500 characters; anything far longer is not worth parsing.
const MAX_TOKEN_LENGTH = 4096;

export interface AccessTokenInput {
  userId: number;
  sessionId: string;
  role: string;
}

export interface AccessTokenClaims {
  userId: number;
  sessionId: string;
  role: string;
  issuedAt: Date;
  expiresAt: Date;
}

const userId = z.number().int().positive().max(Number.MAX_SAFE_INTEGER);
const role = z.string().min(1).max(64);
const inputSchema = z.object({ userId, sessionId: z.uuid(), role });

const claimsSchema = z.object({
  // Canonical decimal only ("007" or "1e3" would map several subjects to one user).
  sub: z.string().regex(/^[1-9][0-9]{0,15}$/).transform(Number).pipe(userId),
  sid: z.uuid(),
  role,
  iat: z.number().int(),
  exp: z.number().int(),
});

/** One answer for every bad token: which check failed goes to the debug log, not to the caller. */
function invalidToken(): AppError {
  return new AppError('UNAUTHENTICATED', {
    detail: 'The access token is not valid',
    headers: { 'WWW-Authenticate': 'Bearer error="invalid_token"' },
  });
}

export async function signAccessToken(input: AccessTokenInput): Promise<{ token: string; expiresIn: number; expiresAt: Date }> {
  // Refuse to issue what verifyAccessToken would reject; a bad input here is a bug, not a client error.
  const checked = inputSchema.safeParse(input);
  if (!checked.success) throw new Error(`Invalid access token input: ${checked.error.issues.map((i) => i.path.join('.')).join(', ')}`);
  const cfg = config();
  const keys = await signingKeys();
  const iat = Math.floor(Date.now() / 1000);
  const exp = iat + cfg.ACCESS_TOKEN_TTL_SECONDS;
  const token = await new SignJWT({ sid: input.sessionId, role: input.role })
    .setProtectedHeader({ alg: ALG, kid: keys.current.kid, typ: 'JWT' })
    .setIssuer(cfg.JWT_ISSUER)
    .setAudience(cfg.JWT_AUDIENCE)
    .setSubject(String(input.userId))
    .setIssuedAt(iat)
    .setExpirationTime(exp)
    .setJti(randomUUID())
    .sign(keys.current.privateKey);
  return { token, expiresIn: cfg.ACCESS_TOKEN_TTL_SECONDS, expiresAt: new Date(exp * 1000) };
}

export async function verifyAccessToken(token: string): Promise<AccessTokenClaims> {
  // Outside the try: keys that cannot load are a server fault (500), not the caller's bad token.
  const { publicKeys } = await signingKeys();
  const cfg = config();
  try {
    if (typeof token !== 'string' || token.length > MAX_TOKEN_LENGTH) throw new Error('token missing or too long');
    const keyFor = (header: JWTHeaderParameters) => {
      const key = typeof header.kid === 'string' ? publicKeys.get(header.kid) : undefined;
      if (!key) throw new Error('kid missing or not one of our keys');
      return key;
    };
    const { payload } = await jwtVerify(token, keyFor, {
      algorithms: [ALG],
      issuer: cfg.JWT_ISSUER,
      audience: cfg.JWT_AUDIENCE,
      typ: 'JWT',
      clockTolerance: CLOCK_TOLERANCE_SECONDS,
      // Also bounds the lifetime by iat and rejects an iat in the future.
      maxTokenAge: cfg.ACCESS_TOKEN_TTL_SECONDS,
      requiredClaims: ['sub', 'sid', 'exp', 'iat'],
    });
    const claims = claimsSchema.safeParse(payload);
    if (!claims.success) throw new Error(`claims of the wrong shape: ${claims.error.issues.map((i) => i.path.join('.')).join(', ')}`);
    const { sub, sid, iat, exp } = claims.data;
    return { userId: sub, sessionId: sid, role: claims.data.role, issuedAt: new Date(iat * 1000), expiresAt: new Date(exp * 1000) };
  } catch (err) {
    const reason = err instanceof Error ? err.message : String(err);
    logger().debug({ reason, joseCode: (err as { code?: unknown } | null)?.code }, 'Access token rejected');
    throw invalidToken();
  }
}
