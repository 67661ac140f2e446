import { randomBytes } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import type { BibCredentials } from '../../shared/bib/client.js';
import { bibHeaders } from '../../shared/bib/contract.js';
import { requestPayload, verifySignature } from '../../shared/bib/hmac.js';
import { json, problem, type Answer } from './answer.js';

/** OAuth2 client credentials, bearer tokens and request signatures. */
export class Auth {
  private readonly tokens = new Map<string, number>();

  constructor(
    private readonly credentials: BibCredentials,
    private readonly tokenTtlSeconds: number,
  ) {}

  /** POST /oauth/token with a form body. */
  issueToken(body: Buffer): Answer {
    const form = new URLSearchParams(body.toString('utf8'));
    if (form.get('grant_type') !== 'client_credentials') return problem(400, 'UNSUPPORTED_GRANT_TYPE', 'grant_type must be client_credentials');
    if (form.get('client_id') !== this.credentials.clientId || form.get('client_secret') !== this.credentials.clientSecret) {
      return problem(401, 'INVALID_CLIENT', 'unknown client or wrong secret');
    }
    const now = Date.now();
    if (this.tokens.size > 1_000) for (const [t, until] of this.tokens) if (until <= now) this.tokens.delete(t);
    const token = randomBytes(32).toString('base64url');
    this.tokens.set(token, now + this.tokenTtlSeconds * 1000);
    return json(200, { access_token: token, token_type: 'Bearer', expires_in: this.tokenTtlSeconds }, { 'cache-control': 'no-store' });
  }

  /** undefined when the call carries a live token and a valid signature; the refusal otherwise. */
  refuse(method: string, pathWithQuery: string, headers: IncomingHttpHeaders, body: Buffer): Answer | undefined {
    const m = /^Bearer ([A-Za-z0-9._~+/=-]+)$/.exec(headers.authorization ?? '');
    const until = m?.[1] ? this.tokens.get(m[1]) : undefined;
    if (until === undefined || until <= Date.now()) {
      return problem(401, 'INVALID_TOKEN', 'a valid bearer token is required', { 'www-authenticate': 'Bearer error="invalid_token"' });
    }
    const header = headers[bibHeaders.requestSignature.toLowerCase()];
    const check = verifySignature({
      header: typeof header === 'string' ? header : undefined,
      payload: requestPayload(method, pathWithQuery, body),
      secrets: [this.credentials.signingSecret],
    });
    if (!check.ok) return problem(401, 'BAD_SIGNATURE', `request signature ${check.reason}`);
    return undefined;
  }
}
