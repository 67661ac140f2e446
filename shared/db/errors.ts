import { AppError } from '../errors.js';

/**
 * Postgres errors that are the caller's fault become AppErrors; everything else stays an internal error.
 * Constraint names are not leaked, only which constraint family was violated.
 */
const pgCodes: Record<string, (e: PgError) => AppError> = {
  '23505': (e) => new AppError('CONFLICT', { detail: 'A record with the same unique value already exists', cause: e }),
  '23503': (e) => new AppError('CONFLICT', { detail: 'The record refers to, or is referred to by, another record', cause: e }),
  '23514': (e) => new AppError('BUSINESS_RULE', { detail: 'The record breaks a data rule', cause: e }),
  '23502': (e) => new AppError('VALIDATION_FAILED', { detail: 'A required value is missing', cause: e }),
  '22P02': (e) => new AppError('VALIDATION_FAILED', { detail: 'A value has the wrong format', cause: e }),
  '22001': (e) => new AppError('VALIDATION_FAILED', { detail: 'A value is too long', cause: e }),
  '22003': (e) => new AppError('VALIDATION_FAILED', { detail: 'A number is out of range', cause: e }),
  '40001': (e) => new AppError('CONFLICT', { detail: 'Concurrent update, please retry', cause: e }),
  '40P01': (e) => new AppError('CONFLICT', { detail: 'Concurrent update, please retry', cause: e }),
  '42501': (e) => new AppError('FORBIDDEN', { cause: e }),
  '57014': (e) => new AppError('DEPENDENCY_UNAVAILABLE', { detail: 'The database took too long', cause: e }),
};

interface PgError extends Error {
  code: string;
  constraint?: string;
}

function isPgError(err: unknown): err is PgError {
  return err instanceof Error && typeof (err as { code?: unknown }).code === 'string' && 'severity' in err;
}

/** Connection-level failures: the database is down or unreachable, so the caller should retry later. */
const unavailable = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EHOSTUNREACH', '57P01', '57P03', '53300']);

export function mapDbError(err: unknown): unknown {
  if (err instanceof AppError) return err;
  const code = (err as { code?: unknown } | null)?.code;
  if (typeof code === 'string' && unavailable.has(code)) {
    return new AppError('DEPENDENCY_UNAVAILABLE', { detail: 'The database is unavailable', cause: err });
  }
  if (err instanceof Error && /timeout exceeded when trying to connect/i.test(err.message)) {
    return new AppError('DEPENDENCY_UNAVAILABLE', { detail: 'The database is busy', cause: err });
  }
  if (isPgError(err)) {
    const map = pgCodes[err.code];
    if (map) return map(err);
  }
  return err;
}
