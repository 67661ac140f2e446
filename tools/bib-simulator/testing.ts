import { strict as assert } from 'node:assert';
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { localBibCredentials } from '../../shared/bib/bib.js';
import { BibError } from '../../shared/bib/bib-error.js';
import { BibClient, type BibCredentials } from '../../shared/bib/client.js';
import { bibHeaders, bibPaths, type BibInvestorCreate, type BibOrderCreate } from '../../shared/bib/contract.js';
import { requestPayload, signatureHeader } from '../../shared/bib/hmac.js';
import type { BibSimulator } from './simulator.js';

/** Helpers of the simulator's own tests: a real client, request bodies, raw signed calls, a webhook receiver. */
export function clientFor(sim: BibSimulator, o: { timeoutMs?: number; credentials?: BibCredentials } = {}): BibClient {
  const credentials = o.credentials ?? localBibCredentials;
  return new BibClient({ baseUrl: sim.url, credentials: async () => credentials, timeoutMs: o.timeoutMs ?? 2_000 });
}

export function investorInput(over: Partial<BibInvestorCreate> = {}): BibInvestorCreate {
  return {
    clientRef: randomUUID(),
    companyId: 1,
    agentRef: '42',
    type: 'INDIVIDUAL',
    fullName: 'Siti Rahmawati',
    email: 'siti@example.com',
    phone: '+6281234567890',
    identityNumber: '3171234567890123',
    birthDate: '1990-04-01',
    riskProfile: 'MODERATE',
    bankAccounts: [{ bankCode: 'BCA', accountNumber: '1234567890', accountHolder: 'Siti Rahmawati' }],
    ...over,
  };
}

export function orderInput(investorId: string, over: Partial<BibOrderCreate> = {}): BibOrderCreate {
  return {
    clientRef: randomUUID(),
    investorId,
    type: 'SUBSCRIPTION',
    productCode: 'MMF-KAS',
    targetProductCode: null,
    amount: '1000000.00',
    units: null,
    bankAccount: null,
    signedAt: new Date().toISOString(),
    ...over,
  };
}

export async function tokenFor(sim: BibSimulator, creds: BibCredentials = localBibCredentials): Promise<string> {
  const body = new URLSearchParams({ grant_type: 'client_credentials', client_id: creds.clientId, client_secret: creds.clientSecret });
  const res = await fetch(new URL(bibPaths.token, sim.url), { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body });
  const json = (await res.json()) as { access_token: string };
  return json.access_token;
}

export interface RawCall {
  method: 'GET' | 'POST' | 'PUT';
  path: string;
  body?: unknown;
  token?: string;
  /** The secret the request is signed with; null: no signature header. */
  signingSecret?: string | null;
  headers?: Record<string, string>;
  signal?: AbortSignal;
}

/** A call without the client's checks (to send what the client never would). */
export async function rawCall(sim: BibSimulator, c: RawCall): Promise<{ status: number; json: Record<string, unknown>; headers: Headers }> {
  const body = c.body === undefined ? '' : typeof c.body === 'string' ? c.body : JSON.stringify(c.body);
  const headers: Record<string, string> = { ...c.headers };
  if (c.token) headers.authorization = `Bearer ${c.token}`;
  const secret = c.signingSecret === undefined ? localBibCredentials.signingSecret : c.signingSecret;
  if (secret !== null) headers[bibHeaders.requestSignature] = signatureHeader(secret, requestPayload(c.method, c.path, body));
  if (body) headers['content-type'] = 'application/json';
  const res = await fetch(new URL(c.path, sim.url), { method: c.method, headers, body: body || undefined, signal: c.signal });
  const text = await res.text();
  return { status: res.status, json: text ? (JSON.parse(text) as Record<string, unknown>) : {}, headers: res.headers };
}

export interface Received {
  headers: IncomingHttpHeaders;
  body: string;
}

export interface Receiver {
  url: string;
  received: Received[];
  /** Answered (the attempt counts) even when the status is an error. */
  attempts: number;
  /** Resolves once `count` deliveries have been answered 2xx. */
  waitFor(count: number): Promise<Received[]>;
  close(): Promise<void>;
}

/** A local webhook target; `statusFor(n)` answers the n-th attempt (1-based), 204 by default. */
export async function startReceiver(statusFor: (attempt: number) => number = () => 204): Promise<Receiver> {
  const waiters: Array<{ count: number; resolve: (r: Received[]) => void }> = [];
  const r: Receiver = {
    url: '',
    received: [],
    attempts: 0,
    waitFor: (count) => new Promise((resolve) => (r.received.length >= count ? resolve(r.received) : waiters.push({ count, resolve }))),
    close: () => new Promise((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    }),
  };
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const status = statusFor(++r.attempts);
      if (status >= 200 && status < 300) {
        r.received.push({ headers: req.headers, body: Buffer.concat(chunks).toString('utf8') });
        for (const w of waiters.filter((x) => r.received.length >= x.count)) {
          waiters.splice(waiters.indexOf(w), 1);
          w.resolve(r.received);
        }
      }
      res.writeHead(status).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  r.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/crm/webhooks/bib`;
  return r;
}

/** The BibError a call failed with (the test fails if it did not fail so). */
export async function bibError(p: Promise<unknown>): Promise<BibError> {
  try {
    await p;
  } catch (err) {
    assert.ok(err instanceof BibError, String(err));
    return err;
  }
  assert.fail('expected a BibError');
}
