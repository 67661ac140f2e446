import { STATUS_CODES, type ServerResponse } from 'node:http';

/** What a route decided to answer; written to the socket later (after latency, unless a fault replaces it). */
export interface Answer {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

export function json(status: number, body: unknown, headers?: Record<string, string>): Answer {
  return { status, body, headers };
}

/** An `application/problem+json` answer with the contract's `code`. */
export function problem(status: number, code: string, detail?: string, headers?: Record<string, string>): Answer {
  const body = { type: `urn:bib:problem:${code.toLowerCase()}`, title: STATUS_CODES[status] ?? 'Error', status, code, detail: detail ?? STATUS_CODES[status] ?? code };
  return { status, body, headers: { 'content-type': 'application/problem+json', ...headers } };
}

export function writeAnswer(res: ServerResponse, a: Answer): void {
  if (res.destroyed || res.headersSent) return;
  const text = a.body === undefined ? '' : JSON.stringify(a.body);
  res.writeHead(a.status, {
    'content-type': 'application/json',
    ...a.headers,
    'content-length': Buffer.byteLength(text),
  });
  res.end(text);
}
