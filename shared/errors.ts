/**
 * One error type for the whole backend. `code` is a closed set; HTTP status comes from one table so a code
 * means the same thing on every route. Tests assert on codes, not on messages.
 */
export const errorStatus = {
  VALIDATION_FAILED: 400,
  MALFORMED_JSON: 400,
  UNAUTHENTICATED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  ROUTE_NOT_FOUND: 404,
  METHOD_NOT_ALLOWED: 405,
  CONFLICT: 409,
  PAYLOAD_TOO_LARGE: 413,
  UNSUPPORTED_MEDIA_TYPE: 415,
  BUSINESS_RULE: 422,
  LOCKED: 423,
  RATE_LIMITED: 429,
  INTERNAL: 500,
  DEPENDENCY_UNAVAILABLE: 503,
  // Auth (API.md "Auth")
  INVALID_CREDENTIALS: 401,
  TOKEN_INVALID: 401,
  SESSION_EXPIRED: 401,
  REFRESH_REUSED: 401,
  ACCOUNT_PENDING_VERIFICATION: 403,
  ACCOUNT_PENDING_APPROVAL: 403,
  ACCOUNT_REJECTED: 403,
  ACCOUNT_INACTIVE: 403,
  CURRENT_PASSWORD_WRONG: 403,
  CSRF_FAILED: 403,
  IDENTIFIER_TAKEN: 409,
  OTP_EXPIRED: 410,
  OTP_USED: 410,
  OTP_INVALID: 400,
  PASSWORD_REJECTED: 422,
  COMPANY_UNAVAILABLE: 422,
  // Identity (API.md "Identity")
  LICENCE_REQUIRED: 422,
  ACCOUNT_LOCKED: 423,
  OTP_LOCKED: 429,
  // CRM instructions and investor links (API.md "CRM")
  UNSUITABLE_PRODUCT: 422,
  LINK_EXPIRED: 410,
  LINK_USED: 410,
  // Partner webhooks (POST /crm/webhooks/bib)
  WEBHOOK_SIGNATURE_INVALID: 401,
} as const;

export type ErrorCode = keyof typeof errorStatus;

const titles: Record<ErrorCode, string> = {
  VALIDATION_FAILED: 'The request is not valid',
  MALFORMED_JSON: 'The request body is not valid JSON',
  UNAUTHENTICATED: 'Authentication is required',
  FORBIDDEN: 'Not allowed',
  NOT_FOUND: 'Not found',
  ROUTE_NOT_FOUND: 'No such route',
  METHOD_NOT_ALLOWED: 'Method not allowed on this route',
  CONFLICT: 'Conflict with the current state',
  PAYLOAD_TOO_LARGE: 'The request body is too large',
  UNSUPPORTED_MEDIA_TYPE: 'Unsupported content type',
  BUSINESS_RULE: 'A business rule refused the request',
  LOCKED: 'Locked',
  RATE_LIMITED: 'Too many requests',
  INTERNAL: 'Internal error',
  DEPENDENCY_UNAVAILABLE: 'A dependency is unavailable',
  INVALID_CREDENTIALS: 'The identifier or password is wrong',
  TOKEN_INVALID: 'The token is not valid',
  SESSION_EXPIRED: 'The session has ended; log in again',
  REFRESH_REUSED: 'The refresh token was used before; every session of this login was revoked',
  ACCOUNT_PENDING_VERIFICATION: 'The phone number of this account is not verified yet',
  ACCOUNT_PENDING_APPROVAL: 'The account waits for approval by an administrator',
  ACCOUNT_REJECTED: 'The registration was rejected',
  ACCOUNT_INACTIVE: 'The account is deactivated',
  CURRENT_PASSWORD_WRONG: 'The current password is wrong',
  CSRF_FAILED: 'The CSRF token is missing or wrong',
  IDENTIFIER_TAKEN: 'The email or phone number is already in use',
  OTP_EXPIRED: 'The code has expired',
  OTP_USED: 'The code was used already',
  OTP_INVALID: 'The code is wrong',
  PASSWORD_REJECTED: 'The password is not acceptable',
  COMPANY_UNAVAILABLE: 'The company does not exist or is not active',
  LICENCE_REQUIRED: 'An RM agent needs a WAPERD licence that has not expired',
  ACCOUNT_LOCKED: 'Too many failed attempts; the account is locked for a while',
  OTP_LOCKED: 'Too many wrong codes; request a new one',
  UNSUITABLE_PRODUCT: "The product's risk is above the investor's risk profile; record the investor's acknowledgement to go on",
  LINK_EXPIRED: 'The link has expired',
  LINK_USED: 'The link was used already',
  WEBHOOK_SIGNATURE_INVALID: 'The request signature is missing, expired or not valid',
};

export interface FieldError {
  field: string;
  message: string;
}

export interface AppErrorOptions {
  detail?: string;
  errors?: FieldError[];
  /** Extra members of the problem body (e.g. attemptsLeft, existingId). */
  extra?: Record<string, unknown>;
  headers?: Record<string, string>;
  cause?: unknown;
}

const problemMembers = new Set(['type', 'title', 'status', 'detail', 'code', 'errors', 'requestId']);

export class AppError extends Error {
  readonly code: ErrorCode;
  readonly status: number;
  readonly detail: string | undefined;
  readonly errors: FieldError[] | undefined;
  readonly extra: Record<string, unknown> | undefined;
  readonly headers: Record<string, string> | undefined;

  constructor(code: ErrorCode, options: AppErrorOptions = {}) {
    super(options.detail ?? titles[code], { cause: options.cause });
    // An extra member named like one of the problem's own would be overwritten in the body: a bug to catch early.
    const clash = Object.keys(options.extra ?? {}).filter((k) => problemMembers.has(k));
    if (clash.length) throw new Error(`AppError extra members ${clash.join(', ')} clash with the problem body`);
    this.name = 'AppError';
    this.code = code;
    this.status = errorStatus[code];
    this.detail = options.detail;
    this.errors = options.errors;
    this.extra = options.extra;
    this.headers = options.headers;
  }

  get title(): string {
    return titles[this.code];
  }
}

export function isAppError(err: unknown): err is AppError {
  return err instanceof AppError;
}

export interface ProblemBody {
  type: string;
  title: string;
  status: number;
  detail?: string;
  code: ErrorCode;
  errors?: FieldError[];
  requestId: string;
  [extra: string]: unknown;
}

/** RFC 9457 body. Never includes the cause, a stack or SQL text. */
export function toProblem(err: AppError, requestId: string): ProblemBody {
  return {
    ...err.extra,
    type: `https://rmtools.dev/problems/${err.code.toLowerCase().replaceAll('_', '-')}`,
    title: err.title,
    status: err.status,
    ...(err.detail ? { detail: err.detail } : {}),
    code: err.code,
    ...(err.errors ? { errors: err.errors } : {}),
    requestId,
  };
}
