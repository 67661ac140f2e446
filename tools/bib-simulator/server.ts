import type { IncomingMessage, ServerResponse } from 'node:http';
import { bibPaths } from '../../shared/bib/contract.js';
import { problem, writeAnswer, type Answer } from './answer.js';
import { decideFault, type BibFaults } from './faults.js';
import { apiAnswer, type ApiContext } from './routes.js';

const maxBodyBytes = 1_048_576;

export interface Counters {
  requests: number;
  tokenRequests: number;
  investorCreateRequests: number;
  orderCreateRequests: number;
  faultsInjected: { errors: number; timeouts: number; rateLimited: number };
}

export interface ServerContext extends ApiContext {
  faults: BibFaults;
  random: () => number;
  counters: Counters;
  /** Requests held open by the timeout fault; destroyed on reset and stop. */
  held: Set<ServerResponse>;
  admin(method: string, url: string, body: Buffer): Answer | Promise<Answer>;
}

/** One request: admin routes as they are; API calls through the fault switches, then latency, then the answer. */
export async function handleRequest(ctx: ServerContext, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const url = req.url ?? '/';
  const method = req.method ?? 'GET';
  const body = await readBody(req);
  if (url.startsWith('/_sim/')) {
    writeAnswer(res, body ? await ctx.admin(method, url, body) : problem(413, 'PAYLOAD_TOO_LARGE'));
    return;
  }
  count(ctx.counters, method, url);
  if (!body) return writeAnswer(res, problem(413, 'PAYLOAD_TOO_LARGE'));

  const f = ctx.faults;
  const decision = decideFault(f, ctx.random);
  let answer: Answer;
  if (decision.kind === 'down') {
    ctx.counters.faultsInjected.errors++;
    answer = problem(503, 'UNAVAILABLE', 'Bib is down for maintenance', { 'retry-after': String(f.retryAfterSeconds) });
  } else if (decision.kind === 'rateLimited') {
    ctx.counters.faultsInjected.rateLimited++;
    answer = problem(429, 'RATE_LIMITED', 'too many requests', { 'retry-after': String(f.retryAfterSeconds) });
  } else if (decision.kind === 'error' && !decision.afterCommit) {
    ctx.counters.faultsInjected.errors++;
    answer = serverError(decision.status);
  } else if (decision.kind === 'timeout' && !decision.afterCommit) {
    ctx.counters.faultsInjected.timeouts++;
    return hold(ctx, res);
  } else {
    answer = apiAnswer(ctx, { method, url, headers: req.headers, body });
    // The call was carried out (a create is stored), but its answer is lost on the way back.
    if (decision.kind === 'error') {
      ctx.counters.faultsInjected.errors++;
      answer = serverError(decision.status);
    } else if (decision.kind === 'timeout') {
      ctx.counters.faultsInjected.timeouts++;
      return hold(ctx, res);
    }
  }
  if (f.latencyMs > 0) await new Promise((resolve) => setTimeout(resolve, f.latencyMs).unref());
  writeAnswer(res, answer);
}

function count(c: Counters, method: string, url: string): void {
  c.requests++;
  if (method !== 'POST') return;
  const path = url.split('?', 1)[0];
  if (path === bibPaths.token) c.tokenRequests++;
  else if (path === bibPaths.investors) c.investorCreateRequests++;
  else if (path === bibPaths.orders) c.orderCreateRequests++;
}

function serverError(status: 500 | 502 | 503): Answer {
  const code = status === 500 ? 'INTERNAL_ERROR' : status === 502 ? 'BAD_GATEWAY' : 'UNAVAILABLE';
  return problem(status, code, 'injected fault');
}

/** Never answers: the client's timeout ends it (or reset/stop destroys the socket). */
function hold(ctx: ServerContext, res: ServerResponse): void {
  ctx.held.add(res);
  res.on('close', () => ctx.held.delete(res));
}

/** The whole body, or undefined when it is larger than the limit. */
async function readBody(req: IncomingMessage): Promise<Buffer | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > maxBodyBytes) return undefined;
    chunks.push(chunk);
  }
  return chunks.length === 1 ? chunks[0] : Buffer.concat(chunks);
}
