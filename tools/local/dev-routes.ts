import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { z } from 'zod';
import { AppError, isAppError, toProblem } from '../../shared/errors.js';
import { fieldErrors } from '../../shared/http/validation.js';
import { extractLinks, type MessageSink } from './sink.js';
import { devMailPagePolicy, renderDevMailPage } from './dev-mail-page.js';

/**
 * The local runtime's developer routes under /_dev/: read what was delivered (JSON for tests, a page for
 * people) and the stand-ins for the SMS gateway and FCM that the local provider adapters POST to.
 * Never mounted outside the local runtime.
 */
export type DevRouteHandler = (req: IncomingMessage, res: ServerResponse) => Promise<boolean>;

export const devBodyLimitBytes = 64 * 1024;

const e164 = /^\+[1-9][0-9]{6,14}$/;

const messagesQuery = z.object({
  to: z.string().trim().min(1).max(320).optional(),
  since: z.iso.datetime({ offset: true }).optional(),
});

const mailPageQuery = messagesQuery.extend({ refresh: z.enum(['on', 'off']).optional() });

const smsBody = z.strictObject({
  to: z.string().regex(e164, 'Expected an E.164 phone number such as +6281234567890'),
  text: z.string().min(1).max(2000),
});

const pushBody = z.strictObject({
  to: z.string().min(1).max(4096),
  title: z.string().min(1).max(500),
  body: z.string().max(4000),
  // FCM data payload values are strings; refusing others here catches adapter bugs before production does.
  data: z.record(z.string(), z.string()).optional(),
});

interface RouteContext {
  req: IncomingMessage;
  res: ServerResponse;
  url: URL;
  sink: MessageSink;
}

type Route = Partial<Record<'GET' | 'POST', (ctx: RouteContext) => Promise<void> | void>>;

const routes: Record<string, Route> = {
  '/_dev/messages': {
    GET({ res, url, sink }) {
      const query = parse(messagesQuery, queryObject(url), 'query');
      sendJson(res, 200, { items: sink.list(sinkFilter(query)) });
    },
  },
  '/_dev/mail': {
    GET({ res, url, sink }) {
      const query = parse(mailPageQuery, queryObject(url), 'query');
      const page = renderDevMailPage(sink.list(sinkFilter(query)), {
        refreshSeconds: query.refresh === 'off' ? 0 : 5,
        ...(query.to ? { to: query.to } : {}),
      });
      res.setHeader('Content-Security-Policy', devMailPagePolicy);
      res.setHeader('Referrer-Policy', 'no-referrer');
      res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' });
      res.end(page);
    },
  },
  '/_dev/sink/sms': {
    async POST({ req, res, sink }) {
      const body = parse(smsBody, await readJsonBody(req), 'body');
      const message = sink.add({ channel: 'SMS', to: body.to, text: body.text });
      sendJson(res, 202, { id: message.id });
    },
  },
  '/_dev/sink/push': {
    async POST({ req, res, sink }) {
      const body = parse(pushBody, await readJsonBody(req), 'body');
      // A deep link often travels in the data payload rather than the visible text.
      const links = extractLinks([body.title, body.body, ...Object.values(body.data ?? {})].join('\n'));
      const message = sink.add({ channel: 'PUSH', to: body.to, subject: body.title, text: body.body, links });
      sendJson(res, 202, { id: message.id });
    },
  },
};

export function devRoutes(sink: MessageSink): DevRouteHandler {
  return async (req, res) => {
    // Concatenated, not resolved against a base, so a path such as //host/_dev/ stays a path.
    const url = new URL(`http://local${req.url ?? '/'}`);
    if (!url.pathname.startsWith('/_dev/')) return false;
    const requestId = randomUUID();
    res.setHeader('X-Request-Id', requestId);
    res.setHeader('Cache-Control', 'no-store');
    res.setHeader('X-Content-Type-Options', 'nosniff');
    try {
      const route = routes[url.pathname];
      if (!route) throw new AppError('ROUTE_NOT_FOUND');
      // Node's http server drops the body of a HEAD response by itself.
      const method = req.method === 'HEAD' ? 'GET' : req.method;
      const handler = method === 'GET' || method === 'POST' ? route[method] : undefined;
      if (!handler) {
        const allowed = Object.keys(route).flatMap((m) => (m === 'GET' ? ['GET', 'HEAD'] : [m]));
        throw new AppError('METHOD_NOT_ALLOWED', { headers: { Allow: allowed.join(', ') } });
      }
      await handler({ req, res, url, sink });
    } catch (err) {
      sendProblem(res, err, requestId);
    }
    return true;
  };
}

function queryObject(url: URL): Record<string, string> {
  // An empty form field means "no filter", not "match the empty address".
  return Object.fromEntries([...url.searchParams].filter(([, value]) => value.trim() !== ''));
}

function sinkFilter(query: { to?: string | undefined; since?: string | undefined }): { to?: string; since?: Date } {
  return { ...(query.to ? { to: query.to } : {}), ...(query.since ? { since: new Date(query.since) } : {}) };
}

function parse<T extends z.ZodType>(schema: T, value: unknown, part: 'query' | 'body'): z.infer<T> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  throw new AppError('VALIDATION_FAILED', { errors: fieldErrors(result.error, part) });
}

async function readJsonBody(req: IncomingMessage): Promise<unknown> {
  const type = (req.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
  const isJson = type === 'application/json' || type.endsWith('+json');
  let tooLarge = Number(req.headers['content-length'] ?? 0) > devBodyLimitBytes;
  let size = 0;
  const chunks: Buffer[] = [];
  // Read to the end even when refusing, so the client gets the 413 instead of a reset connection.
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > devBodyLimitBytes) tooLarge = true;
    if (!tooLarge) chunks.push(chunk);
  }
  if (tooLarge) {
    throw new AppError('PAYLOAD_TOO_LARGE', { detail: `At most ${devBodyLimitBytes} bytes`, headers: { Connection: 'close' } });
  }
  if (!isJson) throw new AppError('UNSUPPORTED_MEDIA_TYPE', { detail: 'Send the body as application/json' });
  try {
    return JSON.parse(Buffer.concat(chunks).toString('utf8')) as unknown;
  } catch (err) {
    throw new AppError('MALFORMED_JSON', { cause: err });
  }
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8' });
  res.end(JSON.stringify(body));
}

function sendProblem(res: ServerResponse, err: unknown, requestId: string): void {
  if (!isAppError(err)) console.error('local /_dev route failed', err);
  const problem = isAppError(err) ? err : new AppError('INTERNAL', { cause: err });
  // A client that went away mid-body has no one left to answer.
  if (res.headersSent || res.destroyed) return void res.destroy();
  for (const [name, value] of Object.entries(problem.headers ?? {})) res.setHeader(name, value);
  res.writeHead(problem.status, { 'Content-Type': 'application/problem+json; charset=utf-8' });
  res.end(JSON.stringify(toProblem(problem, requestId)));
}
