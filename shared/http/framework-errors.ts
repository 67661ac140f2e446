import { randomUUID } from 'node:crypto';
import { createRequire } from 'node:module';
import type { Request, Response } from '@google-cloud/functions-framework';
import { AppError } from '../errors.js';
import { config } from '../config.js';
import { applySecurityHeaders } from './headers.js';
import { sendError } from './handler.js';

/**
 * The Functions Framework parses request bodies in its own Express app before our function runs, and sends
 * its parse errors to Express's default handler: an HTML page (with a stack trace outside production).
 * There is no hook for this (functions-framework-nodejs issue #686), so we wrap the Express application's
 * `handle` on the very Express instance the framework uses, before it builds its server, and answer those
 * errors as problem+json like every other error. Oversized bodies are refused from Content-Length before
 * the framework reads them (it allows up to 1 GB).
 *
 * Importing this module installs the wrapper once; every function's index.ts imports it.
 */
interface ExpressApp {
  request: object;
  response: object;
}

interface ExpressProto {
  handle(this: ExpressApp, req: Request, res: Response, callback?: (err?: unknown) => void): void;
  __rmtoolsWrapped?: boolean;
}

const frameworkRequire = createRequire(createRequire(import.meta.url).resolve('@google-cloud/functions-framework'));
const proto = (frameworkRequire('express') as { application: ExpressProto }).application;

if (!proto.__rmtoolsWrapped) {
  const original = proto.handle;
  proto.handle = function handle(req, res, callback) {
    // Sub-applications pass their parent's `next`; only the top-level app owns the final response.
    if (callback) return original.call(this, req, res, callback);
    const limit = config().JSON_BODY_LIMIT_BYTES;
    const declared = Number(req.headers['content-length'] ?? 0);
    if (declared > limit) {
      // Express has not dressed req/res yet; give them its helpers so the error can be sent the usual way.
      Object.setPrototypeOf(req, this.request);
      Object.setPrototypeOf(res, this.response);
      Object.assign(req, { res });
      Object.assign(res, { req });
      return refuse(req, res, new AppError('PAYLOAD_TOO_LARGE', { detail: `At most ${limit} bytes` }));
    }
    original.call(this, req, res, (err?: unknown) => {
      if (res.headersSent) return;
      refuse(req, res, err ? fromFrameworkError(err) : new AppError('ROUTE_NOT_FOUND'));
    });
  };
  proto.__rmtoolsWrapped = true;
}

function refuse(req: Request, res: Response, error: AppError): void {
  const requestId = randomUUID();
  res.setHeader('X-Request-Id', requestId);
  applySecurityHeaders(res);
  // Do not keep reading a body we refused.
  res.setHeader('Connection', 'close');
  sendError(res, error, requestId);
  req.resume();
}

function fromFrameworkError(err: unknown): AppError {
  const e = err as { type?: string; status?: number };
  switch (e.type) {
    case 'entity.parse.failed':
      return new AppError('MALFORMED_JSON', { cause: err });
    case 'entity.too.large':
      return new AppError('PAYLOAD_TOO_LARGE', { cause: err });
    case 'encoding.unsupported':
    case 'charset.unsupported':
      return new AppError('UNSUPPORTED_MEDIA_TYPE', { cause: err });
    case 'request.aborted':
    case 'request.size.invalid':
    case 'stream.encoding.set':
      return new AppError('VALIDATION_FAILED', { detail: 'The request body could not be read', cause: err });
    default:
      if (e.status && e.status >= 400 && e.status < 500) {
        return new AppError('VALIDATION_FAILED', { detail: 'The request could not be read', cause: err });
      }
      return new AppError('INTERNAL', { cause: err });
  }
}
