/**
 * How a call to Bib failed. `transient` ones (Bib down or slow, rate limited, the circuit open) are retried
 * later with backoff; the others (Bib refused what we sent, or does not know it) will fail the same way again.
 */
export type BibErrorKind =
  | 'unavailable'
  | 'timeout'
  | 'rate_limited'
  | 'circuit_open'
  | 'unauthorized'
  | 'invalid_response'
  | 'rejected'
  | 'not_found';

const transientKinds: ReadonlySet<BibErrorKind> = new Set(['unavailable', 'timeout', 'rate_limited', 'circuit_open', 'unauthorized', 'invalid_response']);

export class BibError extends Error {
  readonly kind: BibErrorKind;
  readonly status: number | undefined;
  /** Bib's problem code, when it sent one. */
  readonly code: string | undefined;
  /** From Retry-After (429, 503) or the open circuit. */
  readonly retryAfterMs: number | undefined;

  constructor(kind: BibErrorKind, message: string, o: { status?: number; code?: string; retryAfterMs?: number; cause?: unknown } = {}) {
    super(message, { cause: o.cause });
    this.name = 'BibError';
    this.kind = kind;
    this.status = o.status;
    this.code = o.code;
    this.retryAfterMs = o.retryAfterMs;
  }

  get transient(): boolean {
    return transientKinds.has(this.kind);
  }
}

export function isBibError(err: unknown): err is BibError {
  return err instanceof BibError;
}

/** Retry-After in seconds (or an HTTP date), as milliseconds; undefined when absent or unreadable. */
export function retryAfterMs(header: string | null, now = Date.now()): number | undefined {
  if (!header) return undefined;
  if (/^\d+$/.test(header.trim())) return Number(header.trim()) * 1000;
  const at = Date.parse(header);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}
