import { AppError, isAppError } from '../../../shared/errors.js';
import { identifiersTaken } from './subjects.js';

/** A race on the email/phone unique indexes becomes the same 409 the up-front check gives. */
export function asIdentifierTaken(err: unknown): unknown {
  if (!isAppError(err) || err.code !== 'CONFLICT') return err;
  const constraint = (err.cause as { constraint?: string } | undefined)?.constraint;
  if (constraint === 'auth_user_email') return identifierTaken(['email']);
  if (constraint === 'auth_user_phone') return identifierTaken(['phone']);
  return err;
}

export function identifierTaken(fields: Array<'email' | 'phone'>): AppError {
  return new AppError('IDENTIFIER_TAKEN', { errors: fields.map((field) => ({ field, message: `This ${field} is already in use` })) });
}

/** 409 IDENTIFIER_TAKEN naming each of the given identifiers (null: not asked) that another account uses. */
export async function assertIdentifiersFree(email: string | null, phone: string | null): Promise<void> {
  const taken = await identifiersTaken(email, phone);
  const fields = [...(taken.emailTaken ? (['email'] as const) : []), ...(taken.phoneTaken ? (['phone'] as const) : [])];
  if (fields.length) throw identifierTaken(fields);
}
