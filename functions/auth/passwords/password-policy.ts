import { AppError } from '../../../shared/errors.js';
import { verifyPassword } from './password-hasher.js';

/**
 * Password rules after NIST SP 800-63B §5.1.1.2: a length range, no composition rules ("one digit, one
 * symbol"), and a check against known-common passwords and the user's own data. Length is counted in
 * Unicode code points after NFKC, so an emoji is one character and compatibility forms count as typed.
 */
export type PasswordProblem = 'TOO_SHORT' | 'TOO_LONG' | 'COMMON' | 'CONTAINS_PERSONAL_DATA';

export interface PasswordContext {
  email?: string | null;
  phone?: string | null;
  fullname?: string | null;
}

export const passwordMinLength = 8;
export const passwordMaxLength = 128;

const messages: Record<PasswordProblem, string> = {
  TOO_SHORT: `Use at least ${passwordMinLength} characters`,
  TOO_LONG: `Use at most ${passwordMaxLength} characters`,
  COMMON: 'This password is too common or easy to guess',
  CONTAINS_PERSONAL_DATA: 'Do not use your name, email or phone number in your password',
};

export function passwordProblemMessage(problem: PasswordProblem): string {
  return messages[problem];
}

// ~49k entries; loaded on the first check, not at cold start of the function.
let commonPasswords: Promise<Set<string>> | undefined;

function loadCommonPasswords(): Promise<Set<string>> {
  commonPasswords ??= import('@zxcvbn-ts/language-common').then(
    ({ dictionary }) => new Set(dictionary['passwords-common']),
    (err: unknown) => {
      commonPasswords = undefined;
      throw err;
    },
  );
  return commonPasswords;
}

export async function checkPasswordPolicy(plain: string, ctx: PasswordContext): Promise<PasswordProblem[]> {
  const normalized = plain.normalize('NFKC');
  const codePoints = [...normalized];
  const problems: PasswordProblem[] = [];
  if (codePoints.length < passwordMinLength) problems.push('TOO_SHORT');
  if (codePoints.length > passwordMaxLength) problems.push('TOO_LONG');
  if (isTrivialRun(codePoints) || (await loadCommonPasswords()).has(normalized.toLowerCase())) problems.push('COMMON');
  if (containsPersonalData(normalized, ctx)) problems.push('CONTAINS_PERSONAL_DATA');
  return problems;
}

/** Throws PASSWORD_REJECTED with one field error per problem and the problem codes as `reasons`. */
export async function assertPasswordAcceptable(plain: string, ctx: PasswordContext, field = 'password'): Promise<void> {
  const problems = await checkPasswordPolicy(plain, ctx);
  if (problems.length === 0) return;
  throw new AppError('PASSWORD_REJECTED', {
    errors: problems.map((p) => ({ field, message: passwordProblemMessage(p) })),
    extra: { reasons: problems },
  });
}

/** True when plain matches one of the given hashes (the last few from auth_password_log). */
export async function isRecentPassword(plain: string, recentHashes: readonly string[]): Promise<boolean> {
  // One at a time: a password change should not hold several hasher slots that logins are waiting for.
  for (const h of recentHashes) {
    if (await verifyPassword(h, plain)) return true;
  }
  return false;
}

/** One character repeated ("aaaaaaaa"), or an ascending or descending run ("12345678", "hgfedcba"). */
function isTrivialRun(codePoints: readonly string[]): boolean {
  if (codePoints.length < 2) return false;
  const values = codePoints.map((c) => c.toLowerCase().codePointAt(0)!);
  const step = values[1]! - values[0]!;
  if (step !== 0 && Math.abs(step) !== 1) return false;
  if (step !== 0 && values.length < passwordMinLength) return false;
  return values.every((v, i) => i === 0 || v - values[i - 1]! === step);
}

// Case-, accent- and compatibility-insensitive: "José" in the name also catches "jose" in the password.
function fold(s: string): string {
  return s.toLowerCase().normalize('NFKD').replace(/\p{M}/gu, '').replaceAll('ς', 'σ');
}

function containsPersonalData(normalized: string, ctx: PasswordContext): boolean {
  const password = fold(normalized);
  // Phone numbers are often typed with separators: "0812-3456-7890".
  const compact = password.replace(/[\s\-.()/+]/g, '');
  return (
    personalFragments(ctx).some((f) => password.includes(f)) ||
    phoneFragments(ctx.phone).some((f) => password.includes(f) || compact.includes(f))
  );
}

function personalFragments(ctx: PasswordContext): string[] {
  const fragments: string[] = [];
  const email = fold(ctx.email?.trim() ?? '');
  if (email) {
    fragments.push(email);
    const at = email.lastIndexOf('@');
    const local = at > 0 ? email.slice(0, at) : '';
    if ([...local].length >= 3) fragments.push(local);
  }
  const words = fold(ctx.fullname ?? '').split(/[^\p{L}]+/u);
  fragments.push(...words.filter((w) => [...w].length >= 3));
  return fragments;
}

/**
 * The last 8 digits of the number: contained in every longer suffix ("81234567890"), in the full E.164
 * digits and in the national form with a leading 0 ("081234567890"), whatever the country code's length.
 */
function phoneFragments(phone: string | null | undefined): string[] {
  const digits = (phone ?? '').replace(/\D/g, '');
  if (digits.length < 8) return [];
  return [digits.slice(-8)];
}
