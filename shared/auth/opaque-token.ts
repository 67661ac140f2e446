import { createHash, randomBytes } from 'node:crypto';

/**
 * Opaque bearer secrets (refresh tokens, reset tokens, investor links): 256 random bits, base64url. Only the
 * SHA-256 is stored; with 256 bits of entropy a plain hash is enough (nothing to brute-force offline).
 */
export interface OpaqueToken {
  token: string;
  hash: string;
}

export function newOpaqueToken(): OpaqueToken {
  const token = randomBytes(32).toString('base64url');
  return { token, hash: hashOpaqueToken(token) };
}

export function hashOpaqueToken(token: string): string {
  return createHash('sha256').update(token).digest('base64url');
}

/** Shape check before any look-up: 43 base64url characters. */
export const opaqueTokenPattern = /^[A-Za-z0-9_-]{43}$/;
