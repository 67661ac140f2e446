import { pino, type DestinationStream, type Logger } from 'pino';
import { config } from './config.js';

export type { Logger };

/**
 * JSON logs in Cloud Logging's shape: `severity`, `message`, `httpRequest`, and the trace field so a request's
 * lines group together. Secrets and PII are redacted by key wherever they appear (two levels deep, plus the
 * request body).
 */
const severity: Record<string, string> = {
  trace: 'DEBUG',
  debug: 'DEBUG',
  info: 'INFO',
  warn: 'WARNING',
  error: 'ERROR',
  fatal: 'CRITICAL',
};

export const redactedKeys = [
  'password',
  'newPassword',
  'currentPassword',
  'otpCode',
  'token',
  'accessToken',
  'refreshToken',
  'resetToken',
  'authorization',
  'cookie',
  'secret',
  'nik',
  'npwp',
  'accountNumber',
  'motherMaidenName',
  'usTin',
];

/** Query parameters whose values stay out of access logs: a search box may hold a NIK, NPWP or phone number. */
const redactedQueryParams = new Set(['q', ...redactedKeys]);

/** A request URL for the access log, with the values of sensitive query parameters replaced. */
export function urlForLog(rawUrl: string): string {
  // An investor's emailed link carries its bearer token in the path (API.md: GET /crm/links/{token}).
  const url = rawUrl.replace(/^(\/crm\/links\/)[^/?#]+/, '$1[redacted]');
  const at = url.indexOf('?');
  if (at < 0) return url;
  const params = new URLSearchParams(url.slice(at + 1));
  for (const key of new Set(params.keys())) if (redactedQueryParams.has(key)) params.set(key, '[redacted]');
  return `${url.slice(0, at)}?${params.toString()}`;
}

const redactPaths = [
  ...redactedKeys.flatMap((k) => [k, `*.${k}`, `*.*.${k}`]),
  // Request bodies are never logged whole, but a body's OTP code must not slip through a field either.
  'body.code',
  '*.body.code',
];

let root: Logger | undefined;

/** A logger with the production settings; tests pass a stream to read what it writes. */
export function createLogger(destination?: DestinationStream): Logger {
  const cfg = config();
  return pino(
    {
      level: cfg.LOG_LEVEL,
      messageKey: 'message',
      base: { service: cfg.K_SERVICE ?? cfg.FUNCTION_TARGET ?? 'rmtools' },
      timestamp: pino.stdTimeFunctions.isoTime,
      redact: { paths: redactPaths, censor: '[redacted]' },
      formatters: {
        level: (label) => ({ severity: severity[label] ?? 'DEFAULT' }),
      },
      serializers: { err: errorForLog },
    },
    destination,
  );
}

export function logger(): Logger {
  root ??= createLogger();
  return root;
}

/** Swap the root logger (tests capture lines; the local runtime may pretty-print). */
export function setLogger(next: Logger): void {
  root = next;
}

/**
 * Error Reporting picks up entries whose `stack_trace` (or message) holds a stack, so errors keep theirs.
 * The cause chain is kept too, because pg and fetch errors hide the real reason there.
 */
export function errorForLog(err: unknown): Record<string, unknown> {
  if (!(err instanceof Error)) return { message: String(err) };
  const out: Record<string, unknown> = {
    type: err.name,
    message: err.message,
    stack_trace: err.stack,
  };
  const code = (err as { code?: unknown }).code;
  if (typeof code === 'string') out.code = code;
  if (err.cause) out.cause = errorForLog(err.cause);
  return out;
}

/** `X-Cloud-Trace-Context: TRACE_ID/SPAN_ID;o=1` → the fields Cloud Logging uses to group lines. */
export function traceFields(header: string | undefined): Record<string, string> {
  if (!header) return {};
  const match = /^([0-9a-f]{32})(?:\/(\d+))?/i.exec(header);
  if (!match) return {};
  const project = config().GOOGLE_CLOUD_PROJECT;
  const fields: Record<string, string> = {
    'logging.googleapis.com/trace': `projects/${project}/traces/${match[1]}`,
  };
  if (match[2]) fields['logging.googleapis.com/spanId'] = match[2];
  return fields;
}
